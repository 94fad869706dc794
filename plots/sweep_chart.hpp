// The sweep chart: mean makespan and throughput against the swept setting, one line per series
// (strategy) with its 95% confidence band, the lower bound dashed, recommended points marked,
// log-x for geometric ranges. Plain inputs; deterministic, self-contained SVG.
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
  std::size_t dash = 0;            // line style index (e.g. the other swept keys' values)
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

}  // namespace plots
