#include "model/summary.hpp"

#include "model/sim_transport.hpp"

#include <algorithm>
#include <cmath>

namespace model {

Duration percentile(const std::vector<Duration>& sorted, double p) {
  if (sorted.empty()) return Duration::zero();
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

Summary summarize(const StrategyResult& r, Duration lower_bound) {
  Summary s;
  std::vector<Duration> latency;
  latency.reserve(r.downloads.size());
  Time last{0};
  s.lane_busy.assign(static_cast<std::size_t>(std::max(1, r.lanes)), 0.0);
  std::vector<Duration> busy(s.lane_busy.size(), Duration::zero());
  for (const Outcome& o : r.downloads) {
    latency.push_back(o.end - o.submitted);
    last = std::max({last, o.consumed, o.end});
    ++s.counts[static_cast<int>(o.status)];
    if (o.lane >= 0 && static_cast<std::size_t>(o.lane) < busy.size())
      busy[static_cast<std::size_t>(o.lane)] += o.end - o.start;
  }
  std::sort(latency.begin(), latency.end());
  s.makespan = last;
  const double secs = sim::to_seconds(s.makespan);
  s.throughput_per_s = secs > 0 ? static_cast<double>(r.downloads.size()) / secs : 0;
  s.p50 = percentile(latency, 50);
  s.p95 = percentile(latency, 95);
  s.p99 = percentile(latency, 99);
  for (std::size_t i = 0; i < busy.size(); ++i)
    s.lane_busy[i] = secs > 0 ? sim::to_seconds(busy[i]) / secs : 0;
  s.lower_bound = lower_bound;
  return s;
}

Duration lower_bound(const Scenario& s, const StrategyPlan& plan, const StrategyResult& r,
                     std::uint64_t seed) {
  Duration best{0};
  if (s.workload.kind == Workload::Kind::sleeps) {
    Duration total{0};
    for (Duration d : s.workload.sleeps) {
      best = std::max(best, d);
      total = sim::add_saturating(total, d);
    }
    return std::max(best, total / std::max(1, plan.lanes));
  }
  // With keep-alive a download may ride any connection: the smallest RTT drawn by any attempt.
  Duration kept_rtt = Duration::max();
  if (s.network.keep_alive) {
    for (const Outcome& o : r.downloads) {
      for (int a = 0; a < std::max(1, o.attempts); ++a) {
        kept_rtt = std::min(kept_rtt, SimTransport::draw(s, seed, o.id, a).rtt);
      }
    }
  }
  double bytes = 0;
  Duration cpu{0}, service{0}, lane_work{0};
  for (const Outcome& o : r.downloads) {
    bytes += static_cast<double>(o.bytes);
    if (o.status != Status::ok) continue;
    // Only what the successful attempt drew: earlier attempts may have been cut short.
    const int attempt = std::max(0, o.attempts - 1);
    const Duration work = cpu_work(s.client, seed, o.id);
    cpu = sim::add_saturating(cpu, work);
    service = sim::add_saturating(service, SimTransport::draw(s, seed, o.id, attempt).service);
    const Duration alone =
        sim::add_saturating(SimTransport::alone(s, seed, o.id, attempt, o.bytes, kept_rtt), work);
    best = std::max(best, alone);
    lane_work = sim::add_saturating(lane_work, alone);
  }
  // Each download holds a lane for at least its time alone.
  best = std::max(best, lane_work / std::max(1, plan.lanes));
  if (s.network.bandwidth > 0)
    best = std::max(best, sim::from_seconds(bytes / s.network.bandwidth));
  best = std::max(best, cpu / std::max(1, plan.cpu_slots));
  if (s.server.workers > 0) best = std::max(best, service / s.server.workers);
  return best;
}

}  // namespace model
