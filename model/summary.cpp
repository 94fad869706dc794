#include "model/summary.hpp"

#include "model/connection_pool.hpp"

#include "model/sim_transport.hpp"
#include "model/tcp.hpp"
#include "model/token_bucket.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <utility>
#include <vector>

namespace model {

Duration percentile(const std::vector<Duration>& sorted, double p) {
  if (sorted.empty()) return Duration::zero();
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

namespace {

// The nearest-rank value at percentile p of `values`, put in its sorted place among those from
// `from` on (the ones before are the smaller ones, placed by an earlier call): O(n), no sort.
Duration select(std::vector<Duration>& values, std::size_t from, double p, std::size_t* at) {
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  *at = std::clamp<std::size_t>(rank, 1, values.size()) - 1;
  std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(std::min(from, *at)),
                   values.begin() + static_cast<std::ptrdiff_t>(*at), values.end());
  return values[*at];
}

Percentiles percentiles(std::vector<Duration>& values) {
  if (values.empty()) return {};
  // The same ranks as percentile() over the sorted values, each found in what the last left.
  std::size_t p50 = 0, p95 = 0, p99 = 0;
  Percentiles out;
  out.p50 = select(values, 0, 50, &p50);
  out.p95 = select(values, p50 + 1, 95, &p95);
  out.p99 = select(values, p95 + 1, 99, &p99);
  return out;
}

}  // namespace

Summary summarize(const StrategyResult& r, Duration lower_bound) {
  Summary s;
  std::vector<Duration> completion, per_request, to_result, queue;
  completion.reserve(r.downloads.size());
  per_request.reserve(r.downloads.size());
  to_result.reserve(r.downloads.size());
  queue.reserve(r.downloads.size());
  Time last{0};
  Time first = sim::kTimeMax;
  Time first_arrival = sim::kTimeMax;
  // +1 at each arrival, -1 at each start: the running sum is how many wait for a lane.
  std::vector<std::pair<Time, int>> waiting;
  waiting.reserve(2 * r.downloads.size());
  s.lane_busy.assign(static_cast<std::size_t>(std::max(1, r.lanes)), 0.0);
  std::vector<Duration> busy(s.lane_busy.size(), Duration::zero());
  for (const Outcome& o : r.downloads) {
    completion.push_back(o.end - o.submitted);
    // Only a download that made an attempt has a per-request time.
    if (o.lane >= 0 && o.status != Status::not_started) per_request.push_back(o.end - o.start);
    to_result.push_back(o.consumed - o.submitted);
    first_arrival = std::min(first_arrival, o.submitted);
    if (o.start > o.submitted) {
      waiting.emplace_back(o.submitted, 1);
      waiting.emplace_back(o.start, -1);
    }
    if (o.lane >= 0 && o.status != Status::not_started) queue.push_back(o.start - o.submitted);
    first = std::min(first, o.consumed);
    last = std::max({last, o.consumed, o.end});
    ++s.counts[static_cast<int>(o.status)];
    if (o.lane >= 0 && static_cast<std::size_t>(o.lane) < busy.size())
      busy[static_cast<std::size_t>(o.lane)] += o.end - o.start;
  }
  if (r.downloads.empty()) first_arrival = Time{0};
  s.first_arrival = first_arrival;
  s.makespan = last > first_arrival ? last - first_arrival : Duration::zero();
  // Starts sort before arrivals at the same instant: a download handed over and taken at
  // once never waits.
  std::sort(waiting.begin(), waiting.end());
  std::int64_t now_waiting = 0;
  for (const auto& [at, delta] : waiting) {
    now_waiting += delta;
    s.max_waiting = std::max(s.max_waiting, now_waiting);
  }
  const double secs = sim::to_seconds(s.makespan);
  s.throughput_per_s = secs > 0 ? static_cast<double>(r.downloads.size()) / secs : 0;
  const Percentiles done = percentiles(completion);
  s.p50 = done.p50;
  s.p95 = done.p95;
  s.p99 = done.p99;
  s.per_request = percentiles(per_request);
  s.time_to_result = percentiles(to_result);
  s.queue_time = percentiles(queue);
  s.first_result = r.downloads.empty() ? Duration::zero() : first - first_arrival;
  for (std::size_t i = 0; i < busy.size(); ++i)
    s.lane_busy[i] = secs > 0 ? sim::to_seconds(busy[i]) / secs : 0;
  s.lower_bound = lower_bound;
  return s;
}

Duration rounds_bound(std::vector<Duration> times, int lanes) {
  if (times.empty()) return Duration::zero();
  const auto m = static_cast<std::size_t>(std::max(1, lanes));
  if (m >= times.size()) {
    // A lane each: the longest job (the evenly spread work is no more than it).
    Duration longest{0};
    for (Duration t : times)
      longest = std::max(longest, t);
    return longest;
  }
  std::sort(times.begin(), times.end(), std::greater<>());
  Duration total{0};
  for (Duration t : times)
    total = sim::add_saturating(total, t);
  // The work spread evenly (no lane idle), and whole rounds: of the k*m + 1 longest jobs
  // some lane runs k + 1, each at least as long as the (k*m + 1)-th.
  Duration best = std::max(times.front(), total / static_cast<Duration::rep>(m));
  for (std::size_t k = 0; k * m < times.size(); ++k)
    best = std::max(best, sim::scale_saturating(times[k * m], static_cast<int>(k + 1)));
  return best;
}

namespace {

Time first_arrival_of(const StrategyResult& r) {
  Time first = sim::kTimeMax;
  for (const Outcome& o : r.downloads)
    first = std::min(first, o.submitted);
  return first;
}

// The client's rate limit: from the first arrival the bucket holds at most `burst` tokens, one
// more each period, and every attempt takes one. The last token is due no sooner than
// (attempts - burst) periods on; the last successful download's, (ok - burst) periods on, and
// its attempt then takes at least the shortest time alone.
// `attempts`: every attempt the bucket gave a token to.
Duration rate_limit_bound(const ClientRateLimit& limit, std::int64_t attempts,
                          const std::vector<Duration>& ok_times) {
  const Duration period = TokenBucket(limit.rate, limit.burst).period();
  const auto after = [&](std::int64_t tokens) {
    const std::int64_t waits = std::max<std::int64_t>(0, tokens - limit.burst);
    return sim::scale_saturating(period, waits);
  };
  const auto ok = static_cast<std::int64_t>(ok_times.size());
  return std::max(
      after(attempts),
      sim::add_saturating(after(ok), *std::min_element(ok_times.begin(), ok_times.end())));
}

}  // namespace

Duration lower_bound(const Scenario& s, const Client& c, const StrategyPlan& plan,
                     const StrategyResult& r, std::uint64_t seed) {
  if (s.workload.kind == Workload::Kind::sleeps) {
    Duration best = rounds_bound(s.workload.sleeps, plan.lanes);
    const Time first_arrival = first_arrival_of(r);
    for (const Outcome& o : r.downloads)
      if (o.id < s.workload.sleeps.size())
        best = std::max(best,
                        sim::add_saturating(o.submitted - first_arrival, s.workload.sleeps[o.id]));
    return best;
  }
  // With keep-alive a download may ride any connection to its host: the smallest RTT drawn by
  // any attempt to that host, and the quickest connect any attempt could have opened one with.
  // Each download's last attempt is drawn once here and kept for the bounds below. With the
  // client's DNS cache a connection may find the lookup done: no DNS is counted then.
  const std::size_t hosts = s.host_count();
  std::vector<Duration> kept_rtt(hosts, Duration::max()), kept_connect(hosts, Duration::max());
  std::vector<SimTransport::Draws> last(r.downloads.size());
  const auto drawn = [&](const Outcome& o, int attempt) {
    SimTransport::Draws d = SimTransport::draw(s, o.host, seed, o.id, attempt);
    if (c.dns_cache) d.dns = Duration::zero();
    return d;
  };
  for (std::size_t i = 0; i < r.downloads.size(); ++i) {
    const Outcome& o = r.downloads[i];
    const int attempts = std::max(1, o.attempts);
    if (!c.keep_alive) {
      if (o.status == Status::ok) last[i] = drawn(o, attempts - 1);
      continue;
    }
    const std::size_t h = o.host < hosts ? o.host : 0;
    for (int a = 0; a < attempts; ++a) {
      const SimTransport::Draws d = drawn(o, a);
      kept_rtt[h] = std::min(kept_rtt[h], d.rtt);
      kept_connect[h] = std::min(kept_connect[h], SimTransport::handshake_time(s, o.host, d));
      if (a == attempts - 1) last[i] = d;
    }
  }
  double bytes = 0;
  // What every download needs, and per host what its pool and its server see.
  std::vector<Duration> lane_times, cpu_times;
  struct PerHost {
    std::vector<Duration> on_wire, service, lanes;
    double bytes = 0;           // its successful downloads' bodies
    std::int64_t attempts = 0;  // every attempt, failed ones too (each took a token)
    // Before its service a request has at least crossed half a round trip (after a connect
    // without keep-alive); after it, the other half, its body and its CPU work.
    Duration before_service = Duration::max(), after_service = Duration::max();
  };
  std::vector<PerHost> per_host(hosts);
  // A download cannot end before it arrives and then takes its time alone.
  const Time first_arrival = first_arrival_of(r);
  Duration after_arrival{0};
  std::int64_t total_attempts = 0;
  for (std::size_t i = 0; i < r.downloads.size(); ++i) {
    const Outcome& o = r.downloads[i];
    bytes += static_cast<double>(o.bytes);
    const std::size_t h = o.host < hosts ? o.host : 0;
    PerHost& ph = per_host[h];
    ph.attempts += o.attempts;
    total_attempts += o.attempts;
    if (o.status != Status::ok) continue;
    ph.bytes += static_cast<double>(o.bytes);
    // Only what the successful attempt drew: earlier attempts may have been cut short.
    const int attempt = std::max(0, o.attempts - 1);
    const Duration work_before = cpu_before_work(c, seed, o.id, attempt);
    const Duration work_after = cpu_work(c, seed, o.id, attempt, o.bytes);
    const Duration work = sim::add_saturating(work_before, work_after);
    const SimTransport::Draws& d = last[i];
    const Duration on_wire = SimTransport::alone(s, c, o.host, d, o.bytes, kept_rtt[h]);
    const Duration rtt = c.keep_alive ? kept_rtt[h] : d.rtt;
    const Duration pre = sim::add_saturating(
        work_before, sim::add_saturating(SimTransport::connect_time(s, c, o.host, d), rtt / 2));
    ph.before_service = std::min(ph.before_service, pre);
    ph.after_service = std::min(
        ph.after_service,
        sim::add_saturating(sim::add_saturating(rtt - rtt / 2, SimTransport::body_time(
                                                                   s, o.bytes, rtt, !c.keep_alive)),
                            work_after));
    cpu_times.push_back(work);
    ph.service.push_back(d.service);
    ph.on_wire.push_back(on_wire);
    lane_times.push_back(sim::add_saturating(on_wire, work));
    ph.lanes.push_back(lane_times.back());
    after_arrival = std::max(after_arrival,
                             sim::add_saturating(o.submitted - first_arrival, lane_times.back()));
  }
  if (lane_times.empty()) return Duration::zero();
  // Each download holds a lane for at least its time alone; a pool's cap (when requests wait
  // at it) is as many lanes for the part on the wire; the CPU slots and the server's workers
  // run whole jobs. Several hosts: each host's pool and server bound its own downloads, and
  // max_connections all of them.
  Duration best = std::max(after_arrival, rounds_bound(lane_times, plan.lanes));
  // HTTP/2: max_connections of max_streams each, across hosts, and no cap per host.
  const auto streams = std::min<std::int64_t>(std::int64_t{c.max_connections} * c.max_streams,
                                              std::numeric_limits<int>::max());
  const int across = c.http2 ? static_cast<int>(streams)
                     : hosts > 1 && c.when_full == Client::WhenFull::wait ? c.max_connections
                                                                          : 0;
  if (across > 0) {
    std::vector<Duration> all;
    for (const PerHost& ph : per_host)
      all.insert(all.end(), ph.on_wire.begin(), ph.on_wire.end());
    best = std::max(best, rounds_bound(all, across));
  }
  const bool bucket_per_host = hosts > 1 && c.rate_limit.per_host;
  if (c.rate_limit.rate > 0 && !bucket_per_host)
    best = std::max(best, rate_limit_bound(c.rate_limit, total_attempts, lane_times));
  if (s.network.bandwidth > 0)
    best = std::max(best, sim::from_seconds(bytes / s.network.goodput()));
  best = std::max(best, rounds_bound(cpu_times, plan.cpu_slots));
  const std::vector<double> host_rate = SimTransport::host_rates(s);
  for (std::size_t h = 0; h < hosts; ++h) {
    const PerHost& ph = per_host[h];
    if (ph.on_wire.empty()) continue;
    // A place in the pool's first request opens its connection, kept alive or not.
    const int cap = c.http2 ? 0 : connection_cap(c, s.network_of(h).per_host_limit);
    if (cap > 0) {
      const Duration first_connect = c.keep_alive ? kept_connect[h] : Duration::zero();
      best = std::max(best, sim::add_saturating(first_connect, rounds_bound(ph.on_wire, cap)));
    }
    // The host's own uplink carries its bytes at most at its rate.
    if (h < host_rate.size() && host_rate[h] > 0)
      best = std::max(best, sim::from_seconds(ph.bytes / host_rate[h]));
    if (c.http2 && tcp::on(s.network, kept_rtt[h])) {
      // HTTP/2: a round sends at most a window, and rounds are a round trip apart at least, so
      // a connection carries at most max_window / RTT; a host has no more connections at once
      // than its requests in flight fill max_streams apiece (and max_connections at most).
      const auto n = static_cast<std::int64_t>(ph.on_wire.size());
      std::int64_t conns =
          (std::min<std::int64_t>(plan.lanes, n) + c.max_streams - 1) / c.max_streams;
      if (c.max_connections > 0) conns = std::min<std::int64_t>(conns, c.max_connections);
      const double per_conn = s.network.max_window / sim::to_seconds(kept_rtt[h]);
      best = std::max(best,
                      sim::add_saturating(
                          sim::add_saturating(kept_connect[h], kept_rtt[h]),
                          sim::from_seconds(ph.bytes / (static_cast<double>(conns) * per_conn))));
    }
    if (const int workers = s.server_of(h).workers; workers > 0) {
      best = std::max(best,
                      sim::add_saturating(
                          sim::add_saturating(ph.before_service, rounds_bound(ph.service, workers)),
                          ph.after_service));
    }
  }
  if (bucket_per_host) {
    // One bucket per host: each host's attempts and successes against its own.
    for (std::size_t h = 0; h < hosts; ++h)
      if (!per_host[h].lanes.empty())
        best =
            std::max(best, rate_limit_bound(c.rate_limit, per_host[h].attempts, per_host[h].lanes));
  }
  return best;
}

}  // namespace model
