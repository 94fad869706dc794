// A horizontal, wrapping legend of coloured boxes, hatches, ticks and line samples.
#include "plots/legend.hpp"

#include <fmt/format.h>
#include <iterator>

#include "plots/svg.hpp"
#include "plots/text.hpp"

namespace plots {
namespace {

constexpr double kFont = 12;
constexpr double kRow = 18;
constexpr double kSwatch = 22;  // swatch width
constexpr double kGap = 14;     // between items

double item_width(const LegendItem& item) {
  return kSwatch + 5 + text_width(item.label, kFont);
}

// Calls place(item, x, row) for each item, wrapping rows; returns the number of rows.
template <typename Place>
int layout(const std::vector<LegendItem>& items, double width, Place place) {
  if (items.empty()) return 0;
  int row = 0;
  double x = 0;
  for (const LegendItem& item : items) {
    const double w = item_width(item);
    if (x > 0 && x + w > width) {
      ++row;
      x = 0;
    }
    place(item, x, row);
    x += w + kGap;
  }
  return row + 1;
}

void draw_swatch(std::string& out, const LegendItem& item, double x, double y) {
  auto o = std::back_inserter(out);
  const double mid = y + kRow / 2;
  switch (item.swatch) {
    case LegendItem::Swatch::box:
      fmt::format_to(o, "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" fill=\"{}\"/>\n",
                     num(x), num(mid - 5), num(kSwatch), item.color);
      break;
    case LegendItem::Swatch::outline:  // an empty stretch of a bar
      fmt::format_to(o,
                     "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" fill=\"#F7F7F7\" "
                     "stroke=\"#333\" stroke-width=\"0.6\"/>\n",
                     num(x), num(mid - 5), num(kSwatch));
      break;
    case LegendItem::Swatch::hatch:
      fmt::format_to(o,
                     "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" fill=\"{}\"/>"
                     "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" fill=\"url(#hatch)\" "
                     "stroke=\"#000\" stroke-width=\"1.2\"/>\n",
                     num(x), num(mid - 5), num(kSwatch), item.color, num(x), num(mid - 5),
                     num(kSwatch));
      break;
    case LegendItem::Swatch::tick:
      fmt::format_to(o,
                     "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" "
                     "stroke-width=\"2\"/>\n",
                     num(x + kSwatch / 2), num(mid - 6), num(mid + 6), item.color);
      break;
    case LegendItem::Swatch::line:
      fmt::format_to(o,
                     "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"{3}\" "
                     "stroke-width=\"2\"{4}/>\n",
                     num(x), num(x + kSwatch), num(mid), item.color,
                     item.dash.empty() ? "" : fmt::format(" stroke-dasharray=\"{}\"", item.dash));
      break;
    case LegendItem::Swatch::diamond:
      fmt::format_to(o,
                     "<path d=\"M{} {}l5 5l-5 5l-5 -5z\" fill=\"{}\" stroke=\"#000\" "
                     "stroke-width=\"1\"/>\n",
                     num(x + kSwatch / 2), num(mid - 5), item.color);
      break;
    case LegendItem::Swatch::stack:  // a band: shares stacked from the bottom, idle on top
      fmt::format_to(o,
                     "<rect x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"10\" fill=\"#F7F7F7\" "
                     "stroke=\"#999\" stroke-width=\"0.5\"/>"
                     "<path d=\"M{0} {3}h{2}v-4h-8v-2h-{4}z\" fill=\"#0072B2\"/>"
                     "<path d=\"M{0} {5}h{4}v2h8v-4h-{2}z\" fill=\"#CC79A7\"/>\n",
                     num(x), num(mid - 5), num(kSwatch), num(mid + 5), num(kSwatch - 8),
                     num(mid - 1));
      break;
    case LegendItem::Swatch::area:  // a strip of use over time: low, then full
      fmt::format_to(o,
                     "<rect x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"10\" fill=\"#F7F7F7\"/>"
                     "<path d=\"M{0} {3}v-4h6v-6h{4}v10z\" fill=\"{5}\" stroke=\"#777\" "
                     "stroke-width=\"0.6\"/>\n",
                     num(x), num(mid - 5), num(kSwatch), num(mid + 5), num(kSwatch - 6),
                     item.color);
      break;
  }
}

}  // namespace

double legend_height(const std::vector<LegendItem>& items, double width) {
  return kRow * layout(items, width, [](const LegendItem&, double, int) {});
}

void draw_legend(std::string& out, const std::vector<LegendItem>& items, double x, double y,
                 double width) {
  out += "<g class=\"legend\">\n";
  layout(items, width, [&](const LegendItem& item, double dx, int row) {
    const double top = y + row * kRow;
    draw_swatch(out, item, x + dx, top);
    svg_text(out, x + dx + kSwatch + 5, top + kRow / 2 + 4.2, item.label, {.size = kFont});
  });
  out += "</g>\n";
}

double draw_chart_header(std::string& out, const std::string& title, const std::string& subtitle,
                         const std::vector<LegendItem>& items, double width) {
  svg_text(out, 12, 26, fit_text(title, 17, width), {.size = 17, .bold = true});
  double y = 34;
  if (!subtitle.empty()) {
    svg_text(out, 12, 50, fit_text(subtitle, 12, width), {.size = 12, .fill = "#555"});
    y = 58;
  }
  draw_legend(out, items, 12, y, width);
  return y + legend_height(items, width);
}

}  // namespace plots
