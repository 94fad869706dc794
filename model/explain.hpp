// What limits a run, read off the run itself (its phase spans, bytes and makespan): for each
// shared resource the strategy met (its lanes, the server's workers, the link, the CPU slots,
// the client's pool and rate limit), how busy it was over the makespan and the share of the
// downloads' time (arrival to end, summed) spent waiting for it; then one line naming the one
// that bound the run.
//
// The verdict: a resource past the lanes (server workers, link, CPU, pool, rate limit) binds
// when it was busy 90% of the makespan or more, or when the downloads spent 10% of their time
// or more waiting for it; of several, the one with the most evidence (its use, or its waiting
// share, whichever is larger). Then more concurrency will not help. Otherwise the lanes bind
// when downloads waited for one and the run lasted longer (by more than 1%) than it would have
// without those waits (the latest arrival plus own time): more lanes would help, or, with a
// lane for every download, starting them sooner; otherwise nothing shared binds, and the
// makespan is the downloads' own time (latency).
#pragma once

#include "model/outcome.hpp"
#include "model/scenario.hpp"
#include "model/strategy_run.hpp"

namespace model {

Explanation explain(const Scenario& s, const Client& c, const StrategyPlan& plan,
                    const StrategyResult& r);

}  // namespace model
