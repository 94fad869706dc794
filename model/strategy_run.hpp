// Runs one strategy of a scenario on a simulation and a transport, and records the outcome
// of every download. All three strategies are lanes taking jobs in submission order:
// sequential is one lane; a pool has N worker lanes; async has one lane per semaphore slot
// (a task waiting on a FIFO semaphore of M is a job waiting for one of M lanes). What sets
// them apart is how many CPU slices run at once, what a lane costs to start, and whether the
// caller consumes results in submission order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/jobs.hpp"
#include "model/outcome.hpp"
#include "model/scenario.hpp"
#include "model/transport.hpp"

namespace model {

// One line of the event log (`loiter run --log`).
struct LogEvent {
  // failed: an attempt failed (StrategyResult::failed_attempts[failure] says how and what
  // follows); retry: its backoff is over and the next attempt starts.
  enum class Kind : std::uint8_t { start, done, consumed, failed, retry };
  Time at{0};
  Kind kind = Kind::start;
  std::uint32_t id = 0;
  int lane = 0;
  std::uint32_t failure = 0;  // kinds failed and retry: the failed attempt
};

struct StrategyPlan {
  int lanes = 1;
  int cpu_slots = 1;        // CPU slices at once: 1 under a GIL or an event loop
  Duration cpu_quantum{0};  // a GIL's switch interval: CPU shared in turns; 0 = run to the end
  Duration lane_start{0};   // cost to start each lane, paid one after another
  bool in_order = false;    // results consumed in submission order (Executor.map)
  std::string kind;         // "sequential", "pool", "async"
  std::string detail;       // e.g. "20 threads, in order"
};
StrategyPlan plan_for(const Strategy& s, const Client& c, std::size_t downloads);

// Told how far a strategy run has got (for progress bars), on the run's own thread, once
// per finished download.
class Progress {
 public:
  virtual ~Progress() = default;
  virtual void downloads_done(std::size_t done, std::size_t total) = 0;
};

struct RunRecord {
  StrategyResult result;
  std::vector<LogEvent> log;  // when asked for
};

// Runs the strategy to completion on `sim` (which must be fresh). Every job gets exactly
// one outcome, whatever happened to it.
// The client CPU work after an answer of `bytes` to one attempt of a download (parse, save),
// and before its request (cpu_before), drawn from the run seed.
Duration cpu_work(const Client& c, std::uint64_t seed, std::uint32_t download, int attempt,
                  std::int64_t bytes);
Duration cpu_before_work(const Client& c, std::uint64_t seed, std::uint32_t download, int attempt);
// Whether an attempt's result pays the client's `cpu` (cpu_on).
bool pays_cpu(const Client& c, const AttemptResult& r);

// `seed` draws the client's CPU work per download. Without `all_spans` the result keeps only
// the spans its summaries read (StrategyResult::all_spans): a run whose report needs no
// per-download phases (no --out, no downloads in the JSON, a sweep) then keeps a fraction of
// the memory.
RunRecord run_strategy(sim::Simulation& sim, Transport& transport, const Scenario& scenario,
                       const Strategy& strategy, const std::vector<Job>& jobs, std::uint64_t seed,
                       bool record_log, Progress* progress = nullptr, bool all_spans = true);
RunRecord run_strategy(sim::Simulation& sim, Transport& transport, const Scenario& scenario,
                       const Strategy& strategy, const Jobs& jobs, std::uint64_t seed,
                       bool record_log, Progress* progress = nullptr, bool all_spans = true);

}  // namespace model
