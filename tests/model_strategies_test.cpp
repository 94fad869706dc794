// The download model's closed forms and the lessons of the book: sharing, pools, the GIL.
#include <algorithm>
#include <vector>

#include <catch2/catch.hpp>

#include "model_support.hpp"

using namespace model_test;
using namespace std::chrono_literals;
using model::Distribution;

TEST_CASE("sequential makespan is the sum of the downloads when nothing is shared", "[model]") {
  auto s = items(5, 1000);
  s.network.rtt = Distribution::constant(0.1);
  s.network.dns = Distribution::constant(0.02);
  s.server.service = Distribution::constant(0.3);
  s.network.bandwidth = 10'000;  // 1000 bytes take 0.1 s with no header bytes on the wire
  s.network.overhead = 0;
  s.client.dns_cache = false;  // a lookup per connection, as requests makes
  const auto r = run_one(s, sequential()).result;
  // per download: dns 0.02 + connect 0.1 + request 0.05 + server 0.3 + first byte 0.05 + body 0.1
  const double each = 0.02 + 0.1 + 0.05 + 0.3 + 0.05 + 0.1;
  CHECK(seconds(r.summary.makespan) == Approx(5 * each).margin(1e-8));
  for (const auto& o : r.downloads) {
    CHECK(o.status == model::Status::ok);
    CHECK(seconds(o.end - o.start) == Approx(each).margin(1e-8));
    CHECK(o.lane == 0);
  }
}

TEST_CASE("a pool of N on n equal jobs takes ceil(n/N) x d", "[model]") {
  auto s = items(10, 0);
  s.server.service = Distribution::constant(0.5);
  for (int workers : {1, 3, 4, 10, 16}) {
    const auto r = run_one(s, pool(workers)).result;
    const int rounds = (10 + workers - 1) / workers;
    CHECK(seconds(r.summary.makespan) == Approx(rounds * 0.5).margin(1e-9));
    CHECK(r.lanes == std::min(workers, 10));
  }
}

