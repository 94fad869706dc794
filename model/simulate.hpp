// Simulates a scenario: builds its jobs, then runs each chosen strategy on a fresh
// simulation with the simulated transport.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/jobs.hpp"
#include "model/scenario.hpp"
#include "model/strategy_run.hpp"

namespace model {

struct SimulateOptions {
  std::optional<std::uint64_t> seed;  // overrides the scenario's
  std::vector<std::string> only;      // strategy names to run; empty = all
  bool record_log = false;
};

// Runs one strategy against the simulated world.
RunRecord simulate_strategy(const Scenario& s, const Strategy& strategy,
                            const std::vector<Job>& jobs, std::uint64_t seed, bool record_log,
                            Progress* progress = nullptr, bool all_spans = true);
RunRecord simulate_strategy(const Scenario& s, const Strategy& strategy, const Jobs& jobs,
                            std::uint64_t seed, bool record_log, Progress* progress = nullptr,
                            bool all_spans = true);

// Runs the chosen strategies in scenario order. Throws std::invalid_argument for an
// unknown strategy name.
std::vector<RunRecord> simulate(const Scenario& s, const SimulateOptions& options);

// The strategies `only` names (all when empty), in scenario order.
std::vector<const Strategy*> select_strategies(const Scenario& s,
                                               const std::vector<std::string>& only);

}  // namespace model
