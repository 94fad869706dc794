// The client's connection pool and timeouts against hand-computed schedules: the cap with
// "wait" and "open_extra", kept connections (max_idle, idle_timeout), and the connect, read,
// total and pool timeouts, each with its own outcome text.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "model_support.hpp"

using namespace model_test;
using model::Distribution;
using model::Phase;
using model::Status;

namespace {

int connects(const model::StrategyResult& r) {
  int n = 0;
  for (const auto& sp : r.spans)
    n += sp.phase == Phase::connect ? 1 : 0;
  return n;
}

std::vector<double> ends(const model::StrategyResult& r) {
  std::vector<double> out;
  for (const auto& o : r.downloads)
    out.push_back(seconds(o.end));
  return out;
}

// Time download `id` spent in `p`.
double in_phase(const model::StrategyResult& r, std::uint32_t id, Phase p) {
  double t = 0;
  for (const auto& sp : r.spans)
    if (sp.download == id && sp.phase == p) t += seconds(sp.end - sp.start);
  return t;
}

// 6 downloads; RTT 100 ms, service 200 ms, bodies of no size: a new connection costs 0.1 s
// of handshake, then 0.3 s to the answer.
model::Scenario six() {
  auto s = items(6, 0);
  s.network.rtt = Distribution::constant(0.1);
  s.server.service = Distribution::constant(0.2);
  s.client.max_connections = 2;
  return s;
}

void check_ends(const model::StrategyResult& r, const std::vector<double>& want) {
  const auto got = ends(r);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("download " << i);
    CHECK(got[i] == Approx(want[i]).margin(1e-9));
  }
}

}  // namespace

TEST_CASE("pool: max_connections 2 with wait, no keep-alive: two at a time, each connecting",
          "[model][pool]") {
  const auto r = run_one(six(), async(0)).result;
  // 0-0.4: 0 and 1; 0.4-0.8: 2 and 3 on the freed places (new handshakes); 0.8-1.2: 4 and 5.
  check_ends(r, {0.4, 0.4, 0.8, 0.8, 1.2, 1.2});
  CHECK(connects(r) == 6);
  CHECK(in_phase(r, 2, Phase::pool) == Approx(0.4));
  CHECK(in_phase(r, 4, Phase::pool) == Approx(0.8));
  CHECK(in_phase(r, 0, Phase::pool) == 0);
}

TEST_CASE("pool: max_connections 2 with wait and keep-alive: waiters take the kept connections",
          "[model][pool]") {
  auto s = six();
  s.client.keep_alive = true;
  for (const auto& st : {async(0), async(4)}) {
    INFO(st.name);
    const auto r = run_one(s, st).result;
    // 0-0.4 open two; then 0.3 s per request on them: 0.7, 1.0.
    check_ends(r, {0.4, 0.4, 0.7, 0.7, 1.0, 1.0});
    CHECK(connects(r) == 2);
    CHECK(r.summary.makespan >= r.summary.lower_bound);
  }
}

TEST_CASE("pool: open_extra opens connections over the cap and closes them after use",
          "[model][pool]") {
  auto s = six();
  s.client.keep_alive = true;
  s.client.when_full = model::Client::WhenFull::open_extra;
  // Four lanes: 0 and 1 in the pool, 2 and 3 extra, all done at 0.4. The extras are closed;
  // 4 and 5 reuse the two kept ones (0.3 s each).
  const auto r = run_one(s, async(4)).result;
  check_ends(r, {0.4, 0.4, 0.4, 0.4, 0.7, 0.7});
  CHECK(connects(r) == 4);
  for (std::uint32_t i = 0; i < 6; ++i)
    CHECK(in_phase(r, i, Phase::pool) == 0);
  // Six at once: nobody waits.
  check_ends(run_one(s, async(0)).result, {0.4, 0.4, 0.4, 0.4, 0.4, 0.4});
}

TEST_CASE("pool: max_idle closes what is given back past it", "[model][pool]") {
  auto s = items(8, 0);
  s.network.rtt = Distribution::constant(0.1);
  s.server.service = Distribution::constant(0.2);
  s.client.keep_alive = true;
  s.client.cpu = Distribution::constant(0.1);  // the connections are idle meanwhile
  s.client.cores = 4;
  const auto st = pool(4, model::Strategy::PoolKind::process);
  CHECK(connects(run_one(s, st).result) == 4);
  s.client.max_idle = 1;
  // At 0.4 four are given back: one kept, three closed; at 0.5 one request reuses it and
  // three connect again (0.5 + 0.4 = 0.9, then CPU to 1.0).
  const auto r = run_one(s, st).result;
  CHECK(connects(r) == 7);
  check_ends(r, {0.5, 0.5, 0.5, 0.5, 0.9, 1.0, 1.0, 1.0});
}

TEST_CASE("pool: a connection idle past idle_timeout is closed; the next request connects",
          "[model][pool]") {
  auto s = items(3, 0);
  s.network.rtt = Distribution::constant(0.1);
  s.server.service = Distribution::constant(0.2);
  s.client.keep_alive = true;
  s.client.cpu = Distribution::constant(1.0);  // idle for 1 s between requests
  // Kept: 0.4 + 1, then 0.3 + 1 twice.
  auto r = run_one(s, sequential()).result;
  CHECK(connects(r) == 1);
  CHECK(seconds(r.summary.makespan) == Approx(0.4 + 1 + 2 * (0.3 + 1)));
  s.client.idle_timeout = sim::from_seconds(2.0);
  CHECK(connects(run_one(s, sequential()).result) == 1);
  s.client.idle_timeout = sim::from_seconds(0.5);
  r = run_one(s, sequential()).result;
  CHECK(connects(r) == 3);
  CHECK(seconds(r.summary.makespan) == Approx(3 * (0.4 + 1)));
}

