// The memory estimate of a run (model/memory_estimate.hpp).
#include "model/memory_estimate.hpp"

#include <algorithm>

#include "model/strategy_run.hpp"

namespace model {

namespace {

constexpr std::uint64_t kBase = 64ull << 20;  // the program, libraries, the scenario
constexpr std::uint64_t kPerJob = 60;         // a Job (56 B) and its place in vectors
// Outcome, the phases kept, report rows. Measured peak RSS of `loiter run scenarios/million.toml
// --set workload.count=N --format csv` (one strategy), growth per download, job included: 90 B
// from 10^6 to 10^7 when the run keeps only its tally (the four figures' values for their
// percentiles, a status and attempt count, the phases its report reads), 322 B from 10^6 to
// 2*10^6 with --out (every download whole, every phase). With kPerJob these make 100 B and
// 340 B: 6-11% over.
constexpr std::uint64_t kPerOutcomeLean = 40;
constexpr std::uint64_t kPerOutcome = 280;
constexpr std::uint64_t kPerLane = 2048;  // a lane's, download's, attempt's frames
constexpr std::uint64_t kShortName = 15;  // names up to this long live inline

}  // namespace

std::uint64_t estimate_run_bytes(const Scenario& s, const std::vector<const Strategy*>& strategies,
                                 bool all_spans) {
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
  return kBase + downloads * kPerJob + names +
         runs * downloads * (all_spans ? kPerOutcome : kPerOutcomeLean) + lanes * kPerLane;
}

}  // namespace model
