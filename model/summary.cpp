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

Summary summarize(const Tally& t, std::int64_t max_waiting, Duration lower_bound) {
  Summary s;
  s.counts = t.counts;
  s.first_arrival = t.downloads == 0 ? Time{0} : t.first_arrival;
  s.makespan = t.last > s.first_arrival ? t.last - s.first_arrival : Duration::zero();
  s.max_waiting = max_waiting;
  const double secs = sim::to_seconds(s.makespan);
  s.throughput_per_s = secs > 0 ? static_cast<double>(t.downloads) / secs : 0;
  s.p50 = t.done.p50;
  s.p95 = t.done.p95;
  s.p99 = t.done.p99;
  s.per_request = t.per_request;
  s.time_to_result = t.time_to_result;
  s.queue_time = t.queue_time;
  s.first_result = t.downloads == 0 ? Duration::zero() : t.first_consumed - s.first_arrival;
  s.lane_busy.reserve(t.lane_busy.size());
  for (Duration busy : t.lane_busy)
    s.lane_busy.push_back(secs > 0 ? sim::to_seconds(busy) / secs : 0);
  s.percentile_error = t.exact ? 0 : kHistogramError;
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

// The client's rate limit: from the first arrival the bucket holds at most `burst` tokens, one
// more each period, and every attempt takes one. The last token is due no sooner than
// (attempts - burst) periods on; the last successful download's, (ok - burst) periods on, and
// its attempt then takes at least the shortest time alone (`shortest`, of the `ok` downloads).
// `attempts`: every attempt the bucket gave a token to.
Duration rate_limit_bound(const ClientRateLimit& limit, std::int64_t attempts, std::int64_t ok,
                          Duration shortest) {
  const Duration period = TokenBucket(limit.rate, limit.burst).period();
  const auto after = [&](std::int64_t tokens) {
    const std::int64_t waits = std::max<std::int64_t>(0, tokens - limit.burst);
    return sim::scale_saturating(period, waits);
  };
  return std::max(after(attempts), sim::add_saturating(after(ok), shortest));
}

}  // namespace

KeptConnections::KeptConnections(const Scenario& s, const Client& c, std::uint64_t seed)
    : scenario_(&s),
      on_(c.keep_alive),
      dns_cache_(c.dns_cache),
      seed_(seed),
      rtt_(s.host_count(), Duration::max()),
      connect_(s.host_count(), Duration::max()) {}

void KeptConnections::add(std::uint32_t id, std::uint32_t host, int attempts) {
  if (!on_) return;
  const std::size_t h = host < rtt_.size() ? host : 0;
  for (int a = 0; a < std::max(1, attempts); ++a) {
    SimTransport::Draws d = SimTransport::draw_connect(*scenario_, host, seed_, id, a);
    if (dns_cache_) d.dns = Duration::zero();
    rtt_[h] = std::min(rtt_[h], d.rtt);
    connect_[h] = std::min(connect_[h], SimTransport::handshake_time(*scenario_, host, d));
  }
}

