// The sweep chart: mean makespan and throughput against the swept setting, one line per series
// (strategy) with its 95% confidence band, the lower bound dashed, recommended points marked,
// log-x for geometric ranges; for more keys, small multiples: one panel per value of the others.
// Plain inputs; deterministic, self-contained SVG.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace plots {

struct SweepValue {
  double mean = 0;
  double low = 0;  // of the 95% interval; = mean when there is none
  double high = 0;
};

struct SweepPoint {
  double x = 0;  // the setting, in its unit (log axes need x > 0)
  SweepValue makespan_s;
  SweepValue throughput_per_s;
  double lower_bound_s = 0;  // < 0: none
};

struct SweepSeries {
  std::string label;               // "threads-20"
  std::vector<SweepPoint> points;  // any order; drawn by x
  std::size_t color = 0;           // palette index (e.g. the strategy)
  std::size_t dash = 0;            // line style index (0: solid)
};

struct SweepTick {
  double x = 0;
  std::string label;  // "24", "50ms"
};

// A point of one series to mark, e.g. the recommendation.
struct SweepMark {
  std::size_t series = 0;
  double x = 0;
  std::string label;  // "recommended: 24"
};

struct SweepChartInfo {
  std::string scenario;  // names the figure
  std::string subtitle;  // e.g. "100 replications per point · seeds from 2015"
  std::string x_label;   // "strategy.threads-20.workers"
  bool log_x = false;
  std::vector<SweepTick> x_ticks;  // labels that would overlap are left out
  std::vector<SweepMark> marks;
};

std::string sweep_chart_svg(const std::vector<SweepSeries>& series, const SweepChartInfo& info);

// Small multiples: one panel per value of the other swept keys, every panel on the same x and
// y axes so that heights compare across panels; series lines are solid, lower bounds dashed.
struct SweepPanel {
  std::string title;                 // "network.rtt = 50ms"
  std::vector<SweepSeries> series;   // drawn in full (dash is not used)
  std::vector<SweepSeries> context;  // drawn faint, mean line only: shown in full elsewhere
  std::vector<SweepMark> marks;      // SweepMark::series indexes `series`
  std::string note;                  // right of the title: "recommended for async"
};

struct SweepLegendEntry {
  std::string text;  // "async (flat: not changed by strategy.threads-20.workers)"
  std::size_t color = 0;
};

struct SweepPanels {
  std::string panel_keys;  // what the panels vary: "network.rtt"
  std::vector<SweepPanel> panels;
  std::vector<SweepLegendEntry> legend;  // one per strategy
  std::string context_legend;            // what the faint lines are, when there are any
};

// info.marks is not used: each panel has its own.
std::string sweep_panels_svg(const SweepPanels& chart, const SweepChartInfo& info);

}  // namespace plots
