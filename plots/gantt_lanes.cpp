// Gantt panel rows: detail or density choice, row sizes, lane backgrounds and lane names.
#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <iterator>

#include "plots/gantt_parts.hpp"
#include "plots/labels.hpp"
#include "plots/text.hpp"

namespace plots {
namespace {

int lane_count(const model::StrategyResult& r) {
  int lanes = std::max(1, r.lanes);
  for (const model::Outcome& o : r.downloads)
    lanes = std::max(lanes, o.lane + 1);
  return lanes;
}

}  // namespace

bool uses_density(const model::StrategyResult& r) {
  return lane_count(r) > kMaxDetailLanes || r.downloads.size() > kMaxDetailDownloads;
}

int lanes_per_band(const model::StrategyResult& r) {
  if (!uses_density(r)) return 1;
  const int lanes = lane_count(r);
  return (lanes + kMaxBands - 1) / kMaxBands;
}

int panel_row_count(const model::StrategyResult& r) {
  const int per = lanes_per_band(r);
  return (lane_count(r) + per - 1) / per;
}

double row_height(int rows, bool density) {
  const double budget = density ? 400 : 440;
  return std::clamp(std::floor(budget / std::max(rows, 1)), density ? 6.0 : 2.0, 22.0);
}

void draw_lane_backgrounds(std::string& out, const model::StrategyResult& r, const PanelRows& p) {
  auto o = std::back_inserter(out);
  const double font = p.row_h >= 14 ? 11 : 10;
  const int every = std::max(1, static_cast<int>(std::ceil((font + 3) / p.row_h)));
  const int lanes = lane_count(r);
  for (int i = 0; i < p.rows; ++i) {
    const double y = p.top + i * p.row_h;
    const int first = i * p.lanes_per_row;
    const int last = std::min(lanes, first + p.lanes_per_row) - 1;
    const char* fill = i % 2 == 0 ? "#F7F7F7" : "#EBEBEB";
    if (p.lanes_per_row == 1) {
      fmt::format_to(o,
                     "<rect class=\"lane\" data-lane=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" "
                     "height=\"{}\" fill=\"{}\"/>\n",
                     i, num(p.left), num(y), num(p.right - p.left), num(p.row_h), fill);
    } else {
      fmt::format_to(o,
                     "<rect class=\"band\" data-lanes=\"{}-{}\" x=\"{}\" y=\"{}\" width=\"{}\" "
                     "height=\"{}\" fill=\"{}\"/>\n",
                     first, last, num(p.left), num(y), num(p.right - p.left), num(p.row_h), fill);
    }
    if (i % every != 0) continue;
    std::string name = lane_name(r, first);
    if (last > first) name += fmt::format("\u2013{}", last);
    name = fit_text(name, font, p.label_right - 4);
    svg_text(out, p.label_right, y + p.row_h / 2 + font * 0.35, name,
             {.size = font, .anchor = "end", .fill = "#444", .css_class = "lane-name"});
  }
}

}  // namespace plots
