#include "model/summary.hpp"

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

Duration lower_bound(const Scenario& s, const StrategyPlan& plan, const StrategyResult& r) {
  const Network& net = s.network;
  double best = 0;
  if (s.workload.kind == Workload::Kind::sleeps) {
    double total = 0;
    for (Duration d : s.workload.sleeps) {
      best = std::max(best, sim::to_seconds(d));
      total += sim::to_seconds(d);
    }
    best = std::max(best, total / std::max(1, plan.lanes));
    return sim::from_seconds(best);
  }
  const double rtt = net.rtt.min();
  const double connect =
      net.keep_alive ? 0.0 : net.dns.min() + rtt * (1 + (net.tls ? net.tls_rtts : 0));
  const double per_transfer =
      net.per_connection > 0
          ? (net.bandwidth > 0 ? std::min(net.per_connection, net.bandwidth) : net.per_connection)
          : net.bandwidth;
  double bytes = 0;
  std::int64_t ok = 0, requests = 0;
  for (const Outcome& o : r.downloads) {
    bytes += static_cast<double>(o.bytes);
    requests += o.attempts;
    if (o.status != Status::ok) continue;
    ++ok;
    const double body = per_transfer > 0 ? static_cast<double>(o.bytes) / per_transfer : 0;
    best = std::max(best, connect + rtt + s.server.service.min() + body + s.client.cpu.min());
  }
  if (net.bandwidth > 0) best = std::max(best, bytes / net.bandwidth);
  best = std::max(best, static_cast<double>(ok) * s.client.cpu.min() / std::max(1, plan.cpu_slots));
  if (s.server.workers > 0) {
    best =
        std::max(best, static_cast<double>(requests) * s.server.service.min() / s.server.workers);
  }
  return sim::from_seconds(best);
}

}  // namespace model
