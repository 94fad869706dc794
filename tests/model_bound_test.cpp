// The lower bound: no schedule with these lanes can finish sooner, and where the work comes in
// equal jobs (whole rounds on lanes, server workers or CPU slots) it is exact.
#include <catch2/catch.hpp>

#include "model/summary.hpp"
#include "model_support.hpp"

using namespace model_test;
using model::Distribution;
using sim::from_seconds;

TEST_CASE("whole rounds: equal jobs on W lanes take ceil(n / W) rounds", "[model][bound]") {
  const std::vector<sim::Duration> twenty(20, from_seconds(0.2));
  CHECK(model::rounds_bound(twenty, 16) == from_seconds(0.4));
  CHECK(model::rounds_bound(twenty, 20) == from_seconds(0.2));
  CHECK(model::rounds_bound(twenty, 7) == from_seconds(0.6));
  CHECK(model::rounds_bound(twenty, 1) == from_seconds(4.0));
  // 4, 3, 2, 1, 0 on 3 lanes: the 4 s job alone (3 + 1 and 2 + 0 fit beside it)
  std::vector<sim::Duration> sleeps;
  for (int i : {0, 1, 2, 3, 4})
    sleeps.push_back(from_seconds(i));
  CHECK(model::rounds_bound(sleeps, 3) == from_seconds(4));
  // 3, 3, 3 on 2 lanes: two of them share a lane
  CHECK(model::rounds_bound(std::vector<sim::Duration>(3, from_seconds(3)), 2) == from_seconds(6));
}

TEST_CASE("20 requests on 16 server workers of 200 ms: the bound is the two rounds",
          "[model][bound]") {
  auto s = items(20, 0);
  s.network.rtt = Distribution::constant(0.0001);
  s.server.workers = 16;
  s.server.service = Distribution::constant(0.2);
  // 16 threads: two downloads per lane, each connect 0.1 ms + request 0.05 ms + 200 ms +
  // first byte 0.05 ms.
  const auto threads = run_one(s, pool(16)).result;
  CHECK(seconds(threads.summary.lower_bound) == Approx(2 * 0.2002));
  CHECK(threads.summary.makespan == threads.summary.lower_bound);
  // One lane per download: the server's two rounds between the first request's arrival and the
  // last answer's first byte.
  for (const auto& st : {async(64), async(0)}) {
    INFO(st.name);
    const auto r = run_one(s, st).result;
    CHECK(seconds(r.summary.lower_bound) == Approx(0.0001 + 0.00005 + 0.4 + 0.00005));
    CHECK(r.summary.makespan == r.summary.lower_bound);
  }
}
