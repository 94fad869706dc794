// The sweep chart as small multiples (see sweep_chart.hpp): a grid of panels, each a makespan
// plot (with the lower bound) above a throughput plot, on x and y axes shared by all panels.
#include <fmt/format.h>
#include <algorithm>
#include <iterator>

#include "plots/legend.hpp"
#include "plots/palette.hpp"
#include "plots/sweep_chart.hpp"
#include "plots/sweep_chart_parts.hpp"
#include "plots/text.hpp"

namespace plots {
namespace {

using namespace sweep_parts;

constexpr double kWidth = 960;
constexpr double kLeft = 72;  // room for the y tick labels of the first column
constexpr double kRight = kWidth - 28;
constexpr double kColumnGap = 26;
constexpr double kTitleRoom = 48;  // the panel's title, then the makespan plot's title
constexpr double kTitleSize = 13;
constexpr double kTitleLine = 16;  // each further line of a title
constexpr double kMakespanHeight = 220;
constexpr double kPlotGap = 52;  // tick labels, then the throughput plot's title
constexpr double kThroughputHeight = 110;
constexpr double kRowGap = 40;  // tick labels, then the next row of panels

// The title in lines that fit `width`, broken after its commas ("a = 1, b = 2"); a part too
// wide for a line alone is cut. Bold text is up to a tenth wider than text_width's estimate.
std::vector<std::string> title_lines(const std::string& title, double width) {
  const double size = kTitleSize * 1.1;
  std::vector<std::string> lines;
  std::string line;
  for (std::size_t start = 0; start < title.size();) {
    const auto comma = title.find(", ", start);
    const std::size_t end = comma == std::string::npos ? title.size() : comma + 1;
    const std::string part = title.substr(start, end - start);
    if (!line.empty() && text_width(line + " " + part, size) > width) {
      lines.push_back(fit_text(line, size, width));
      line.clear();
    }
    line += (line.empty() ? "" : " ") + part;
    start = comma == std::string::npos ? title.size() : comma + 2;
  }
  lines.push_back(fit_text(line, size, width));
  return lines;
}

// Up to three panels side by side; four as two by two.
std::size_t columns_for(std::size_t panels) {
  if (panels <= 3) return std::max<std::size_t>(panels, 1);
  return panels == 4 ? 2 : 3;
}

}  // namespace

std::string sweep_panels_svg(const SweepPanels& chart, const SweepChartInfo& info) {
  struct Drawn {
    std::vector<std::vector<SweepPoint>> series, context;
  };
  std::vector<Drawn> drawn;
  std::vector<std::vector<SweepPoint>> every;  // for the shared x axis
  double max_makespan = 0, max_throughput = 0;
  bool any_bound = false, any_context = false, any_mark = false;
  auto see = [&](const SweepSeries& s) {
    for (const SweepPoint& q : s.points) {
      max_makespan =
          std::max({max_makespan, q.makespan_s.high, q.makespan_s.mean, q.lower_bound_s});
      max_throughput = std::max({max_throughput, q.throughput_per_s.high, q.throughput_per_s.mean});
    }
    every.push_back(by_x(s.points));
    return every.back();
  };
  for (const SweepPanel& panel : chart.panels) {
    Drawn d;
    for (const SweepSeries& s : panel.series) {
      d.series.push_back(see(s));
      for (const SweepPoint& q : s.points)
        any_bound = any_bound || q.lower_bound_s >= 0;
    }
    for (const SweepSeries& s : panel.context)
      d.context.push_back(see(s));
    any_context = any_context || !panel.context.empty();
    any_mark = any_mark || !panel.marks.empty() || !panel.note.empty();
    drawn.push_back(std::move(d));
  }

  std::string body;
  const std::string title = (info.scenario.empty() ? std::string("loiter") : info.scenario) +
                            " \u2014 sweep of " + info.x_label + ", a panel per " +
                            chart.panel_keys;
  svg_text(body, 12, 26, fit_text(title, 17, kWidth - 24), {.size = 17, .bold = true});
  double y0 = 34;
  if (!info.subtitle.empty()) {
    svg_text(body, 12, 50, fit_text(info.subtitle, 12, kWidth - 24), {.size = 12, .fill = "#555"});
    y0 = 58;
  }
  // Per panel, one grey lower bound when its strategies' bounds agree, else one per strategy.
  bool any_shared = false, any_own = false;
  for (const Drawn& d : drawn) {
    const bool has = std::any_of(d.series.begin(), d.series.end(), [](const auto& s) {
      return std::any_of(s.begin(), s.end(),
                         [](const SweepPoint& q) { return q.lower_bound_s >= 0; });
    });
    if (has) (same_bounds(d.series) ? any_shared : any_own) = true;
  }
  std::vector<LegendItem> legend;
  for (const SweepLegendEntry& e : chart.legend)
    legend.push_back({LegendItem::Swatch::line, std::string(series_color(e.color)), e.text, ""});
  if (any_context)
    legend.push_back({LegendItem::Swatch::line, "#BBBBBB", chart.context_legend, ""});
  legend.push_back({LegendItem::Swatch::box, "#CCCCCC", "95% confidence band of the mean", ""});
  if (any_bound) {
    legend.push_back({LegendItem::Swatch::line, kBoundColor,
                      any_own ? (any_shared ? "lower bound (no schedule is faster; dashed, "
                                              "series colour where strategies differ)"
                                            : "lower bound (dashed, series colour)")
                              : "lower bound (no schedule is faster)",
                      "5 4"});
  }
  if (any_mark) legend.push_back({LegendItem::Swatch::diamond, "#FFFFFF", "recommended", ""});
  draw_legend(body, legend, 12, y0, kWidth - 24);
  const double top = y0 + legend_height(legend, kWidth - 24) + 14;

  const std::size_t columns = columns_for(chart.panels.size());
  const double width = (kRight - kLeft - kColumnGap * static_cast<double>(columns - 1)) /
                       static_cast<double>(columns);
  std::vector<std::vector<std::string>> titles;
  std::size_t most_lines = 1;
  for (const SweepPanel& panel : chart.panels) {
    titles.push_back(title_lines(panel.title, width));
    most_lines = std::max(most_lines, titles.back().size());
  }
  const double title_room = kTitleRoom + static_cast<double>(most_lines - 1) * kTitleLine;
  const double cell_height = title_room + kMakespanHeight + kPlotGap + kThroughputHeight + kRowGap;
  double bottom = top;
  for (std::size_t i = 0; i < chart.panels.size(); ++i) {
    const SweepPanel& panel = chart.panels[i];
    const double left = kLeft + static_cast<double>(i % columns) * (width + kColumnGap);
    const double cell_top = top + static_cast<double>(i / columns) * cell_height;
    const XAxis x = x_axis(every, info, left, left + width);
    Plot mk = plot(cell_top + title_room, kMakespanHeight, left, left + width, "makespan (s), mean",
                   max_makespan);
    Plot tp = plot(mk.top + kMakespanHeight + kPlotGap, kThroughputHeight, left, left + width,
                   "throughput (downloads/s), mean", max_throughput);
    mk.y_labels = tp.y_labels = i % columns == 0;
    bottom = std::max(bottom, tp.top + tp.height);
    fmt::format_to(std::back_inserter(body), "<g class=\"panel\" data-panel=\"{}\">\n",
                   xml_escape(panel.title));
    // The note right of the makespan plot's title, after a diamond (the legend's "recommended").
    for (std::size_t l = 0; l < titles[i].size(); ++l) {
      svg_text(body, left, cell_top + 14 + static_cast<double>(l) * kTitleLine, titles[i][l],
               {.size = kTitleSize, .bold = true, .css_class = "panel-title"});
    }
    if (!panel.note.empty()) {
      const std::string note = fit_text(panel.note, kFont, width - 150);
      const double nx = left + width - text_width(note, kFont);
      fmt::format_to(std::back_inserter(body),
                     "<path class=\"mark\" d=\"M{} {}l5 5l-5 5l-5 -5z\" fill=\"#FFF\" "
                     "stroke=\"#000\" stroke-width=\"1.5\"/>\n",
                     num(nx - 10), num(mk.top - 19));
      svg_text(body, nx, mk.top - 10, note,
               {.size = kFont, .bold = true, .css_class = "panel-note"});
    }
    draw_frame(body, mk, x, info);
    draw_frame(body, tp, x, info);
    draw_mark_lines(body, panel.marks, x, {&mk, &tp});
    const Drawn& d = drawn[i];
    for (std::size_t c = 0; c < d.context.size(); ++c) {
      const std::string color(series_color(panel.context[c].color));
      draw_context(body, d.context[c], panel.context[c].label, color, x, mk,
                   &SweepPoint::makespan_s);
      draw_context(body, d.context[c], panel.context[c].label, color, x, tp,
                   &SweepPoint::throughput_per_s);
    }
    draw_bounds(body, d.series, panel.series, x, mk);
    for (std::size_t s = 0; s < d.series.size(); ++s) {
      const std::string color(series_color(panel.series[s].color));
      draw_series(body, d.series[s], panel.series[s].label, color, "", x, mk,
                  &SweepPoint::makespan_s, "makespan");
      draw_series(body, d.series[s], panel.series[s].label, color, "", x, tp,
                  &SweepPoint::throughput_per_s, "throughput");
    }
    draw_marks(body, panel.marks, d.series, panel.series, x, mk);
    body += "</g>\n";
  }

  svg_text(body, (kLeft + kRight) / 2, bottom + 36,
           info.x_label + (info.log_x ? " (log scale)" : ""),
           {.size = 12, .anchor = "middle", .fill = "#333"});

  return svg_document(kWidth, bottom + 50, body);
}

}  // namespace plots