TEST_CASE("pool: the host's per_host_limit is a cap like max_per_host", "[model][pool]") {
  auto s = six();
  s.client.max_connections = 0;
  s.client.max_per_host = 3;
  s.network.per_host_limit = 2;  // the smaller one binds
  check_ends(run_one(s, async(0)).result, {0.4, 0.4, 0.8, 0.8, 1.2, 1.2});
  s.network.per_host_limit = 0;
  check_ends(run_one(s, async(0)).result, {0.4, 0.4, 0.4, 0.8, 0.8, 0.8});
}

TEST_CASE("pool_timeout: a request waiting longer for a connection times out",
          "[model][pool][timeout]") {
  auto s = six();
  s.client.pool_timeout = sim::from_seconds(0.3);
  const auto r = run_one(s, async(0)).result;
  CHECK(r.summary.counts[static_cast<int>(Status::ok)] == 2);
  CHECK(r.summary.counts[static_cast<int>(Status::timeout)] == 4);
  for (std::uint32_t i = 2; i < 6; ++i) {
    const auto& o = r.downloads[i];
    CHECK(seconds(o.end) == Approx(0.3));
    CHECK(o.error == "no connection from the pool within 0.300 s (pool_timeout)");
  }
  // Long enough: everyone gets a connection.
  s.client.pool_timeout = sim::from_seconds(0.9);
  CHECK(run_one(s, async(0)).result.summary.counts[static_cast<int>(Status::ok)] == 6);
}

TEST_CASE("connect_timeout: DNS and handshakes longer than it time out at it",
          "[model][pool][timeout]") {
  auto s = items(1, 0);
  s.network.rtt = Distribution::constant(0.1);
  s.network.tls = true;  // TCP + TLS: 0.2 s to connect
  s.client.connect_timeout = sim::from_seconds(0.15);
  auto r = run_one(s, sequential()).result;
  CHECK(r.downloads[0].status == Status::timeout);
  CHECK(seconds(r.downloads[0].end) == Approx(0.15));
  CHECK(r.downloads[0].error == "no connection within 0.150 s (connect_timeout)");
  s.client.connect_timeout = sim::from_seconds(0.25);
  r = run_one(s, sequential()).result;
  CHECK(r.downloads[0].status == Status::ok);
  CHECK(seconds(r.downloads[0].end) == Approx(0.3));
}

TEST_CASE("read_timeout: a slow drip is not a timeout, a stall is; timeout bounds the whole",
          "[model][pool][timeout]") {
  // 5000 bytes at 1000 B/s: the body takes 5 s, bytes arriving all along.
  auto s = items(1, 5000);
  s.network.rtt = Distribution::constant(0.1);
  s.network.bandwidth = 1000;
  s.network.overhead = 0;  // the body gets the whole 1000 B/s
  s.server.service = Distribution::constant(0.2);
  s.client.read_timeout = sim::from_seconds(1.0);
  auto r = run_one(s, sequential()).result;
  CHECK(r.downloads[0].status == Status::ok);
  CHECK(seconds(r.downloads[0].end) == Approx(0.1 + 0.3 + 5.0));
  // The same drip under a 1 s timeout on the whole attempt.
  s.client.read_timeout.reset();
  s.client.timeout = sim::from_seconds(1.0);
  r = run_one(s, sequential()).result;
  CHECK(r.downloads[0].status == Status::timeout);
  CHECK(seconds(r.downloads[0].end) == Approx(1.0));
  CHECK(r.downloads[0].error == "no complete answer within 1.000 s");
  // A stall: after the handshake (0.1 s) the request is sent and nothing comes back.
  s.server.stall_rate = 1;
  s.client.timeout = sim::from_seconds(3.0);
  s.client.read_timeout = sim::from_seconds(1.0);
  r = run_one(s, sequential()).result;
  CHECK(r.downloads[0].status == Status::timeout);
  CHECK(seconds(r.downloads[0].end) == Approx(1.1));
  CHECK(r.downloads[0].error == "no data for 1.000 s (read_timeout)");
}

TEST_CASE("timeouts: retries follow each kind of timeout", "[model][pool][timeout]") {
  auto s = items(1, 0);
  s.network.rtt = Distribution::constant(0.1);
  s.server.stall_rate = 1;
  s.client.read_timeout = sim::from_seconds(0.5);
  s.client.retries = 2;
  s.client.backoff = sim::from_seconds(0.1);
  const auto r = run_one(s, sequential()).result;
  CHECK(r.downloads[0].attempts == 3);
  CHECK(r.failed_attempts.size() == 3);
  // Each attempt: connect 0.1 + 0.5 of silence; backoffs 0.1 and 0.2.
  CHECK(seconds(r.downloads[0].end) == Approx(3 * 0.6 + 0.1 + 0.2));
}
