// A sweep's numbers: one row per point, replication and strategy; per point and strategy the
// mean with its 95% confidence interval (Student t), min and max; the recommendation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sweep/sweep_plan.hpp"

namespace sweep {

// One simulated run. Durations are exact nanoseconds, so a row read back from sweep.csv is
// the row that was written.
struct SweepRow {
  std::size_t point = 0;
  int replication = 0;
  std::size_t strategy = 0;  // index into SweepMeta::strategies
  std::uint64_t seed = 0;
  std::int64_t makespan_ns = 0;
  double throughput_per_s = 0;
  std::int64_t p95_ns = 0;
  std::int64_t lower_bound_ns = 0;
  std::int64_t downloads = 0;
  std::int64_t ok = 0;
  std::int64_t failed = 0;  // neither ok nor not found (a 404 is an answer, not a failure)
  std::string binds;        // what bound the run (model/explain.hpp): "lanes", ..., or "none"
};

// Rows in the order every output uses: point, replication, strategy.
bool row_before(const SweepRow& a, const SweepRow& b);

// The two-sided 95% quantile of Student's t with `df` degrees of freedom (12.706 for 1).
double student_t95(int df);

struct Estimate {
  std::size_t n = 0;
  double mean = 0;
  double half_width = 0;  // of the 95% interval; NaN with a single value (no interval)
  double min = 0;
  double max = 0;
  bool has_interval() const { return n > 1; }
};
Estimate estimate(const std::vector<double>& values);

struct PointStats {
  std::size_t point = 0;
  std::size_t strategy = 0;
  Estimate makespan_s, throughput_per_s, p95_s;
  double lower_bound_s = 0;  // mean over the replications
  std::int64_t failed = 0;   // failed downloads (SweepRow::failed), over all replications
  Estimate failed_share;     // per replication: failed / downloads
  std::string binds;         // what bound most replications (the first such in a tie)
};

// Per point and strategy, in row order. `rows` must be sorted by row_before.
std::vector<PointStats> point_stats(const SweepMeta& meta, const std::vector<SweepRow>& rows);

// Whether the axis' key changes the strategy: keys outside [[strategy]] change all,
// strategy.NAME.* the named one, strategy.*.* those in meta.varied.
bool axis_changes(const SweepMeta& meta, std::size_t axis, std::size_t strategy);

// For one strategy: the eligible points are those whose mean failed share is no worse than the
// fewest-failures point's (at most its mean plus its 95% half-width); of them, the smallest
// setting (values of the axes that change the strategy compared axis by axis, first axis first)
// whose mean makespan is within meta.within of the best eligible mean.
struct Recommendation {
  std::size_t strategy = 0;
  const PointStats* chosen = nullptr;
  const PointStats* best = nullptr;           // fastest eligible point
  const PointStats* fewest_failed = nullptr;  // the point the constraint compares with
  double failed_limit = 0;                    // eligible: mean failed share <= this
  std::size_t excluded = 0;                   // points left out for their failures
  const PointStats* next = nullptr;           // the next larger setting, if any ("past it")
};
// None when an axis is a what-if axis (what_if_key).
std::vector<Recommendation> recommend(const SweepMeta& meta, const std::vector<PointStats>& stats);

// "recommended: strategy.threads-20.workers = 24 (makespan 1.21 s ± 0.02, best 1.16 s at 128)".
std::string recommendation_line(const SweepMeta& meta, const Recommendation& r);

// A share as a percentage: "0%", "0.4%", "35%".
std::string percent_text(double share);

// "1.21 s ± 0.02" with as many decimals as three significant digits of the mean need.
std::string seconds_with_interval(const Estimate& e);

}  // namespace sweep