TEST_CASE("k equal flows starting together on a link of bandwidth B each finish at kS/B",
          "[model]") {
  for (int k : {1, 2, 5, 20}) {
    auto s = items(k, 50'000);
    s.network.bandwidth = 1'000'000;
    s.network.overhead = 0;
    const auto r = run_one(s, async(0)).result;
    for (const auto& o : r.downloads)
      CHECK(seconds(o.end) == Approx(k * 0.05).margin(2e-9));
  }
}

TEST_CASE("headers on the wire: a body gets mss / (mss + overhead) of the link", "[model]") {
  // 5 MB at 10 Mbit/s: 4 s of body bytes, 4 x 1514 / 1448 = 4.1823 s with Linux's segments
  // (1448 body bytes in a 1514 B Ethernet frame); the same 10 flows at 1 MB each share it.
  for (int k : {1, 10}) {
    auto s = items(k, 5'000'000 / k);
    s.network.bandwidth = 1'250'000;
    const auto r = run_one(s, async(0)).result;
    for (const auto& o : r.downloads)
      CHECK(seconds(o.end) == Approx(4.0 * 1514 / 1448).margin(2e-9));
    CHECK(seconds(r.summary.lower_bound) == Approx(4.0 * 1514 / 1448).margin(2e-9));
    s.network.mss = 1460;
    s.network.overhead = 40;
    CHECK(seconds(run_one(s, async(0)).result.summary.makespan) ==
          Approx(4.0 * 1500 / 1460).margin(2e-9));
  }
}

TEST_CASE("a per-connection cap bounds each flow below its fair share", "[model]") {
  auto s = items(2, 100'000);
  s.network.bandwidth = 1'000'000;
  s.network.per_connection = 100'000;  // fair share would be 500 kB/s
  const auto r = run_one(s, async(0)).result;
  for (const auto& o : r.downloads)
    CHECK(seconds(o.end) == Approx(1.0).margin(2e-9));
}

TEST_CASE("the GIL: CPU-bound work does not speed up with threads, does with processes",
          "[model]") {
  auto s = items(16, 0);
  s.client.cpu = Distribution::constant(0.25);
  s.client.cores = 4;
  const double seq = seconds(run_one(s, sequential()).result.summary.makespan);
  const double threads = seconds(run_one(s, pool(8)).result.summary.makespan);
  const double procs =
      seconds(run_one(s, pool(8, model::Strategy::PoolKind::process)).result.summary.makespan);
  const double asy = seconds(run_one(s, async(16)).result.summary.makespan);
  CHECK(seq == Approx(4.0));
  CHECK(threads == Approx(seq));
  CHECK(asy == Approx(seq));
  CHECK(procs == Approx(seq / 4));  // 1 / cores
}

TEST_CASE("I/O-bound work speeds up with threads and with async alike", "[model]") {
  auto s = items(20, 10'000);
  s.network.rtt = Distribution::constant(0.2);
  s.server.service = Distribution::constant(0.3);
  const double seq = seconds(run_one(s, sequential()).result.summary.makespan);
  const double threads = seconds(run_one(s, pool(20)).result.summary.makespan);
  const double asy = seconds(run_one(s, async(20)).result.summary.makespan);
  CHECK(seq == Approx(20 * threads));
  CHECK(asy == Approx(threads));
}

TEST_CASE("in-order consumption waits for earlier results, as Executor.map does", "[model][book]") {
  model::Scenario s;
  s.name = "loiter";
  for (int n = 0; n < 5; ++n)
    s.workload.sleeps.push_back(std::chrono::seconds(n));
  s.workload.kind = model::Workload::Kind::sleeps;
  auto st = pool(3, model::Strategy::PoolKind::thread, model::Strategy::Consume::in_order);
  const auto r = run_one(s, st).result;
  std::vector<double> start, end, consumed;
  std::vector<int> lanes;
  for (const auto& o : r.downloads) {
    start.push_back(seconds(o.start));
    end.push_back(seconds(o.end));
    consumed.push_back(seconds(o.consumed));
    lanes.push_back(o.lane);
  }
  CHECK(start == std::vector<double>{0, 0, 0, 0, 1});
  CHECK(end == std::vector<double>{0, 1, 2, 3, 5});
  CHECK(consumed == std::vector<double>{0, 1, 2, 3, 5});
  // loiter(0) ends at once, so worker 0 also takes loiter(1), then loiter(4) at 1 s.
  CHECK(lanes == std::vector<int>{0, 0, 1, 2, 0});
  CHECK(seconds(r.summary.makespan) == 5.0);
  CHECK(seconds(r.summary.lower_bound) == 4.0);  // the 4 s task; the work over lanes is 10/3 s
}

TEST_CASE("thread start costs delay the workers one after another", "[model]") {
  auto s = items(4, 0);
  s.server.service = Distribution::constant(1.0);
  s.client.thread_start = 100ms;
  const auto r = run_one(s, pool(4)).result;
  for (std::uint32_t i = 0; i < 4; ++i)
    CHECK(seconds(r.downloads[i].start) == Approx(0.1 * (i + 1)));
}

TEST_CASE("every strategy gives every download exactly one outcome", "[model]") {
  auto s = items(50, 2000);
  s.network.rtt = Distribution::lognormal(0.05, 0.5);
  s.network.bandwidth = 100'000;
  s.server.workers = 4;
  s.server.service = Distribution::exponential(0.05);
  for (const auto& st : {sequential(), pool(7), async(13), async(0)}) {
    const auto r = run_one(s, st).result;
    REQUIRE(r.downloads.size() == 50);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < r.downloads.size(); ++i) {
      CHECK(r.downloads[i].id == i);
      CHECK(r.downloads[i].attempts == 1);
      CHECK(r.downloads[i].end >= r.downloads[i].start);
      CHECK(r.downloads[i].consumed >= r.downloads[i].end);
    }
    for (auto c : r.summary.counts)
      total += c;
    CHECK(total == 50);
    CHECK(r.summary.makespan >= r.summary.lower_bound);
  }
}

TEST_CASE("same seed, same outcomes; another seed, other draws", "[model]") {
  auto s = items(30, 5000);
  s.network.rtt = Distribution::lognormal(0.1, 0.4);
  s.server.service = Distribution::uniform(0.1, 0.5);
  const auto a = run_one(s, pool(5), 7).result;
  const auto b = run_one(s, pool(5), 7).result;
  const auto c = run_one(s, pool(5), 8).result;
  CHECK(a.summary.makespan == b.summary.makespan);
  for (std::size_t i = 0; i < a.downloads.size(); ++i)
    CHECK(a.downloads[i].end == b.downloads[i].end);
  CHECK(a.summary.makespan != c.summary.makespan);
}

TEST_CASE("the lower bound is the slowest download alone when nothing is shared", "[model]") {
  auto s = items(12, 4000);
  s.network.rtt = Distribution::lognormal(0.1, 0.5);
  s.server.service = Distribution::exponential(0.2);
  // Unlimited bandwidth and server: with one lane per download nothing waits or shares.
  const auto all_at_once = run_one(s, async(0)).result;
  CHECK(all_at_once.summary.makespan == all_at_once.summary.lower_bound);
  std::vector<sim::Duration> ends;
  for (const auto& o : all_at_once.downloads)
    ends.push_back(o.end);
  CHECK(*std::max_element(ends.begin(), ends.end()) == all_at_once.summary.lower_bound);
  // Fewer lanes: the time alone shared over 3 lanes bounds them higher, still below the makespan.
  const auto three = run_one(s, pool(3)).result;
  CHECK(three.summary.lower_bound > all_at_once.summary.lower_bound);
  CHECK(three.summary.makespan >= three.summary.lower_bound);
  // One lane: the downloads one after another are exactly their times alone.
  const auto one = run_one(s, sequential()).result;
  CHECK(one.summary.makespan == one.summary.lower_bound);
}

namespace {

int count_phase(const model::StrategyResult& r, model::Phase p) {
  int n = 0;
  for (const auto& sp : r.spans)
    n += sp.phase == p ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("keep-alive reuses connections: one connect per lane, not per download", "[model]") {
  auto s = items(12, 1000);
  s.network.rtt = Distribution::constant(0.1);
  s.server.service = Distribution::constant(0.2);
  const auto fresh = run_one(s, pool(3)).result;
  CHECK(count_phase(fresh, model::Phase::connect) == 12);
  s.client.keep_alive = true;
  const auto kept = run_one(s, pool(3)).result;
  CHECK(count_phase(kept, model::Phase::connect) == 3);
  // each lane: one connect (0.1 s) + 4 x (request 0.05 + server 0.2 + first byte 0.05)
  CHECK(seconds(kept.summary.makespan) == Approx(0.1 + 4 * 0.3));
  CHECK(seconds(fresh.summary.makespan) == Approx(4 * 0.4));
}

TEST_CASE("a per-host connection limit caps the connections open at once", "[model]") {
  auto s = items(10, 0);
  s.network.rtt = Distribution::constant(0.1);
  s.server.service = Distribution::constant(0.4);
  s.network.per_host_limit = 2;
  const auto r = run_one(s, async(0)).result;
  // Sweep the connect..transfer spans: never more than 2 downloads past their queue and the
  // wait for a connection (pool) at once.
  std::vector<std::pair<sim::Time, int>> edges;
  for (const auto& o : r.downloads) {
    sim::Time first = sim::kTimeMax;
    for (std::uint32_t k = 0; k < o.span_count; ++k) {
      const auto& sp = r.spans[o.span_begin + k];
      if (sp.phase != model::Phase::queued && sp.phase != model::Phase::pool)
        first = std::min(first, sp.start);
    }
    edges.push_back({first, +1});
    edges.push_back({o.end, -1});
  }
  std::sort(edges.begin(), edges.end());
  int open = 0, most = 0;
  for (const auto& [t, d] : edges)
    most = std::max(most, open += d);
  CHECK(most == 2);
  // 10 downloads of 0.1 + 0.05 + 0.4 + 0.05 = 0.6 s, two at a time
  CHECK(seconds(r.summary.makespan) == Approx(5 * 0.6));
}

TEST_CASE("with keep-alive the lower bound holds though connections carry others' RTTs",
          "[model]") {
  auto s = items(20, 1000);
  s.client.keep_alive = true;
  s.network.rtt = Distribution::lognormal(0.1, 1.0);  // RTTs far apart
  s.server.service = Distribution::constant(0.01);
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    for (const auto& st : {sequential(), pool(2), async(0)}) {
      const auto r = run_one(s, st, seed).result;
      INFO("seed " << seed << " " << st.name);
      CHECK(r.summary.makespan >= r.summary.lower_bound);
    }
  }
}

TEST_CASE("waiting for a server worker is server_queue, the worker's time is service", "[model]") {
  auto s = items(6, 0);
  s.server.service = Distribution::constant(0.5);
  s.server.workers = 2;
  const auto r = run_one(s, async(0)).result;
  // 6 requests at once on 2 workers: rounds of 0.5 s; the k-th pair waits k x 0.5 s.
  std::vector<double> queued;
  for (const auto& o : r.downloads) {
    double wait = 0, service = 0;
    for (std::uint32_t k = 0; k < o.span_count; ++k) {
      const auto& sp = r.spans[o.span_begin + k];
      if (sp.phase == model::Phase::server_queue) wait += seconds(sp.end - sp.start);
      if (sp.phase == model::Phase::service) service += seconds(sp.end - sp.start);
    }
    CHECK(service == Approx(0.5));
    queued.push_back(wait);
  }
  std::sort(queued.begin(), queued.end());
  const std::vector<double> expected = {0, 0, 0.5, 0.5, 1.0, 1.0};
  for (std::size_t i = 0; i < expected.size(); ++i)
    CHECK(queued[i] == Approx(expected[i]).margin(1e-9));
  CHECK(seconds(r.summary.makespan) == Approx(1.5));
}
