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

// The most downloads arrived and not yet started at once: +1 at each arrival, -1 at each start,
// in time order. Starts come before arrivals at the same instant: a download handed over and
// taken at once never waits (its -1 and +1 fall at one instant and change no maximum).
std::int64_t max_waiting(const std::vector<Outcome>& downloads) {
  const auto most = [n = downloads.size()](auto arrival, auto start) {
    std::int64_t now = 0, highest = 0;
    for (std::size_t i = 0, j = 0; i < n;) {
      if (j < n && start(j) <= arrival(i)) {
        --now;
        ++j;
      } else {
        highest = std::max(highest, ++now);
        ++i;
      }
    }
    return highest;
  };
  // A simulated run's downloads arrive and start in submission order: merged where they are.
  const auto in_order = [&](auto time) {
    return std::is_sorted(downloads.begin(), downloads.end(),
                          [&](const Outcome& a, const Outcome& b) { return time(a) < time(b); });
  };
  if (in_order([](const Outcome& o) { return o.submitted; }) &&
      in_order([](const Outcome& o) { return o.start; }))
    return most([&](std::size_t k) { return downloads[k].submitted; },
                [&](std::size_t k) { return downloads[k].start; });
  std::vector<Time> arrived, started;
  arrived.reserve(downloads.size());
  started.reserve(downloads.size());
  for (const Outcome& o : downloads) {
    arrived.push_back(o.submitted);
    started.push_back(o.start);
  }
  std::sort(arrived.begin(), arrived.end());
  std::sort(started.begin(), started.end());
  return most([&](std::size_t k) { return arrived[k]; }, [&](std::size_t k) { return started[k]; });
}

}  // namespace

