// What bound a run, against schedules worked out by hand: the constraint named, its use over
// the makespan and the downloads' time spent waiting for it.
#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "model_support.hpp"

using namespace model_test;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using model::Distribution;

namespace {

const model::Constraint& named(const model::Explanation& e, const std::string& name) {
  for (const auto& k : e.constraints)
    if (k.name == name) return k;
  FAIL("no constraint " << name);
  throw std::logic_error("unreachable");
}

std::string binding(const model::Explanation& e) {
  return e.binding < 0 ? "none" : e.constraints.at(static_cast<std::size_t>(e.binding)).name;
}

}  // namespace

TEST_CASE("explain: 2 server workers under 8 requests at once bind, lanes do not",
          "[model][explain]") {
  // 8 requests of 1 s on 2 workers: 4 rounds, 4 s; the workers are busy the whole run, and
  // the requests wait 0+0+1+1+2+2+3+3 = 12 s of their 8 x 2.5 = 20 s (arrival to end: 1..4 s
  // in pairs, 20 s in all): 60%.
  auto s = items(8, 0);
  s.server.workers = 2;
  s.server.service = Distribution::constant(1.0);
  const auto r = run_one(s, async(0)).result;
  const auto& e = r.explanation;
  REQUIRE(binding(e) == "server workers");
  CHECK(named(e, "server workers").busy == Approx(1.0));
  CHECK(named(e, "server workers").waiting == Approx(12.0 / 20.0));
  CHECK(named(e, "lanes").waiting == Approx(0.0));
  CHECK_THAT(e.verdict, StartsWith("bound by the server workers (2 workers busy 100%; downloads "
                                   "waited 60% of their time for it)"));
  CHECK_THAT(e.verdict, Contains("more concurrency will not help"));
}

TEST_CASE("explain: a pool of 2 threads with nothing shared behind it binds on its lanes",
          "[model][explain]") {
  // 6 downloads of 1 s (service) through 2 threads: 3 s; downloads wait 0,0,1,1,2,2 = 6 s of
  // 1+1+2+2+3+3 = 12 s.
  auto s = items(6, 0);
  s.server.service = Distribution::constant(1.0);
  const auto r = run_one(s, pool(2)).result;
  const auto& e = r.explanation;
  REQUIRE(binding(e) == "lanes");
  CHECK(named(e, "lanes").busy == Approx(1.0));
  CHECK(named(e, "lanes").waiting == Approx(0.5));
  CHECK(e.verdict ==
        "bound by its 2 threads (busy 100%; downloads waited 50% of their time for "
        "one): more would help");
}

TEST_CASE("explain: the link binds 10 bodies at once, the GIL binds CPU-heavy threads",
          "[model][explain]") {
  auto s = items(10, 1'000'000);
  s.network.bandwidth = 1'000'000;
  auto r = run_one(s, async(0)).result;
  REQUIRE(binding(r.explanation) == "link");
  CHECK(named(r.explanation, "link").busy == Approx(1.0));

  // 4 threads, 4 downloads of 20 ms CPU each under the GIL: 80 ms, the slot always busy, the
  // threads waiting for it 15+10+5+0... in turns (5 ms switch interval): 65, 70, 75, 80 ms.
  auto g = items(4, 0);
  g.client.cpu = Distribution::constant(0.020);
  g.client.cores = 4;
  g.client.thread_start = 0ms;  // every thread at t = 0
  r = run_one(g, pool(4)).result;
  REQUIRE(binding(r.explanation) == "CPU");
  const auto& cpu = named(r.explanation, "CPU");
  CHECK(cpu.capacity == "1 slot (the GIL)");
  CHECK(cpu.busy == Approx(1.0));
  // In the CPU phase 65+70+75+80 = 290 ms, running 80 ms: 210 of 290 ms spent waiting.
  CHECK(cpu.waiting == Approx(210.0 / 290.0));
  // Processes, a core each: the 4 cores are busy the whole 20 ms and nobody waits for one.
  g.client.process_start = 0ms;
  r = run_one(g, pool(4, model::Strategy::PoolKind::process)).result;
  REQUIRE(binding(r.explanation) == "CPU");
  CHECK(named(r.explanation, "CPU").capacity == "4 slots");
  CHECK(named(r.explanation, "CPU").waiting == Approx(0.0));
  CHECK(r.explanation.verdict ==
        "bound by the CPU (4 slots busy 100%): more concurrency will not help");
  // With 8 cores for the 4 processes, half the cores idle: each download's own CPU time binds.
  g.client.cores = 8;
  r = run_one(g, pool(4, model::Strategy::PoolKind::process)).result;
  CHECK(binding(r.explanation) == "none");
  CHECK_THAT(r.explanation.verdict, StartsWith("bound by the downloads' own time, nothing shared "
                                               "(the longest took 0.020 s"));
}

TEST_CASE("explain: a client pool of 2 connections binds 6 requests at once", "[model][explain]") {
  auto s = items(6, 0);
  s.server.service = Distribution::constant(1.0);
  s.client.keep_alive = true;
  s.client.max_connections = 2;
  const auto r = run_one(s, async(0)).result;
  REQUIRE(binding(r.explanation) == "client pool");
  CHECK(named(r.explanation, "client pool").capacity == "2 connections");
  CHECK(named(r.explanation, "client pool").waiting == Approx(0.5));
}

TEST_CASE("the totals by phase hold more than a Duration does", "[model][explain]") {
  model::TimeSum sum;
  const sim::Duration day = sim::from_seconds(86400.25);
  for (int i = 0; i < 1'000'000; ++i)
    sum.add(day);
  CHECK(sum.seconds == 86'400'250'000);
  CHECK(sum.nanoseconds == 0);
  CHECK(sum.in_seconds() == Approx(8.640025e10));
  model::TimeSum small;
  small.add(sim::Duration(999'999'999));
  small.add(sim::Duration(2));
  CHECK(small.seconds == 1);
  CHECK(small.nanoseconds == 1);
}
