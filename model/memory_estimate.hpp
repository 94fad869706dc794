// How much memory a simulated run needs, estimated before it starts, so that a scenario too
// large for the machine is refused up front instead of failing in std::bad_alloc.
#pragma once

#include <cstdint>
#include <vector>

#include "model/scenario.hpp"

namespace model {

// Bytes a `loiter run` of these strategies holds at its peak: the jobs (unless a generated
// workload's are drawn as they are taken), each strategy's downloads (whole, or their tally),
// and the coroutine frames of the strategy with the most lanes. Calibrated on measured peak
// RSS (memory_estimate.cpp says how); an estimate meant to be a little over.
// `all_spans`: the run keeps every download whole and every phase (model/strategy_run.hpp);
// else only a tally, and a generated workload's jobs are drawn, not listed.
std::uint64_t estimate_run_bytes(const Scenario& s, const std::vector<const Strategy*>& strategies,
                                 bool all_spans = true);

}  // namespace model