Summary summarize(const StrategyResult& r, Duration lower_bound) {
  Summary s;
  Time last{0};
  Time first = sim::kTimeMax;
  Time first_arrival = sim::kTimeMax;
  s.lane_busy.assign(static_cast<std::size_t>(std::max(1, r.lanes)), 0.0);
  std::vector<Duration> busy(s.lane_busy.size(), Duration::zero());
  for (const Outcome& o : r.downloads) {
    first_arrival = std::min(first_arrival, o.submitted);
    first = std::min(first, o.consumed);
    last = std::max({last, o.consumed, o.end});
    ++s.counts[static_cast<int>(o.status)];
    if (o.lane >= 0 && static_cast<std::size_t>(o.lane) < busy.size())
      busy[static_cast<std::size_t>(o.lane)] += o.end - o.start;
  }
  if (r.downloads.empty()) first_arrival = Time{0};
  s.first_arrival = first_arrival;
  s.makespan = last > first_arrival ? last - first_arrival : Duration::zero();
  s.max_waiting = max_waiting(r.downloads);
  const double secs = sim::to_seconds(s.makespan);
  s.throughput_per_s = secs > 0 ? static_cast<double>(r.downloads.size()) / secs : 0;
  // One figure at a time in one buffer. Only a download that made an attempt has a
  // per-request time and a queue time.
  std::vector<Duration> values;
  values.reserve(r.downloads.size());
  const auto figure = [&](auto&& of, bool attempted_only) {
    values.clear();
    for (const Outcome& o : r.downloads)
      if (!attempted_only || (o.lane >= 0 && o.status != Status::not_started))
        values.push_back(of(o));
    return percentiles(values);
  };
  const Percentiles done = figure([](const Outcome& o) { return o.end - o.submitted; }, false);
  s.p50 = done.p50;
  s.p95 = done.p95;
  s.p99 = done.p99;
  s.per_request = figure([](const Outcome& o) { return o.end - o.start; }, true);
  s.time_to_result = figure([](const Outcome& o) { return o.consumed - o.submitted; }, false);
  s.queue_time = figure([](const Outcome& o) { return o.start - o.submitted; }, true);
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
  // With the client's DNS cache a connection may find the lookup done: no DNS is counted then.
  // The draws are made again where they are needed rather than kept: a run's downloads are
  // the largest part of its memory, and this must not add to it.
  const std::size_t hosts = s.host_count();
  std::vector<Duration> kept_rtt(hosts, Duration::max()), kept_connect(hosts, Duration::max());
  const auto drawn = [&](const Outcome& o, int attempt) {
    SimTransport::Draws d = SimTransport::draw(s, o.host, seed, o.id, attempt);
    if (c.dns_cache) d.dns = Duration::zero();
    return d;
  };
  std::vector<std::int64_t> ok_at(hosts, 0);
  std::int64_t ok = 0;
  for (const Outcome& o : r.downloads) {
    const std::size_t h = o.host < hosts ? o.host : 0;
    if (o.status == Status::ok) {
      ++ok_at[h];
      ++ok;
    }
    if (!c.keep_alive) continue;
    const int attempts = std::max(1, o.attempts);
    for (int a = 0; a < attempts; ++a) {
      const SimTransport::Draws d = drawn(o, a);
      kept_rtt[h] = std::min(kept_rtt[h], d.rtt);
      kept_connect[h] = std::min(kept_connect[h], SimTransport::handshake_time(s, o.host, d));
    }
  }
  // HTTP/2: max_connections of max_streams each, across hosts, and no cap per host.
  const auto streams = std::min<std::int64_t>(std::int64_t{c.max_connections} * c.max_streams,
                                              std::numeric_limits<int>::max());
  const int across = c.http2 ? static_cast<int>(streams)
                     : hosts > 1 && c.when_full == Client::WhenFull::wait ? c.max_connections
                                                                          : 0;
  double bytes = 0;
  // What every download needs, and per host what its pool and its server see. Only the times
  // a bound below reads are kept, and no zero (rounds_bound does not need them).
  std::vector<Duration> lane_times, cpu_times;
  lane_times.reserve(static_cast<std::size_t>(ok));
  struct PerHost {
    std::vector<Duration> on_wire, service;  // kept when its pool or its server bound it
    bool keep_on_wire = false, keep_service = false;
    std::int64_t ok = 0;                  // its successful downloads
    double bytes = 0;                     // their bodies
    std::int64_t attempts = 0;            // every attempt, failed ones too (each took a token)
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
    if (ph.keep_on_wire) ph.on_wire.reserve(static_cast<std::size_t>(ok_at[h]));
    if (ph.keep_service) ph.service.reserve(static_cast<std::size_t>(ok_at[h]));
  }
  // A download cannot end before it arrives and then takes its time alone.
  const Time first_arrival = first_arrival_of(r);
  Duration after_arrival{0}, shortest = Duration::max();
  std::int64_t total_attempts = 0;
  for (const Outcome& o : r.downloads) {
    bytes += static_cast<double>(o.bytes);
    const std::size_t h = o.host < hosts ? o.host : 0;
    PerHost& ph = per_host[h];
    ph.attempts += o.attempts;
    total_attempts += o.attempts;
    if (o.status != Status::ok) continue;
    ++ph.ok;
    ph.bytes += static_cast<double>(o.bytes);
    // Only what the successful attempt drew: earlier attempts may have been cut short.
    const int attempt = std::max(0, o.attempts - 1);
    const Duration work_before = cpu_before_work(c, seed, o.id, attempt);
    const Duration work_after = cpu_work(c, seed, o.id, attempt, o.bytes);
    const Duration work = sim::add_saturating(work_before, work_after);
    const SimTransport::Draws d = drawn(o, attempt);
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
    if (work > Duration::zero()) cpu_times.push_back(work);
    if (ph.keep_service && d.service > Duration::zero()) ph.service.push_back(d.service);
    if (ph.keep_on_wire && on_wire > Duration::zero()) ph.on_wire.push_back(on_wire);
    const Duration lane = sim::add_saturating(on_wire, work);
    if (lane > Duration::zero()) lane_times.push_back(lane);
    shortest = std::min(shortest, lane);
    ph.shortest = std::min(ph.shortest, lane);
    after_arrival = std::max(after_arrival, sim::add_saturating(o.submitted - first_arrival, lane));
  }
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
    best = std::max(best, rate_limit_bound(c.rate_limit, total_attempts, ok, shortest));
  if (s.network.bandwidth > 0)
    best = std::max(best, sim::from_seconds(bytes / s.network.goodput()));
  best = std::max(best, rounds_bound(std::move(cpu_times), plan.cpu_slots));
  const std::vector<double> host_rate = SimTransport::host_rates(s);
  for (std::size_t h = 0; h < hosts; ++h) {
    PerHost& ph = per_host[h];
    if (ph.ok == 0) continue;
    // A place in the pool's first request opens its connection, kept alive or not.
    const int cap = c.http2 ? 0 : connection_cap(c, s.network_of(h).per_host_limit);
    if (cap > 0) {
      const Duration first_connect = c.keep_alive ? kept_connect[h] : Duration::zero();
      best = std::max(best,
                      sim::add_saturating(first_connect, rounds_bound(std::move(ph.on_wire), cap)));
    }
    // The host's own uplink carries its bytes at most at its rate.
    if (h < host_rate.size() && host_rate[h] > 0)
      best = std::max(best, sim::from_seconds(ph.bytes / host_rate[h]));
    if (c.http2 && tcp::on(s.network, kept_rtt[h])) {
      // HTTP/2: a round sends at most a window, and rounds are a round trip apart at least, so
      // a connection carries at most max_window / RTT; a host has no more connections at once
      // than its requests in flight fill max_streams apiece (and max_connections at most).
      std::int64_t conns =
          (std::min<std::int64_t>(plan.lanes, ph.ok) + c.max_streams - 1) / c.max_streams;
      if (c.max_connections > 0) conns = std::min<std::int64_t>(conns, c.max_connections);
      const double per_conn = s.network.max_window / sim::to_seconds(kept_rtt[h]);
      best = std::max(best,
                      sim::add_saturating(
                          sim::add_saturating(kept_connect[h], kept_rtt[h]),
                          sim::from_seconds(ph.bytes / (static_cast<double>(conns) * per_conn))));
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
    for (const PerHost& ph : per_host)
      if (ph.ok > 0)
        best = std::max(best, rate_limit_bound(c.rate_limit, ph.attempts, ph.ok, ph.shortest));
  }
  return best;
}

}  // namespace model
