// Runs a sweep's share of runs on J threads: each task is one point and replication, every
// strategy simulated on its own single-threaded simulation. Results land in fixed slots, so
// the rows do not depend on J or on which thread ran what.
#pragma once

#include <cstddef>
#include <vector>

#include "model/scenario.hpp"
#include "sweep/sweep_plan.hpp"
#include "sweep/sweep_stats.hpp"

namespace sweep {

struct SweepRunOptions {
  unsigned jobs = 1;      // threads
  bool progress = false;  // a progress bar with ETA on stderr
};

// The rows of every point of meta.shard_points(), replication and strategy, sorted by
// row_before. The first exception of any run is rethrown here, after every thread stopped.
std::vector<SweepRow> run_sweep(const model::Scenario& base, const SweepMeta& meta,
                                const SweepRunOptions& options);

// The rows of one point and replication (what one task computes).
std::vector<SweepRow> run_point(const model::Scenario& base, const SweepMeta& meta,
                                std::size_t point, int replication);

}  // namespace sweep
