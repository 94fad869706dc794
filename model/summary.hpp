// A strategy's figures: makespan, throughput, latency percentiles, outcome counts, lane
// busy fractions, and the lower bound no strategy can beat on this workload.
#pragma once

#include "model/outcome.hpp"
#include "model/scenario.hpp"
#include "model/strategy_run.hpp"
#include "model/tally.hpp"

#include <functional>

namespace model {

// A run's figures from its downloads' tally (finished) and the most that waited at once.
Summary summarize(const Tally& t, std::int64_t max_waiting, Duration lower_bound);

// One download as the lower bound reads it: what the run settled it with (the other
// figures come from the tally).
struct Settled {
  std::uint32_t id = 0, host = 0;
  std::int64_t bytes = 0;  // read for a successful download only
  Time submitted{0};
  Status status = Status::ok;
  int attempts = 0;
};
// Calls its argument for every download, in id order.
using EachSettled = std::function<void(const std::function<void(const Settled&)>&)>;

// With keep-alive a download may ride any connection to its host: per host, the smallest RTT
// drawn by any attempt to it (at least one per download, as if each had tried once), and the
// quickest connect any attempt could have opened one with (no DNS with the client's DNS
// cache). Told each download as the run settles it, so the lower bound does not draw the
// whole run a second time for it; without keep-alive it holds nothing.
class KeptConnections {
 public:
  KeptConnections(const Scenario& s, const Client& c, std::uint64_t seed);
  void add(std::uint32_t id, std::uint32_t host, int attempts);
  Duration rtt(std::size_t host) const { return rtt_[host]; }
  Duration connect(std::size_t host) const { return connect_[host]; }

 private:
  const Scenario* scenario_;
  bool on_, dns_cache_;
  std::uint64_t seed_;
  std::vector<Duration> rtt_, connect_;  // Duration::max() until a download of the host
};

// The best any schedule could do with what this run drew (the same draws for every
// strategy): no schedule with these lanes can finish sooner. It is the largest of: the
// bytes over the link; the downloads' times alone (no sharing, no waiting) on the lanes;
// their time on the wire on the per-host connection slots; the CPU work on the CPU slots;
// and the service times on the server's workers, between the least time before a service
// and the least after it. Jobs on lanes count in whole rounds (rounds_bound), so equal
// jobs on W lanes give exactly ceil(n / W) rounds.
Duration lower_bound(const Scenario& s, const Client& c, const StrategyPlan& plan, const Tally& t,
                     const KeptConnections& kept, const EachSettled& each, std::uint64_t seed);

// The least time `lanes` parallel lanes need to run jobs of these durations, each job on one
// lane: the longest job, the total over the lanes, and whole rounds (k + 1 times the
// (k * lanes + 1)-th longest, for every k).
Duration rounds_bound(std::vector<Duration> times, int lanes);

// Nearest-rank percentile of sorted values (p in (0, 100]).
Duration percentile(const std::vector<Duration>& sorted, double p);

}  // namespace model
