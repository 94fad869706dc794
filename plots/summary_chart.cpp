// Summary SVG: one horizontal bar per strategy, its makespan split into where the lane time went
// (each phase's share over the lanes, then idle), with the lower bound marked.
#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <iterator>
#include <vector>

#include "plots/axis.hpp"
#include "plots/labels.hpp"
#include "plots/legend.hpp"
#include "plots/palette.hpp"
#include "plots/plots.hpp"
#include "plots/svg.hpp"
#include "plots/text.hpp"

namespace plots {
namespace {

constexpr double kWidth = 1200;
constexpr double kLeft = 260;            // strategy names live left of this
constexpr double kRight = kWidth - 110;  // makespan labels live right of this
constexpr double kBar = 22;
constexpr double kPitch = 34;
constexpr const char* kIdle = "#EEEEEE";

}  // namespace

std::array<double, model::kPhaseCount> lane_time_shares(const model::StrategyResult& r) {
  std::array<double, model::kPhaseCount> share{};
  const double capacity = sim::to_seconds(r.summary.makespan) * std::max(1, r.lanes);
  if (!(capacity > 0)) return share;
  double total = 0;
  model::for_each_span_by_id(r, [&](const model::PhaseSpan& s) {
    if (s.phase == model::Phase::queued) return;  // not on a lane yet
    const double d = sim::to_seconds(s.end - s.start);
    share[static_cast<std::size_t>(s.phase)] += d / capacity;
    total += d / capacity;
  });
  if (total > 1)  // overlapping spans (e.g. CPU under a GIL): keep the proportions
    for (double& v : share)
      v /= total;
  return share;
}

std::string summary_svg(const std::vector<model::StrategyResult>& results, const ChartInfo& info) {
  double last = 0;
  std::array<bool, model::kPhaseCount> seen{};
  bool bound = false;
  for (const auto& r : results) {
    last = std::max(
        {last, sim::to_seconds(r.summary.makespan), sim::to_seconds(r.summary.lower_bound)});
    bound = bound || r.summary.lower_bound.count() > 0;
    for (const auto& s : r.spans)
      seen[static_cast<std::size_t>(s.phase)] = true;
  }
  const Ticks ticks = nice_ticks(last, 8);
  const LinearScale x{0, ticks.max, kLeft, kRight};

  std::vector<LegendItem> legend;
  for (model::Phase p : kPhases)
    if (p != model::Phase::queued && seen[static_cast<std::size_t>(p)])
      legend.push_back({LegendItem::Swatch::box, std::string(phase_color(p)),
                        std::string(model::to_string(p)), ""});
  legend.push_back({LegendItem::Swatch::box, kIdle, "idle lanes", ""});
  if (bound) legend.push_back({LegendItem::Swatch::line, "#000", "lower bound", "5 3"});

  std::string body;
  auto o = std::back_inserter(body);
  const std::string title = (info.scenario.empty() ? std::string("loiter") : info.scenario) +
                            " \u2014 makespan per strategy, and where the lane time went";
  double y = draw_chart_header(body, title, info.subtitle, legend, kWidth - 24) + 14;
  const double plot_top = y;
  for (double v : ticks.values)
    fmt::format_to(o,
                   "<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" "
                   "stroke=\"#ddd\"/>\n",
                   num(x(v)), num(plot_top - 4),
                   num(plot_top + kPitch * static_cast<double>(results.size())));
  for (const auto& r : results) {
    const double makespan = sim::to_seconds(r.summary.makespan);
    fmt::format_to(o, "<g class=\"summary-bar\" data-strategy=\"{}\" data-makespan=\"{}\">\n",
                   xml_escape(r.name), num(makespan, 6));
    svg_text(body, kLeft - 10, y + kBar / 2 + 4, fit_text(r.name, 12, kLeft - 22),
             {.size = 12, .anchor = "end"});
    const double w = x(makespan) - kLeft;
    double at = kLeft;
    double used = 0;
    const auto share = lane_time_shares(r);
    for (model::Phase p : kPhases) {
      const double f = share[static_cast<std::size_t>(p)];
      if (!(f > 0)) continue;
      used += f;
      fmt::format_to(o,
                     "<rect class=\"share\" data-phase=\"{}\" data-share=\"{}\" x=\"{}\" y=\"{}\" "
                     "width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {:.1f}% of lane "
                     "time</title></rect>\n",
                     model::to_string(p), num(f, 4), num(at), num(y), num(f * w), num(kBar),
                     phase_color(p), model::to_string(p), 100 * f);
      at += f * w;
    }
    const double idle = std::max(0.0, 1 - used);
    fmt::format_to(o,
                   "<rect class=\"share\" data-phase=\"idle\" data-share=\"{}\" x=\"{}\" y=\"{}\" "
                   "width=\"{}\" height=\"{}\" fill=\"{}\"><title>idle: {:.1f}% of lane "
                   "time</title></rect>\n",
                   num(idle, 4), num(at), num(y), num(std::max(0.0, kLeft + w - at)), num(kBar),
                   kIdle, 100 * idle);
    fmt::format_to(o,
                   "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
                   "stroke=\"#333\" stroke-width=\"0.6\"/>\n",
                   num(kLeft), num(y), num(w), num(kBar));
    if (r.summary.lower_bound.count() > 0) {
      fmt::format_to(o,
                     "<line class=\"lower-bound\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" "
                     "stroke=\"#000\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>\n",
                     num(x(sim::to_seconds(r.summary.lower_bound))), num(y - 4), num(y + kBar + 4));
    }
    svg_text(body, x(makespan) + 8, y + kBar / 2 + 4, seconds_label(makespan),
             {.size = 12, .css_class = "makespan"});
    body += "</g>\n";
    y += kPitch;
  }
  fmt::format_to(o, "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#555\"/>\n",
                 num(kLeft), num(kRight), num(y));
  for (double v : ticks.values) {
    fmt::format_to(o, "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#555\"/>\n",
                   num(x(v)), num(y), num(y + 4));
    svg_text(body, x(v), y + 16, tick_label(v, ticks.decimals),
             {.size = 11, .anchor = "middle", .fill = "#333"});
  }
  svg_text(body, (kLeft + kRight) / 2, y + 34, "makespan (s)",
           {.size = 12, .anchor = "middle", .fill = "#333"});
  y += 46;

  return svg_document(kWidth, y, body);
}

}  // namespace plots
