// The sweep chart (see sweep_chart.hpp): two plots on a shared x axis, makespan (with the
// lower bound) above throughput.
#include "plots/sweep_chart.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>

#include "plots/legend.hpp"
#include "plots/palette.hpp"
#include "plots/sweep_chart_parts.hpp"
#include "plots/text.hpp"

namespace plots {
namespace {

using namespace sweep_parts;

constexpr double kWidth = 960;
constexpr double kLeft = 72;
constexpr double kRight = kWidth - 28;
constexpr double kMakespanHeight = 300;
constexpr double kThroughputHeight = 190;
constexpr double kPlotGap = 62;  // tick labels, then the next plot's title
constexpr std::array<const char*, 5> kDashes = {"", "8 4", "2 3", "10 3 2 3", "4 4"};

std::string dash_of(std::size_t i) {
  return kDashes[i % kDashes.size()];
}

}  // namespace

std::string sweep_chart_svg(const std::vector<SweepSeries>& series, const SweepChartInfo& info) {
  std::vector<std::vector<SweepPoint>> pts;
  double max_makespan = 0, max_throughput = 0;
  bool any_bound = false;
  for (const SweepSeries& s : series) {
    pts.push_back(by_x(s.points));
    for (const SweepPoint& q : s.points) {
      max_makespan =
          std::max({max_makespan, q.makespan_s.high, q.makespan_s.mean, q.lower_bound_s});
      max_throughput = std::max({max_throughput, q.throughput_per_s.high, q.throughput_per_s.mean});
      any_bound = any_bound || q.lower_bound_s >= 0;
    }
  }
  const bool shared_bound = !pts.empty() && same_bounds(pts);
  auto color = [&](std::size_t i) { return std::string(series_color(series[i].color)); };
  auto dash = [&](std::size_t i) { return dash_of(series[i].dash); };

  std::vector<LegendItem> legend;
  for (std::size_t i = 0; i < series.size(); ++i)
    legend.push_back({LegendItem::Swatch::line, color(i), series[i].label, dash(i)});
  legend.push_back({LegendItem::Swatch::box, "#CCCCCC", "95% confidence band of the mean", ""});
  if (any_bound) {
    legend.push_back({LegendItem::Swatch::line, shared_bound ? kBoundColor : "#555",
                      shared_bound ? "lower bound (no schedule is faster)"
                                   : "lower bound (dashed, series colour)",
                      "5 4"});
  }
  if (!info.marks.empty())
    legend.push_back({LegendItem::Swatch::diamond, "#FFFFFF", "recommended", ""});

  std::string body;
  const std::string title = (info.scenario.empty() ? std::string("loiter") : info.scenario) +
                            " \u2014 sweep of " + info.x_label;
  svg_text(body, 12, 26, fit_text(title, 17, kWidth - 24), {.size = 17, .bold = true});
  double y0 = 34;
  if (!info.subtitle.empty()) {
    svg_text(body, 12, 50, fit_text(info.subtitle, 12, kWidth - 24), {.size = 12, .fill = "#555"});
    y0 = 58;
  }
  draw_legend(body, legend, 12, y0, kWidth - 24);
  const double top = y0 + legend_height(legend, kWidth - 24) + 30;

  const XAxis x = x_axis(pts, info, kLeft, kRight);
  const Plot mk = plot(top, kMakespanHeight, kLeft, kRight, "makespan (s), mean", max_makespan);
  const Plot tp = plot(top + kMakespanHeight + kPlotGap, kThroughputHeight, kLeft, kRight,
                       "throughput (downloads/s), mean", max_throughput);
  draw_frame(body, mk, x, info);
  draw_frame(body, tp, x, info);
  const double bottom = tp.top + tp.height;
  svg_text(body, (kLeft + kRight) / 2, bottom + 36,
           info.x_label + (info.log_x ? " (log scale)" : ""),
           {.size = 12, .anchor = "middle", .fill = "#333"});

  draw_mark_lines(body, info.marks, x, {&mk, &tp});
  draw_bounds(body, pts, series, x, mk);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    draw_series(body, pts[i], series[i].label, color(i), dash(i), x, mk, &SweepPoint::makespan_s,
                "makespan");
    draw_series(body, pts[i], series[i].label, color(i), dash(i), x, tp,
                &SweepPoint::throughput_per_s, "throughput");
  }
  draw_marks(body, info.marks, pts, series, x, mk);

  return svg_document(kWidth, bottom + 50, body);
}

}  // namespace plots
