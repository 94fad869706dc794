// The memory estimate of a run (model/memory_estimate.hpp).
#include "model/memory_estimate.hpp"

#include <algorithm>

#include "model/strategy_run.hpp"

namespace model {

namespace {

constexpr std::uint64_t kBase = 64ull << 20;  // the program, libraries, the scenario
constexpr std::uint64_t kPerJob = 100;        // a Job (72 B, heaptrack) and its place in vectors
// Outcome, phases, report rows. Measured with bench_scale (scenarios/million.toml, one
// strategy): peak RSS grew 433 B per download from 10^6 to 10^7 downloads, job included; this
// and kPerJob make 480, an estimate 7% over the 4.25 GiB measured at 10^7.
constexpr std::uint64_t kPerOutcome = 380;
constexpr std::uint64_t kPerLane = 2048;  // a lane's, download's, attempt's frames
constexpr std::uint64_t kShortName = 15;  // names up to this long live inline

}  // namespace

std::uint64_t estimate_run_bytes(const Scenario& s,
                                 const std::vector<const Strategy*>& strategies) {
  std::uint64_t downloads = 0, names = 0;
  switch (s.workload.kind) {
    case Workload::Kind::items:
      downloads = s.workload.items.size();
      for (const Item& it : s.workload.items)
        if (it.name.size() > kShortName) names += it.name.size() + 1;
      break;
    case Workload::Kind::generated:
      downloads = static_cast<std::uint64_t>(std::max<std::int64_t>(0, s.workload.count));
      break;
    case Workload::Kind::sleeps:
      downloads = s.workload.sleeps.size();
      break;
  }
  std::uint64_t lanes = 1;
  for (const Strategy* st : strategies) {
    const auto plan = plan_for(*st, s.client_of(*st), static_cast<std::size_t>(downloads));
    lanes = std::max<std::uint64_t>(lanes, static_cast<std::uint64_t>(std::max(1, plan.lanes)));
  }
  // Each chosen strategy's results are kept (there is no hidden baseline run).
  const std::uint64_t runs = strategies.size();
  return kBase + downloads * kPerJob + names + runs * downloads * kPerOutcome + lanes * kPerLane;
}

}  // namespace model
