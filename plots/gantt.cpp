// Gantt chart SVG: title, legend, one panel per strategy on a time axis in seconds, shared when
// the panels' makespans are alike, one per panel otherwise.
#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <iterator>
#include <vector>

#include "plots/axis.hpp"
#include "plots/gantt_parts.hpp"
#include "plots/labels.hpp"
#include "plots/legend.hpp"
#include "plots/palette.hpp"
#include "plots/plots.hpp"
#include "plots/text.hpp"

namespace plots {
namespace {

constexpr double kWidth = 1200;
constexpr double kLeft = 104;  // lane names live left of this
constexpr double kRight = kWidth - 28;
constexpr double kTickFont = 11;
constexpr double kStrip = 16;  // height of the waiting strip
constexpr double kUsage = 12;  // height of a usage strip, and (a third of it) the gap above one

// The last instant a panel draws: its lower bound, or a download's end or consumption.
double last_time(const model::StrategyResult& r) {
  sim::Time last = r.summary.lower_bound;
  for (const auto& d : r.downloads)
    last = std::max({last, d.submitted, d.end, d.consumed});
  return sim::to_seconds(last);
}

// Whether every panel can use one axis: their spans differ by at most kSharedAxisRatio.
bool one_axis(const std::vector<model::StrategyResult>& results) {
  double lo = 0, hi = 0;
  bool any = false;
  for (const auto& r : results) {
    const double t = last_time(r);
    if (!(t > 0)) continue;
    lo = any ? std::min(lo, t) : t;
    hi = any ? std::max(hi, t) : t;
    any = true;
  }
  return !any || hi <= kSharedAxisRatio * lo;
}

// Round ticks whose labels leave room between them.
Ticks time_ticks(double t_end) {
  for (int intervals = 8;; --intervals) {
    Ticks t = nice_ticks(t_end, intervals);
    double widest = 0;
    for (double v : t.values)
      widest = std::max(widest, text_width(tick_label(v, t.decimals), kTickFont));
    const double pitch = (kRight - kLeft) / (static_cast<double>(t.values.size()) - 1);
    if (pitch >= widest + 12 || intervals <= 2) return t;
  }
}

double makespan_s(const model::StrategyResult& r) {
  if (r.summary.makespan.count() > 0) return sim::to_seconds(r.summary.makespan);
  sim::Time last{0};
  for (const auto& d : r.downloads)
    last = std::max({last, d.end, d.consumed});
  return sim::to_seconds(last);
}

std::string panel_stats(const model::StrategyResult& r) {
  std::string s = fmt::format("{} downloads \u00b7 makespan {}", count_label(r.downloads.size()),
                              seconds_label(makespan_s(r)));
  if (r.summary.lower_bound.count() > 0) {
    s += " \u00b7 lower bound " + seconds_label(sim::to_seconds(r.summary.lower_bound));
  }
  const auto failed = std::count_if(r.downloads.begin(), r.downloads.end(),
                                    [](const auto& d) { return d.status != model::Status::ok; });
  if (failed > 0) s += " \u00b7 " + count_label(static_cast<std::size_t>(failed)) + " failed";
  if (has_waiting(r)) s += " \u00b7 up to " + count_label(max_waiting(r)) + " waiting";
  if (uses_density(r)) s += fmt::format(" \u00b7 {} lanes per band", lanes_per_band(r));
  return s;
}

std::vector<LegendItem> legend_items(const std::vector<model::StrategyResult>& results) {
  std::array<bool, model::kPhaseCount> seen{};
  bool waiting = false, failed = false, detail = false, density = false, bound = false,
       instant = false, gaps = false, usage = false;
  for (const auto& r : results) {
    for (const auto& s : r.spans)
      seen[static_cast<std::size_t>(s.phase)] = true;
    waiting = waiting || has_waiting(r);
    usage = usage || usage_strip_count(r) > 0;
    density = density || uses_density(r);
    detail = detail || !uses_density(r);
    bound = bound || r.summary.lower_bound.count() > 0;
    gaps = gaps || (!uses_density(r) && has_gaps(r));
    instant = instant ||
              (!uses_density(r) && std::any_of(r.downloads.begin(), r.downloads.end(),
                                               [](const auto& d) { return d.end <= d.start; }));
    failed = failed || (!uses_density(r) &&
                        std::any_of(r.downloads.begin(), r.downloads.end(),
                                    [](const auto& d) { return d.status != model::Status::ok; }));
  }
  std::vector<LegendItem> items;
  for (model::Phase p : kPhases) {
    if (p == model::Phase::queued || !seen[static_cast<std::size_t>(p)]) continue;
    items.push_back({LegendItem::Swatch::box, std::string(phase_color(p)),
                     std::string(model::to_string(p)), ""});
  }
  if (waiting) {
    items.push_back({LegendItem::Swatch::box, std::string(phase_color(model::Phase::queued)),
                     "queued: waiting for a lane (strip above lanes)", ""});
  }
  if (usage) {
    items.push_back({LegendItem::Swatch::area, "#999",
                     "under the lanes: share of the server's workers, the CPU or the link in use",
                     ""});
  }
  if (gaps) {
    items.push_back({LegendItem::Swatch::outline, "none",
                     "no phase: holding the lane, waiting (e.g. for the CPU)", ""});
  }
  if (failed) items.push_back({LegendItem::Swatch::hatch, "#fff", "failed (with status)", ""});
  if (instant) items.push_back({LegendItem::Swatch::diamond, "#fff", "took no time", ""});
  if (detail) items.push_back({LegendItem::Swatch::tick, "#000", "result consumed by caller", ""});
  if (bound) items.push_back({LegendItem::Swatch::line, "#000", "lower bound", "5 3"});
  if (density) {
    items.push_back({LegendItem::Swatch::stack, "none",
                     "lane bands: share of lane time per phase, stacked; empty = idle", ""});
  }
  return items;
}

void draw_grid(std::string& out, const Ticks& ticks, const LinearScale& x, double top,
               double bottom) {
  auto o = std::back_inserter(out);
  for (double v : ticks.values) {
    fmt::format_to(o,
                   "<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" "
                   "stroke=\"#fff\" stroke-width=\"1\"/>\n",
                   num(x(v)), num(top), num(bottom));
  }
}

void draw_time_axis(std::string& out, const Ticks& ticks, const LinearScale& x, double y,
                    bool own) {
  auto o = std::back_inserter(out);
  fmt::format_to(o, "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#555\"/>\n",
                 num(kLeft), num(kRight), num(y));
  for (double v : ticks.values) {
    const std::string label = tick_label(v, ticks.decimals);
    fmt::format_to(o,
                   "<line class=\"tick\" data-t=\"{0}\" x1=\"{1}\" y1=\"{2}\" x2=\"{1}\" "
                   "y2=\"{3}\" stroke=\"#555\"/>\n",
                   label, num(x(v)), num(y), num(y + 4));
    svg_text(out, x(v), y + 16, label, {.size = kTickFont, .anchor = "middle", .fill = "#333"});
  }
  if (own) {  // say so: this panel's scale is not its neighbours'
    svg_text(out, kLeft - 8, y + 16, "own axis, s",
             {.size = 10, .anchor = "end", .fill = "#B00", .css_class = "own-axis"});
  }
}

// Draws one strategy's panel with its top at y; returns the y below it.
double draw_panel(std::string& out, const model::StrategyResult& r, const Ticks& ticks,
                  const LinearScale& x, double y, bool own_axis) {
  const std::string stats = panel_stats(r);
  const double stats_w = text_width(stats, 11);
  const double title_room = std::max(80.0, kRight - 12 - stats_w - 24);
  out += fmt::format("<g class=\"panel\" data-strategy=\"{}\" data-axis-end=\"{}\">\n",
                     xml_escape(r.name), tick_label(ticks.max, ticks.decimals));
  svg_text(out, 12, y + 14, fit_text(strategy_title(r), 13, title_room),
           {.size = 13, .bold = true, .css_class = "panel-title"});
  if (stats_w + 12 + 80 + 24 <= kRight) {
    svg_text(out, kRight, y + 14, stats, {.size = 11, .anchor = "end", .fill = "#555"});
  }
  y += 24;
  const double area_top = y;
  if (has_waiting(r)) {
    draw_waiting_strip(out, r, x, kLeft, kRight, y, kStrip);
    svg_text(out, kLeft - 8, y + kStrip / 2 + 3.5, "waiting",
             {.size = 10, .anchor = "end", .fill = "#444"});
    y += kStrip + 4;
  }
  PanelRows rows;
  rows.x = x;
  rows.left = kLeft;
  rows.right = kRight;
  rows.label_right = kLeft - 8;
  rows.top = y;
  rows.rows = panel_row_count(r);
  rows.lanes_per_row = lanes_per_band(r);
  rows.row_h = row_height(rows.rows, uses_density(r));
  draw_lane_backgrounds(out, r, rows);
  const double lanes_bottom = y + rows.rows * rows.row_h;
  const int strips = usage_strip_count(r);
  const double bottom = lanes_bottom + strips * (kUsage + kUsage / 3);
  draw_grid(out, ticks, x, area_top, lanes_bottom);
  std::string overlay;
  if (uses_density(r)) {
    draw_density_bands(out, r, rows);
  } else {
    draw_detail_lanes(out, overlay, r, rows);
  }
  if (r.summary.lower_bound.count() > 0) {
    fmt::format_to(std::back_inserter(out),
                   "<line class=\"lower-bound\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" "
                   "stroke=\"#000\" stroke-width=\"1.2\" stroke-dasharray=\"5 3\"/>\n",
                   num(x(sim::to_seconds(r.summary.lower_bound))), num(area_top - 2),
                   num(lanes_bottom + 2));
  }
  out += overlay;
  draw_usage_strips(out, r, x, kLeft, kRight, lanes_bottom + kUsage / 3, kUsage, kUsage / 3);
  draw_time_axis(out, ticks, x, bottom, own_axis);
  out += "</g>\n";
  return bottom + 22;
}

}  // namespace

std::string gantt_svg(const std::vector<model::StrategyResult>& results, const ChartInfo& info) {
  const bool shared = info.shared_axis || one_axis(results);
  double last_all = 0;
  for (const auto& r : results)
    last_all = std::max(last_all, last_time(r));
  const std::vector<LegendItem> legend = legend_items(results);

  std::string body;
  const std::string title =
      (info.scenario.empty() ? std::string("loiter") : info.scenario) + " \u2014 downloads by lane";
  double y = draw_chart_header(body, title, info.subtitle, legend, kWidth - 24) + 6;
  if (results.empty()) {
    svg_text(body, 12, y + 20, "no strategy results", {.size = 13});
    y += 30;
  }
  for (const auto& r : results) {
    const Ticks ticks = time_ticks(shared ? last_all : last_time(r));
    const LinearScale x{0, ticks.max, kLeft, kRight};
    y = draw_panel(body, r, ticks, x, y + 8, !shared);
  }
  svg_text(body, (kLeft + kRight) / 2, y + 10,
           shared ? "time since start (s)"
                  : "time since start (s); each panel on its own axis: makespans differ more "
                    "than 3\u00d7",
           {.size = 12, .anchor = "middle", .fill = "#333"});
  y += 22;

  return svg_document(kWidth, y, body);
}

}  // namespace plots
