// Client CPU on every attempt (cpu_before, cpu, cpu_on, cpu_per_byte, startup) and the GIL
// handed over every switch interval, with hand-computed times.
#include <algorithm>
#include <vector>

#include <catch2/catch.hpp>

#include "model_support.hpp"

using namespace model_test;
using model::Distribution;

namespace {

std::vector<double> ends(const model::StrategyResult& r) {
  std::vector<double> e;
  for (const auto& o : r.downloads)
    e.push_back(seconds(o.end));
  std::sort(e.begin(), e.end());
  return e;
}

double last_end(const model::StrategyResult& r) {
  return ends(r).back();
}

}  // namespace

TEST_CASE("GIL: 4 threads needing 20 ms of CPU at once share it in 5 ms turns", "[model][cpu]") {
  auto s = items(4, 0);
  s.client.cpu = Distribution::constant(0.020);
  const auto r = run_one(s, pool(4)).result;
  const auto e = ends(r);
  REQUIRE(e.size() == 4);
  CHECK(e[0] == Approx(0.065));
  CHECK(e[1] == Approx(0.070));
  CHECK(e[2] == Approx(0.075));
  CHECK(e[3] == Approx(0.080));
  // The cpu span of the first thread runs from its first turn to its last.
  const auto& first = r.spans[r.downloads[0].span_begin];
  CHECK(first.phase == model::Phase::cpu);
  CHECK(seconds(first.start) == Approx(0.0));
  CHECK(seconds(first.end) == Approx(0.065));
}

TEST_CASE("GIL: the switch interval sets the turns", "[model][cpu]") {
  auto s = items(2, 0);
  s.client.cpu = Distribution::constant(0.020);
  s.client.switch_interval = std::chrono::milliseconds(10);
  const auto e = ends(run_one(s, pool(2)).result);
  CHECK(e[0] == Approx(0.030));  // A 0-10, B 10-20, A 20-30
  CHECK(e[1] == Approx(0.040));
}

TEST_CASE("An event loop runs each callback's CPU to completion", "[model][cpu]") {
  auto s = items(4, 0);
  s.client.cpu = Distribution::constant(0.020);
  const auto e = ends(run_one(s, async(4)).result);
  CHECK(e[0] == Approx(0.020));
  CHECK(e[1] == Approx(0.040));
  CHECK(e[2] == Approx(0.060));
  CHECK(e[3] == Approx(0.080));
}

TEST_CASE("gil = false: 8 threads run their CPU at once on 8 cores", "[model][cpu]") {
  auto s = items(8, 0);
  s.client.cpu = Distribution::constant(0.020);
  s.client.cores = 8;
  s.client.gil = false;
  for (double e : ends(run_one(s, pool(8)).result))
    CHECK(e == Approx(0.020));
  s.client.gil = true;
  CHECK(last_end(run_one(s, pool(8)).result) == Approx(0.160));
}

TEST_CASE("cpu is paid for every answer, a 404 included, unless cpu_on = ok", "[model][cpu]") {
  auto s = items(3, 0);
  s.server.missing = {"item1"};
  s.client.cpu = Distribution::constant(0.010);
  CHECK(last_end(run_one(s, sequential()).result) == Approx(0.030));
  s.client.cpu_on = model::Client::CpuOn::ok;
  CHECK(last_end(run_one(s, sequential()).result) == Approx(0.020));
}

TEST_CASE("cpu_before is paid on every attempt, cpu on every 503 answer", "[model][cpu]") {
  auto s = items(1, 0);
  s.server.errors = {{503, 1.0}};
  s.client.retries = 2;
  s.client.backoff = sim::Duration::zero();
  s.client.backoff_max = sim::Duration::zero();
  s.client.cpu_before = Distribution::constant(0.010);
  s.client.cpu = Distribution::constant(0.005);
  const auto r = run_one(s, sequential()).result;
  CHECK(r.downloads[0].attempts == 3);
  CHECK(last_end(r) == Approx(3 * (0.010 + 0.005)));
  s.client.cpu_on = model::Client::CpuOn::ok;
  CHECK(last_end(run_one(s, sequential()).result) == Approx(3 * 0.010));
}

TEST_CASE("A timed-out attempt pays cpu_before but no cpu: there is no answer", "[model][cpu]") {
  auto s = items(1, 0);
  s.server.stall_rate = 1.0;
  s.client.timeout = std::chrono::milliseconds(100);
  s.client.cpu_before = Distribution::constant(0.010);
  s.client.cpu = Distribution::constant(0.050);
  const auto r = run_one(s, sequential()).result;
  CHECK(r.downloads[0].status == model::Status::timeout);
  CHECK(last_end(r) == Approx(0.110));
}

TEST_CASE("cpu_per_byte charges the body's bytes with cpu", "[model][cpu]") {
  auto s = items(2, 1'000'000);
  s.client.cpu = Distribution::constant(0.001);
  s.client.cpu_per_byte = 2e-9;  // 2 ms a MB
  CHECK(last_end(run_one(s, sequential()).result) == Approx(2 * (0.001 + 0.002)));
}

TEST_CASE("startup is paid once per run, before the first request", "[model][cpu]") {
  auto s = items(4, 0);
  s.client.startup = std::chrono::milliseconds(300);
  s.client.cpu = Distribution::constant(0.010);
  const auto r = run_one(s, sequential()).result;
  CHECK(last_end(r) == Approx(0.300 + 4 * 0.010));
  // The first download waited for it, queued.
  const auto& first = r.spans[r.downloads[0].span_begin];
  CHECK(first.phase == model::Phase::queued);
  CHECK(seconds(first.end) == Approx(0.300));
  CHECK(last_end(run_one(s, pool(4)).result) == Approx(0.300 + 0.040));
}
