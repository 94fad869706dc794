// A strategy's figures: makespan, throughput, latency percentiles, outcome counts, lane
// busy fractions, and the lower bound no strategy can beat on this workload.
#pragma once

#include "model/outcome.hpp"
#include "model/scenario.hpp"
#include "model/strategy_run.hpp"

namespace model {

Summary summarize(const StrategyResult& r, Duration lower_bound);

// The best any schedule could do with what this run drew (the same draws for every
// strategy): the bytes over the link, the slowest successful download alone (no sharing,
// no waiting), the downloads' time alone over the lanes, the CPU work over the CPU slots,
// and the server's work over its workers.
Duration lower_bound(const Scenario& s, const StrategyPlan& plan, const StrategyResult& r,
                     std::uint64_t seed);

// Nearest-rank percentile of sorted values (p in (0, 100]).
Duration percentile(const std::vector<Duration>& sorted, double p);

}  // namespace model
