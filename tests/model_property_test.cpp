// Property tests: hundreds of random scenarios (sizes, rates, errors, stalls, timeouts,
// retries, keep-alive, host limits, every strategy kind), each run checked for the invariants
// every run must keep. The scenarios come from a fixed seed, so a failure names its scenario.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/strategy_run.hpp"
#include "model_support.hpp"

using namespace model_test;
using model::Distribution;
using model::Status;

namespace {

// Fewer scenarios under a sanitizer (or when LOITER_PROPERTY_SCENARIOS says so).
int scenario_count() {
  if (const char* n = std::getenv("LOITER_PROPERTY_SCENARIOS")) return std::max(1, std::atoi(n));
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return 200;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return 200;
#endif
#endif
  return 2000;
}

struct Gen {
  model::Rng rng;
  double unit() { return rng.uniform01(); }
  bool chance(double p) { return unit() < p; }
  int between(int lo, int hi) {  // [lo, hi]
    return lo + static_cast<int>(unit() * (hi - lo + 1));
  }
  double seconds(double lo, double hi) { return lo + unit() * (hi - lo); }
  Distribution duration(double scale) {
    switch (between(0, 4)) {
      case 0:
        return Distribution::constant(chance(0.2) ? 0.0 : seconds(0, scale));
      case 1:
        return Distribution::uniform(0, seconds(0, scale));
      case 2:
        return Distribution::exponential(seconds(0.001, scale));
      case 3:
        return Distribution::normal(seconds(0, scale), seconds(0, scale / 2));
      default:
        return Distribution::lognormal(seconds(0.001, scale), seconds(0.1, 1.5));
    }
  }
};

model::Strategy random_strategy(Gen& g, int index) {
  model::Strategy st;
  switch (g.between(0, 2)) {
    case 0:
      st = sequential();
      break;
    case 1:
      st = pool(
          g.between(1, 40),
          g.chance(0.5) ? model::Strategy::PoolKind::thread : model::Strategy::PoolKind::process,
          g.chance(0.5) ? model::Strategy::Consume::in_order
                        : model::Strategy::Consume::as_completed);
      break;
    default:
      st = async(g.chance(0.3) ? 0 : g.between(1, 100));
      break;
  }
  st.name += "-" + std::to_string(index);
  return st;
}

model::Scenario random_scenario(Gen& g) {
  model::Scenario s;
  s.name = "random";
  s.seed = g.rng.next_u64() % 1'000'000;
  const int n = g.between(1, 60);
  switch (g.between(0, 5)) {
    case 0: {
      s.workload.kind = model::Workload::Kind::sleeps;
      for (int i = 0; i < n; ++i)
        s.workload.sleeps.push_back(sim::from_seconds(g.chance(0.2) ? 0 : g.seconds(0, 2)));
      break;
    }
    case 1:
    case 2: {
      s.workload.kind = model::Workload::Kind::generated;
      s.workload.count = n;
      s.workload.size = g.chance(0.5) ? Distribution::lognormal(g.seconds(100, 100'000), 1.0)
                                      : Distribution::constant(g.between(0, 50'000));
      break;
    }
    default:
      s = items(n, g.between(0, 200'000));
      for (auto& it : s.workload.items)
        if (g.chance(0.3)) it.bytes = g.between(0, 1'000'000);
      break;
  }
  model::Network& net = s.network;
  net.rtt = g.duration(0.2);
  if (g.chance(0.6)) net.bandwidth = g.seconds(1e5, 1e8);
  if (g.chance(0.2)) net.per_connection = g.seconds(1e4, 1e7);
  net.tls = g.chance(0.4);
  net.tls_rtts = g.between(1, 2);
  if (g.chance(0.3)) net.dns = g.duration(0.05);
  if (g.chance(0.4)) net.per_host_limit = g.between(1, 20);
  model::Server& srv = s.server;
  if (g.chance(0.6)) srv.workers = g.between(1, 20);
  srv.service = g.duration(0.5);
  if (g.chance(0.4)) srv.errors.push_back({503, g.seconds(0, 0.5)});
  if (g.chance(0.2)) srv.errors.push_back({500, g.seconds(0, 0.3)});
  if (g.chance(0.3)) srv.stall_rate = g.seconds(0, 0.4);
  if (s.workload.kind == model::Workload::Kind::items && g.chance(0.3))
    srv.missing.push_back(s.workload.items.front().name);
  model::Client& c = s.client;
  c.keep_alive = g.chance(0.5);
  if (g.chance(0.3)) c.max_connections = g.between(1, 20);
  if (g.chance(0.2)) c.max_per_host = g.between(1, 20);
  if (g.chance(0.3)) c.max_idle = g.between(1, 10);
  if (g.chance(0.3)) c.idle_timeout = sim::from_seconds(g.seconds(0.01, 1));
  if (g.chance(0.3)) c.when_full = model::Client::WhenFull::open_extra;
  if (g.chance(0.2)) c.connect_timeout = sim::from_seconds(g.seconds(0.01, 1));
  if (g.chance(0.2)) c.read_timeout = sim::from_seconds(g.seconds(0.01, 1));
  if (g.chance(0.2)) c.pool_timeout = sim::from_seconds(g.seconds(0.01, 1));
  if (g.chance(0.6)) c.timeout = sim::from_seconds(g.seconds(0.01, 3));
  c.retries = g.between(0, 3);
  c.backoff = sim::from_seconds(g.seconds(0, 0.3));
  c.backoff_max = sim::from_seconds(g.seconds(0.3, 2));
  if (g.chance(0.3)) c.cpu = g.duration(0.05);
  c.cores = g.between(1, 8);
  if (g.chance(0.3)) c.cpu_before = g.duration(0.02);
  if (g.chance(0.3)) c.cpu_on = model::Client::CpuOn::ok;
  if (g.chance(0.2)) c.cpu_per_byte = g.seconds(0, 1e-8);
  if (g.chance(0.2)) c.startup = sim::from_seconds(g.seconds(0, 0.2));
  if (g.chance(0.3)) c.gil = false;
  if (g.chance(0.3)) c.switch_interval = sim::from_seconds(g.seconds(0.001, 0.02));
  if (g.chance(0.3)) c.thread_start = sim::from_seconds(g.seconds(0, 0.01));
  if (g.chance(0.3)) c.process_start = sim::from_seconds(g.seconds(0, 0.1));
  const int strategies = g.between(1, 3);
  for (int i = 0; i < strategies; ++i)
    s.strategies.push_back(random_strategy(g, i));
  // Arrivals over time: a Poisson or an even stream, or the items' own times from a late
  // start (the makespan counts from the first arrival).
  if (g.chance(0.3)) {
    s.workload.arrivals = {
        g.chance(0.5) ? model::Arrivals::Kind::poisson : model::Arrivals::Kind::constant,
        g.seconds(1, 200)};
  } else if (s.workload.kind == model::Workload::Kind::items && g.chance(0.2)) {
    s.workload.arrivals.kind = model::Arrivals::Kind::listed;
    double at = g.seconds(0, 2);
    for (auto& it : s.workload.items) {
      it.at = sim::from_seconds(at);
      at += g.chance(0.3) ? 0 : g.seconds(0, 0.5);
    }
  }
  if (g.chance(0.2)) s.client.dns_cache = false;
  // A crawl: several hosts, each with its own path and server, the items spread over them.
  if (s.workload.kind != model::Workload::Kind::sleeps && g.chance(0.3)) {
    const int hosts = g.between(2, 5);
    for (int h = 0; h < hosts; ++h) {
      model::Host host;
      host.name = "h" + std::to_string(h);
      host.weight = g.seconds(0.1, 5);
      host.network = s.network;
      host.server = s.server;
      host.network.rtt = g.duration(0.2);
      if (g.chance(0.3)) host.network.dns = g.duration(0.05);
      host.network.per_host_limit = g.chance(0.4) ? g.between(1, 5) : 0;
      host.server.workers = g.chance(0.5) ? g.between(1, 5) : 0;
      host.server.service = g.duration(0.5);
      if (g.chance(0.3)) host.bandwidth = g.seconds(1e4, 1e7);  // its own uplink, bytes/s
      s.hosts.push_back(std::move(host));
    }
    for (auto& it : s.workload.items)
      it.host = static_cast<std::uint32_t>(g.between(0, hosts - 1));
  }
  // HTTP/2: streams on shared connections (kept alive, requests wait at the cap).
  if (g.chance(0.25)) {
    c.http2 = true;
    c.keep_alive = true;
    c.when_full = model::Client::WhenFull::wait;
    c.max_streams = g.between(1, 8);
  }
  return s;
}

// Checks one run; returns what went wrong ("" when nothing did).
std::string violation(const model::Scenario& s, const std::vector<model::Job>& jobs,
                      const model::StrategyResult& r) {
  if (r.downloads.size() != jobs.size()) return "not one outcome per download";
  std::int64_t counted = 0;
  for (std::int64_t n : r.summary.counts)
    counted += n;
  if (counted != static_cast<std::int64_t>(jobs.size())) return "counts do not add up";
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const model::Outcome& o = r.downloads[i];
    const std::string who = "download " + std::to_string(i) + ": ";
    if (o.id != i || o.name != jobs[i].name || o.name.empty()) return who + "wrong id or name";
    if (o.start < o.submitted) return who + "start before submission";
    if (o.end < o.start) return who + "end before start";
    if (o.consumed < o.end) return who + "consumed before end";
    if (o.submitted != jobs[i].arrival) return who + "not submitted at its arrival";
    if (o.submitted < r.summary.first_arrival) return who + "before the first arrival";
    if (o.end - r.summary.first_arrival > r.summary.makespan ||
        o.consumed - r.summary.first_arrival > r.summary.makespan)
      return who + "after the makespan";
    if (o.status == Status::stalled && s.client.timeout &&
        s.workload.kind != model::Workload::Kind::sleeps)
      return who + "stalled though a timeout ends every wait";
    if (o.status == Status::not_started) return who + "not started in a run nobody stopped";
    if (o.status != Status::stalled && o.attempts < 1) return who + "no attempt";
    for (std::uint32_t k = 0; k < o.span_count; ++k) {
      const model::PhaseSpan& sp = r.spans[o.span_begin + k];
      if (sp.download != i) return who + "a span of another download";
      if (sp.end < sp.start) return who + "a phase ends before it starts";
      if (sp.start < o.submitted || sp.end > o.end) return who + "a phase outside the download";
    }
  }
  if (r.summary.makespan < r.summary.lower_bound) return "makespan below the lower bound";
  if (s.client.http2) {
    // No connection carries more than max_streams requests at once, nor two hosts'.
    std::map<std::uint32_t, std::vector<std::pair<sim::Time, int>>> edges;
    std::map<std::uint32_t, std::uint32_t> host_of;
    for (const model::Outcome& o : r.downloads) {
      if (o.connection == 0) continue;
      if (host_of.emplace(o.connection, o.host).first->second != o.host)
        return "a connection to two hosts";
      sim::Time from = sim::kTimeMax, to{0};
      for (std::uint32_t k = 0; k < o.span_count; ++k) {
        const model::PhaseSpan& sp = r.spans[o.span_begin + k];
        if (sp.attempt + 1 != o.attempts || sp.phase < model::Phase::request ||
            sp.phase > model::Phase::transfer)
          continue;
        from = std::min(from, sp.start);
        to = std::max(to, sp.end);
      }
      if (from >= to) continue;
      edges[o.connection].push_back({from, 1});
      edges[o.connection].push_back({to, -1});
    }
    for (auto& [id, e] : edges) {
      std::sort(e.begin(), e.end(), [](const auto& a, const auto& b) {
        return a.first < b.first || (a.first == b.first && a.second < b.second);
      });
      int at_once = 0;
      for (const auto& [t, d] : e)
        if ((at_once += d) > s.client.max_streams) return "more streams than max_streams";
    }
  }
  if (r.summary.max_waiting > static_cast<std::int64_t>(jobs.size()))
    return "more waiting than downloads";
  if (r.summary.queue_time.p50 > r.summary.queue_time.p99) return "queue percentiles out of order";
  if (r.summary.per_request.p50 > r.summary.per_request.p99 ||
      r.summary.time_to_result.p50 > r.summary.time_to_result.p99)
    return "percentiles out of order";
  return "";
}

// What differs between a run that kept every span and one that kept only those its summaries
// read (pool and CPU): nothing of the report may. Also checks the totals by phase against the
// spans.
std::string lean_differs(const model::StrategyResult& full, const model::StrategyResult& lean) {
  std::array<model::TimeSum, model::kPhaseCount> sums{};
  for (const model::PhaseSpan& sp : full.spans)
    sums[static_cast<std::size_t>(sp.phase)].add(sp.end - sp.start);
  if (sums != full.phase_time) return "the totals by phase are not the spans' sums";
  if (lean.phase_time != full.phase_time) return "other totals by phase";
  for (const model::PhaseSpan& sp : lean.spans)
    if (sp.phase != model::Phase::pool && sp.phase != model::Phase::cpu)
      return "a span it need not keep";
  if (!lean.downloads.empty()) return "downloads it need not keep";
  const model::Tally &t = full.tally, &u = lean.tally;
  if (t.downloads != u.downloads || t.errors != u.errors || t.hosts.size() != u.hosts.size() ||
      t.last_ended_host != u.last_ended_host)
    return "another tally";
  for (std::size_t h = 0; h < t.hosts.size(); ++h)
    if (t.hosts[h].downloads != u.hosts[h].downloads || t.hosts[h].failed != u.hosts[h].failed ||
        t.hosts[h].last_end != u.hosts[h].last_end ||
        t.hosts[h].pool_wait != u.hosts[h].pool_wait || t.hosts[h].median != u.hosts[h].median)
      return "another host's figures";
  const model::Summary &a = full.summary, &b = lean.summary;
  if (a.makespan != b.makespan || a.p50 != b.p50 || a.p95 != b.p95 || a.p99 != b.p99 ||
      a.per_request.p50 != b.per_request.p50 || a.per_request.p99 != b.per_request.p99 ||
      a.time_to_result.p50 != b.time_to_result.p50 ||
      a.time_to_result.p99 != b.time_to_result.p99 || a.queue_time.p95 != b.queue_time.p95 ||
      a.queue_time.p99 != b.queue_time.p99 || a.throughput_per_s != b.throughput_per_s ||
      a.first_result != b.first_result || a.max_waiting != b.max_waiting || a.counts != b.counts ||
      a.lower_bound != b.lower_bound || a.lane_busy != b.lane_busy)
    return "another summary";
  const model::Explanation &x = full.explanation, &y = lean.explanation;
  if (x.verdict != y.verdict || x.binding != y.binding ||
      x.constraints.size() != y.constraints.size())
    return "another explanation";
  for (std::size_t i = 0; i < x.constraints.size(); ++i)
    if (x.constraints[i].busy != y.constraints[i].busy ||
        x.constraints[i].waiting != y.constraints[i].waiting)
      return "another constraint: " + x.constraints[i].name;
  return "";
}

}  // namespace

TEST_CASE("random scenarios keep every run's invariants", "[model][property]") {
  Gen g{model::Rng(20151)};
  const int count = scenario_count();
  int runs = 0;
  std::array<std::int64_t, model::kStatusCount> seen{};
  std::int64_t retried = 0, tight = 0;
  for (int k = 0; k < count; ++k) {
    const model::Scenario s = random_scenario(g);
    const auto jobs = model::make_jobs(s, s.seed);
    for (const model::Strategy& st : s.strategies) {
      const auto r = model::simulate_strategy(s, st, jobs, s.seed, false).result;
      const std::string what = violation(s, jobs, r);
      INFO("scenario " << k << ", strategy " << st.name << ": " << what);
      REQUIRE(what.empty());
      const auto lean = model::simulate_strategy(s, st, jobs, s.seed, false, nullptr, false).result;
      const std::string lean_what = lean_differs(r, lean);
      INFO("without every span: " << lean_what);
      REQUIRE(lean_what.empty());
      if (s.workload.kind == model::Workload::Kind::generated) {
        // Its jobs drawn one at a time as the lanes take them, none listed.
        const model::Jobs drawn(s, s.seed);
        const auto streamed =
            model::simulate_strategy(s, st, drawn, s.seed, false, nullptr, false).result;
        const std::string drawn_what = lean_differs(r, streamed);
        INFO("with jobs drawn as they are taken: " << drawn_what);
        REQUIRE(drawn_what.empty());
      }
      ++runs;
      for (int i = 0; i < model::kStatusCount; ++i)
        seen[static_cast<std::size_t>(i)] += r.summary.counts[static_cast<std::size_t>(i)];
      retried += static_cast<std::int64_t>(r.failed_attempts.size());
      tight += r.summary.makespan == r.summary.lower_bound ? 1 : 0;
    }
  }
  CHECK(runs >= count);
  // The scenarios reach every way a download can end in a run nobody stops, and some runs
  // finish exactly at their bound.
  for (Status st :
       {Status::ok, Status::not_found, Status::error, Status::timeout, Status::stalled}) {
    INFO(model::to_string(st));
    CHECK(seen[static_cast<std::size_t>(st)] > 0);
  }
  CHECK(retried > 0);
  CHECK(tight > 0);
}
