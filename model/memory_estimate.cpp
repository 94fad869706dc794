// The memory estimate of a run (model/memory_estimate.hpp).
#include "model/memory_estimate.hpp"

#include <algorithm>

#include "model/strategy_run.hpp"
#include "model/tally.hpp"

namespace model {

namespace {

constexpr std::uint64_t kBase = 64ull << 20;  // the program, libraries, the scenario
constexpr std::uint64_t kPerJob = 60;         // a Job (56 B) and its place in vectors
// A download kept whole: its Outcome, its phases, report rows. Measured peak RSS of `loiter run
// scenarios/million.toml --set workload.count=N --format csv --out DIR` (one strategy): 322 B
// per download from 10^6 to 2*10^6 downloads, job included; with kPerJob this makes 340 B.
constexpr std::uint64_t kPerOutcome = 280;
// A download not kept: its status and attempts (2 B) and, up to kExactUpTo downloads, its four
// figures' values for the percentiles (32 B), one more with several hosts. The same command
// without --out: 382 MB peak at 10^7 downloads, 34 B each over the base; 143 MB at 1.1*10^7
// (histograms).
constexpr std::uint64_t kPerTally = 4;
constexpr std::uint64_t kPerValue = 9;
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
  const bool drawn = !all_spans && s.workload.kind == Workload::Kind::generated;
  const std::uint64_t values =
      downloads <= static_cast<std::uint64_t>(kExactUpTo) ? (s.host_count() > 1 ? 5 : 4) : 0;
  const std::uint64_t per_run = all_spans ? kPerOutcome : kPerTally + values * kPerValue;
  // A run that keeps its downloads keeps them to the report; one that does not lets go of its
  // values and statuses when it ends (its tally is a few figures), so only one at a time counts.
  return kBase + (drawn ? 0 : downloads * kPerJob + names) +
         (all_spans ? runs : 1) * downloads * per_run + lanes * kPerLane;
}

}  // namespace model
