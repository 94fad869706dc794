// The simulation's horizon (sim/time.hpp): extreme but accepted values end in a clear
// HorizonError naming the download and its phase, never in a hang or a wrapped clock, and
// drawn values stay within the limits written ones have.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include "model/distribution.hpp"
#include "model_support.hpp"
#include "sim/sim.hpp"

using Catch::Matchers::Contains;
using model_test::items;
using model_test::run_one;
using model_test::sequential;

namespace {

constexpr std::int64_t kTiB = 1099511627776;

}  // namespace

TEST_CASE("horizon: saturating time arithmetic stops at kTimeMax", "[model][horizon]") {
  using sim::Duration;
  CHECK(sim::add_saturating(sim::kTimeMax - Duration{5}, Duration{10}) == sim::kTimeMax);
  CHECK(sim::add_saturating(sim::Time{7}, Duration{10}) == sim::Time{17});
  CHECK(sim::scale_saturating(Duration{std::int64_t{1} << 62}, 3) == sim::kTimeMax);
  CHECK(sim::scale_saturating(Duration{5}, 3) == Duration{15});
  CHECK(sim::from_seconds(1e300) == sim::kTimeMax);
  CHECK(sim::from_seconds(-1e300) == -sim::kTimeMax);
  CHECK(sim::from_seconds(std::numeric_limits<double>::quiet_NaN()) == Duration::zero());
  CHECK(sim::from_seconds(1.5) == Duration{1'500'000'000});
}

TEST_CASE("horizon: a 1 TiB item at 1 bit/s is refused, naming the download and phase",
          "[model][horizon]") {
  model::Scenario s = items(1, kTiB);
  s.workload.items[0].name = "huge";
  SECTION("per-connection cap") {
    s.network.per_connection = 0.125;
  }
  SECTION("link bandwidth") {
    s.network.bandwidth = 0.125;
  }
  SECTION("a cap of 1e-300 bit/s") {
    s.network.per_connection = 1e-300 / 8;
  }
  try {
    run_one(s, sequential());
    FAIL("the run finished");
  } catch (const sim::HorizonError& e) {
    CHECK_THAT(e.what(), Contains("download 'huge'"));
    CHECK_THAT(e.what(), Contains("transfer"));
    CHECK_THAT(e.what(), Contains("horizon"));
  }
}

TEST_CASE("horizon: transfers that fit alone but not when sharing the link are refused",
          "[model][horizon]") {
  // Each alone takes 0.6 of the horizon; two sharing the link take 1.2 of it.
  model::Scenario s = items(2, kTiB * 6 / 10);
  s.network.bandwidth = static_cast<double>(kTiB * 6 / 10) / (0.6 * sim::kHorizonSeconds);
  CHECK_THROWS_WITH(run_one(s, model_test::async(2)),
                    Contains("sharing the link") && Contains("horizon"));
  // One at a time, each fits, but the second would end past the horizon.
  CHECK_THROWS_WITH(run_one(s, sequential()), Contains("download 'item1'") && Contains("transfer"));
}

TEST_CASE("horizon: 100 sleeps of 1e8 s in one lane are refused at the one that would pass it",
          "[model][horizon]") {
  model::Scenario s;
  s.name = "sleeps";
  s.workload.kind = model::Workload::Kind::sleeps;
  s.workload.sleeps.assign(100, std::chrono::seconds(100'000'000));
  // 92 sleeps of 1e8 s end at 9.2e9 s; the 93rd would end past 9.22e9 s.
  CHECK_THROWS_WITH(run_one(s, sequential()),
                    Contains("download 'loiter(92)'") && Contains("sleep") && Contains("horizon"));
  // Spread over 100 lanes, the same sleeps fit.
  const auto r = run_one(s, model_test::pool(100)).result;
  CHECK(model_test::seconds(r.summary.makespan) == Approx(1e8));
}

TEST_CASE("horizon: 101 attempts with a 1e8 s timeout are refused at the deadline past it",
          "[model][horizon]") {
  model::Scenario s = items(1, 1000);
  s.server.stall_rate = 1;
  s.client.timeout = std::chrono::seconds(100'000'000);
  s.client.retries = 100;
  s.client.backoff = sim::Duration::zero();
  s.client.backoff_max = sim::Duration::zero();
  CHECK_THROWS_WITH(run_one(s, sequential()),
                    Contains("download 'item0' (attempt 93") && Contains("horizon"));
}

TEST_CASE("horizon: lane start costs that add up past the horizon are refused",
          "[model][horizon]") {
  model::Scenario s = items(200, 1000);
  s.client.thread_start = std::chrono::seconds(100'000'000);
  CHECK_THROWS_WITH(run_one(s, model_test::pool(200)), Contains("horizon"));
}

TEST_CASE("horizon: drawn durations and sizes are clamped to the written limits",
          "[model][horizon][distribution]") {
  model::Rng rng(5);
  const auto heavy = model::Distribution::lognormal(1e8, 5);
  int clamped = 0;
  for (int i = 0; i < 10'000; ++i) {
    const double x = heavy.sample_within(rng, model::kMaxDrawnSeconds);
    REQUIRE(x <= model::kMaxDrawnSeconds);
    REQUIRE(x >= 0);
    clamped += x == model::kMaxDrawnSeconds;
  }
  CHECK(clamped > 1000);  // about half of the draws are above the median

  model::Scenario s;
  s.name = "sizes";
  s.workload.kind = model::Workload::Kind::generated;
  s.workload.count = 2000;
  s.workload.size = model::Distribution::lognormal(1e12, 5);
  std::int64_t largest = 0;
  for (const model::Job& j : model::make_jobs(s, 3))
    largest = std::max(largest, j.bytes);
  CHECK(largest == kTiB);

  // A service time with such a tail still gives an exact, finite run.
  model::Scenario served = items(20, 1000);
  served.server.service = heavy;
  const auto r = run_one(served, model_test::pool(20)).result;
  CHECK(model_test::seconds(r.summary.makespan) <= model::kMaxDrawnSeconds + 1);
  CHECK(model_test::seconds(r.summary.makespan) > 0);
}
