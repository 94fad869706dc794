#include "model/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "model/sim_transport.hpp"
#include "model/words.hpp"

namespace model {

RunRecord simulate_strategy(const Scenario& s, const Strategy& strategy,
                            const std::vector<Job>& jobs, std::uint64_t seed, bool record_log,
                            Progress* progress, bool all_spans) {
  return simulate_strategy(s, strategy, Jobs(jobs), seed, record_log, progress, all_spans);
}

RunRecord simulate_strategy(const Scenario& s, const Strategy& strategy, const Jobs& jobs,
                            std::uint64_t seed, bool record_log, Progress* progress,
                            bool all_spans) {
  sim::Simulation sim;
  SimTransport transport(sim, s, s.client_of(strategy), seed);
  return run_strategy(sim, transport, s, strategy, jobs, seed, record_log, progress, all_spans);
}

std::vector<const Strategy*> select_strategies(const Scenario& s,
                                               const std::vector<std::string>& only) {
  std::vector<const Strategy*> chosen;
  for (const std::string& name : only) {
    auto it = std::find_if(s.strategies.begin(), s.strategies.end(),
                           [&](const Strategy& st) { return st.name == name; });
    if (it == s.strategies.end()) {
      std::string known, near;
      for (const Strategy& st : s.strategies) {
        known += (known.empty() ? "" : ", ") + st.name;
        if (near.empty() && edit_distance(name, st.name) <= 2) near = st.name;
      }
      throw std::invalid_argument(
          fmt::format("no strategy named '{}' in scenario '{}' ({}it has: {})", name, s.name,
                      near.empty() ? "" : "did you mean '" + near + "'? ", known));
    }
  }
  for (const Strategy& st : s.strategies) {
    if (only.empty() || std::find(only.begin(), only.end(), st.name) != only.end())
      chosen.push_back(&st);
  }
  return chosen;
}

std::vector<RunRecord> simulate(const Scenario& s, const SimulateOptions& options) {
  const std::uint64_t seed = options.seed.value_or(s.seed);
  const std::vector<Job> jobs = make_jobs(s, seed);
  std::vector<RunRecord> out;
  for (const Strategy* st : select_strategies(s, options.only)) {
    out.push_back(simulate_strategy(s, *st, jobs, seed, options.record_log));
  }
  return out;
}

}  // namespace model
