// Helpers for model tests: small scenarios built in code.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "model/simulate.hpp"

namespace model_test {

inline model::Strategy sequential() {
  model::Strategy s;
  s.name = "sequential";
  s.kind = model::Strategy::Kind::sequential;
  return s;
}

inline model::Strategy pool(
    int workers, model::Strategy::PoolKind kind = model::Strategy::PoolKind::thread,
    model::Strategy::Consume consume = model::Strategy::Consume::as_completed) {
  model::Strategy s;
  s.name = "pool-" + std::to_string(workers);
  s.kind = model::Strategy::Kind::pool;
  s.workers = workers;
  s.pool_kind = kind;
  s.consume = consume;
  return s;
}

inline model::Strategy async(int max_concurrency) {
  model::Strategy s;
  s.name = "async-" + std::to_string(max_concurrency);
  s.kind = model::Strategy::Kind::async;
  s.max_concurrency = max_concurrency;
  return s;
}

// n items of `bytes` each, no network costs unless the test sets them.
inline model::Scenario items(int n, std::int64_t bytes) {
  model::Scenario s;
  s.name = "test";
  for (int i = 0; i < n; ++i)
    s.workload.items.push_back({"item" + std::to_string(i), bytes});
  return s;
}

inline model::RunRecord run_one(const model::Scenario& s, const model::Strategy& st,
                                std::uint64_t seed = 1) {
  const auto jobs = model::make_jobs(s, seed);
  return model::simulate_strategy(s, st, jobs, seed, false);
}

inline double seconds(sim::Duration d) {
  return sim::to_seconds(d);
}

}  // namespace model_test