Duration lower_bound(const Scenario& s, const Client& c, const StrategyPlan& plan, const Tally& t,
                     const KeptConnections& kept, const EachSettled& each, std::uint64_t seed) {
  const Time first_arrival = t.first_arrival;
  if (s.workload.kind == Workload::Kind::sleeps) {
    Duration best = rounds_bound(s.workload.sleeps, plan.lanes);
    each([&](const Settled& o) {
      if (o.id < s.workload.sleeps.size())
        best = std::max(best,
                        sim::add_saturating(o.submitted - first_arrival, s.workload.sleeps[o.id]));
    });
    return best;
  }
  // A successful attempt's draws are made again where they are needed rather than kept: a
  // run's downloads are the largest part of its memory, and this must not add to it.
  const std::size_t hosts = s.host_count();
  const auto drawn = [&](const Settled& o, int attempt) {
    SimTransport::Draws d = SimTransport::draw(s, o.host, seed, o.id, attempt);
    if (c.dns_cache) d.dns = Duration::zero();
    return d;
  };
  const auto host_of = [&](std::uint32_t host) { return host < hosts ? host : std::size_t{0}; };
  const auto ok_at = [&](std::size_t h) { return h < t.hosts.size() ? t.hosts[h].ok : 0; };
  const std::int64_t ok = t.counts[static_cast<int>(Status::ok)];
  // HTTP/2: max_connections of max_streams each, across hosts, and no cap per host.
  const auto streams = std::min<std::int64_t>(std::int64_t{c.max_connections} * c.max_streams,
                                              std::numeric_limits<int>::max());
  const int across = c.http2 ? static_cast<int>(streams)
                     : hosts > 1 && c.when_full == Client::WhenFull::wait ? c.max_connections
                                                                          : 0;
  // What every download needs, and per host what its pool and its server see. Only the times
  // a bound below reads are kept, and no zero (rounds_bound does not need them).
  std::vector<Duration> lane_times, cpu_times;
  lane_times.reserve(static_cast<std::size_t>(ok));
  struct PerHost {
    std::vector<Duration> on_wire, service;  // kept when its pool or its server bound it
    bool keep_on_wire = false, keep_service = false;
    Duration shortest = Duration::max();  // the least time alone of a successful download
    // Before its service a request has at least crossed half a round trip (after a connect
    // without keep-alive); after it, the other half, its body and its CPU work.
    Duration before_service = Duration::max(), after_service = Duration::max();
  };
  std::vector<PerHost> per_host(hosts);
  for (std::size_t h = 0; h < hosts; ++h) {
    PerHost& ph = per_host[h];
    ph.keep_on_wire =
        across > 0 || (!c.http2 && connection_cap(c, s.network_of(h).per_host_limit) > 0);
    ph.keep_service = s.server_of(h).workers > 0;
    if (ph.keep_on_wire) ph.on_wire.reserve(static_cast<std::size_t>(ok_at(h)));
    if (ph.keep_service) ph.service.reserve(static_cast<std::size_t>(ok_at(h)));
  }
  // A download cannot end before it arrives and then takes its time alone.
  Duration after_arrival{0}, shortest = Duration::max();
  each([&](const Settled& o) {
    if (o.status != Status::ok) return;
    const std::size_t h = host_of(o.host);
    PerHost& ph = per_host[h];
    // Only what the successful attempt drew: earlier attempts may have been cut short.
    const int attempt = std::max(0, o.attempts - 1);
    const Duration work_before = cpu_before_work(c, seed, o.id, attempt);
    const Duration work_after = cpu_work(c, seed, o.id, attempt, o.bytes);
    const Duration work = sim::add_saturating(work_before, work_after);
    const SimTransport::Draws d = drawn(o, attempt);
    const Duration on_wire = SimTransport::alone(s, c, o.host, d, o.bytes, kept.rtt(h));
    const Duration rtt = c.keep_alive ? kept.rtt(h) : d.rtt;
    const Duration pre = sim::add_saturating(
        work_before, sim::add_saturating(SimTransport::connect_time(s, c, o.host, d), rtt / 2));
    ph.before_service = std::min(ph.before_service, pre);
    ph.after_service = std::min(
        ph.after_service,
        sim::add_saturating(sim::add_saturating(rtt - rtt / 2, SimTransport::body_time(
                                                                   s, o.bytes, rtt, !c.keep_alive)),
                            work_after));
    if (work > Duration::zero()) cpu_times.push_back(work);
    if (ph.keep_service && d.service > Duration::zero()) ph.service.push_back(d.service);
    if (ph.keep_on_wire && on_wire > Duration::zero()) ph.on_wire.push_back(on_wire);
    const Duration lane = sim::add_saturating(on_wire, work);
    if (lane > Duration::zero()) lane_times.push_back(lane);
    shortest = std::min(shortest, lane);
    ph.shortest = std::min(ph.shortest, lane);
    after_arrival = std::max(after_arrival, sim::add_saturating(o.submitted - first_arrival, lane));
  });
  if (ok == 0) return Duration::zero();
  // Each download holds a lane for at least its time alone; a pool's cap (when requests wait
  // at it) is as many lanes for the part on the wire; the CPU slots and the server's workers
  // run whole jobs. Several hosts: each host's pool and server bound its own downloads, and
  // max_connections all of them.
  Duration best = std::max(after_arrival, rounds_bound(std::move(lane_times), plan.lanes));
  if (across > 0) {
    std::vector<Duration> all;
    for (const PerHost& ph : per_host)
      all.insert(all.end(), ph.on_wire.begin(), ph.on_wire.end());
    best = std::max(best, rounds_bound(std::move(all), across));
  }
  const bool bucket_per_host = hosts > 1 && c.rate_limit.per_host;
  if (c.rate_limit.rate > 0 && !bucket_per_host)
    best = std::max(best, rate_limit_bound(c.rate_limit, t.attempts, ok, shortest));
  if (s.network.bandwidth > 0)
    best = std::max(best, sim::from_seconds(t.bytes.value() / s.network.goodput()));
  best = std::max(best, rounds_bound(std::move(cpu_times), plan.cpu_slots));
  const std::vector<double> host_rate = SimTransport::host_rates(s);
  for (std::size_t h = 0; h < hosts; ++h) {
    PerHost& ph = per_host[h];
    const HostTally& th = t.hosts[h < t.hosts.size() ? h : 0];
    if (th.ok == 0) continue;
    // A place in the pool's first request opens its connection, kept alive or not.
    const int cap = c.http2 ? 0 : connection_cap(c, s.network_of(h).per_host_limit);
    if (cap > 0) {
      const Duration first_connect = c.keep_alive ? kept.connect(h) : Duration::zero();
      best = std::max(best,
                      sim::add_saturating(first_connect, rounds_bound(std::move(ph.on_wire), cap)));
    }
    // The host's own uplink carries its bytes at most at its rate.
    if (h < host_rate.size() && host_rate[h] > 0)
      best = std::max(best, sim::from_seconds(th.ok_bytes.value() / host_rate[h]));
    if (c.http2 && tcp::on(s.network, kept.rtt(h))) {
      // HTTP/2: a round sends at most a window, and rounds are a round trip apart at least, so
      // a connection carries at most max_window / RTT; a host has no more connections at once
      // than its requests in flight fill max_streams apiece (and max_connections at most).
      std::int64_t conns =
          (std::min<std::int64_t>(plan.lanes, th.ok) + c.max_streams - 1) / c.max_streams;
      if (c.max_connections > 0) conns = std::min<std::int64_t>(conns, c.max_connections);
      const double per_conn = s.network.max_window / sim::to_seconds(kept.rtt(h));
      best = std::max(
          best, sim::add_saturating(sim::add_saturating(kept.connect(h), kept.rtt(h)),
                                    sim::from_seconds(th.ok_bytes.value() /
                                                      (static_cast<double>(conns) * per_conn))));
    }
    if (const int workers = s.server_of(h).workers; workers > 0) {
      best = std::max(best, sim::add_saturating(
                                sim::add_saturating(ph.before_service,
                                                    rounds_bound(std::move(ph.service), workers)),
                                ph.after_service));
    }
  }
  if (bucket_per_host) {
    // One bucket per host: each host's attempts and successes against its own.
    for (std::size_t h = 0; h < hosts && h < t.hosts.size(); ++h)
      if (t.hosts[h].ok > 0)
        best = std::max(best, rate_limit_bound(c.rate_limit, t.hosts[h].attempts, t.hosts[h].ok,
                                               per_host[h].shortest));
  }
  return best;
}

}  // namespace model
