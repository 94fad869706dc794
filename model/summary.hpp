// A strategy's figures: makespan, throughput, latency percentiles, outcome counts, lane
// busy fractions, and the lower bound no strategy can beat on this workload.
#pragma once

#include "model/outcome.hpp"
#include "model/scenario.hpp"
#include "model/strategy_run.hpp"

namespace model {

Summary summarize(const StrategyResult& r, Duration lower_bound);

// The best any schedule could do with what this run drew (the same draws for every
// strategy): no schedule with these lanes can finish sooner. It is the largest of: the
// bytes over the link; the downloads' times alone (no sharing, no waiting) on the lanes;
// their time on the wire on the per-host connection slots; the CPU work on the CPU slots;
// and the service times on the server's workers, between the least time before a service
// and the least after it. Jobs on lanes count in whole rounds (rounds_bound), so equal
// jobs on W lanes give exactly ceil(n / W) rounds.
Duration lower_bound(const Scenario& s, const Client& c, const StrategyPlan& plan,
                     const StrategyResult& r, std::uint64_t seed);

// The least time `lanes` parallel lanes need to run jobs of these durations, each job on one
// lane: the longest job, the total over the lanes, and whole rounds (k + 1 times the
// (k * lanes + 1)-th longest, for every k).
Duration rounds_bound(std::vector<Duration> times, int lanes);

// Nearest-rank percentile of sorted values (p in (0, 100]).
Duration percentile(const std::vector<Duration>& sorted, double p);

}  // namespace model
