// A per-host connection limit with keep-alive: a waiter for the host takes the connection the
// next finished request hands back, as aiohttp's limit_per_host and urllib3's pool_block do.
#include <catch2/catch.hpp>

#include "model_support.hpp"

using namespace model_test;
using model::Distribution;

namespace {

int connects(const model::StrategyResult& r) {
  int n = 0;
  for (const auto& sp : r.spans)
    n += sp.phase == model::Phase::connect ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("past the per-host limit, more lanes with keep-alive are not slower", "[model][host]") {
  auto s = items(40, 0);
  s.network.rtt = Distribution::constant(0.1);
  s.client.keep_alive = true;
  s.network.per_host_limit = 10;
  // Ten connections, each opened once (0.1 s) then carrying 4 requests of one RTT each
  // (request 0.05 s, first byte 0.05 s): 0.1 + 4 x 0.1 = 0.5 s, however many lanes wait.
  for (const auto& st : {pool(10), pool(32), async(100), async(0)}) {
    INFO(st.name);
    const auto r = run_one(s, st).result;
    CHECK(seconds(r.summary.makespan) == Approx(0.5));
    CHECK(connects(r) == 10);
  }
}

TEST_CASE("below the per-host limit, idle kept-alive connections are reused first",
          "[model][host]") {
  auto s = items(12, 0);
  s.network.rtt = Distribution::constant(0.1);
  s.client.keep_alive = true;
  s.network.per_host_limit = 10;
  const auto r = run_one(s, pool(3)).result;
  CHECK(connects(r) == 3);
  CHECK(seconds(r.summary.makespan) == Approx(0.1 + 4 * 0.1));
}

TEST_CASE("without keep-alive a waiter gets the freed host slot and connects", "[model][host]") {
  auto s = items(4, 0);
  s.network.rtt = Distribution::constant(0.1);
  s.network.per_host_limit = 2;
  const auto r = run_one(s, async(0)).result;
  CHECK(connects(r) == 4);
  // two rounds of connect 0.1 + request 0.1
  CHECK(seconds(r.summary.makespan) == Approx(2 * 0.2));
}

TEST_CASE("the lower bound counts the per-host limit as lanes", "[model][host][bound]") {
  auto s = items(40, 0);
  s.network.rtt = Distribution::constant(0.1);
  s.network.per_host_limit = 10;
  // Without keep-alive: 4 rounds of connect + request on 10 slots, however many lanes.
  for (const auto& st : {pool(10), pool(32), async(0)}) {
    INFO(st.name);
    const auto r = run_one(s, st).result;
    CHECK(seconds(r.summary.lower_bound) == Approx(4 * 0.2));
    CHECK(r.summary.makespan == r.summary.lower_bound);
  }
  // With keep-alive: each slot opens its connection once, then 4 requests of one RTT.
  s.client.keep_alive = true;
  const auto kept = run_one(s, async(100)).result;
  CHECK(seconds(kept.summary.lower_bound) == Approx(0.1 + 4 * 0.1));
  CHECK(kept.summary.makespan == kept.summary.lower_bound);
}
