// Arrivals over time: downloads handed to the strategy at their arrival, not all at t = 0.
// Schedules computed by hand; Poisson arrivals checked statistically.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "model/summary.hpp"
#include "model_support.hpp"

using namespace model_test;
using model::Arrivals;
using model::Duration;
using model::Time;
using std::chrono::milliseconds;

namespace {

model::Scenario served(int n, Duration service) {
  model::Scenario s = items(n, 1000);
  s.server.service = model::Distribution::constant(sim::to_seconds(service));
  return s;
}

}  // namespace

TEST_CASE("constant arrivals: a fast enough worker never queues", "[arrivals]") {
  // 5 downloads, one every 100 ms, each served in 50 ms: each ends 50 ms after it arrives.
  model::Scenario s = served(5, milliseconds(50));
  s.workload.arrivals = {Arrivals::Kind::constant, 10};
  const auto r = run_one(s, pool(1)).result;
  for (const auto& o : r.downloads) {
    CHECK(o.submitted == milliseconds(100) * o.id);
    CHECK(o.start == o.submitted);
    CHECK(o.end == o.submitted + milliseconds(50));
  }
  CHECK(r.summary.makespan == milliseconds(450));  // from the first arrival (0) to 450 ms
  CHECK(r.summary.queue_time.p99 == Duration::zero());
  CHECK(r.summary.max_waiting == 0);
  CHECK(r.summary.lower_bound == milliseconds(450));  // the last arrival plus its 50 ms
}

TEST_CASE("constant arrivals: a slow worker falls behind and the queue grows", "[arrivals]") {
  // One every 100 ms, served in 150 ms by one worker: download i starts at 150 i ms and
  // waits 50 i ms; the last (i = 4) ends at 750 ms.
  model::Scenario s = served(5, milliseconds(150));
  s.workload.arrivals = {Arrivals::Kind::constant, 10};
  const auto r = run_one(s, pool(1)).result;
  for (const auto& o : r.downloads) {
    CHECK(o.start == milliseconds(150) * o.id);
    CHECK(o.start - o.submitted == milliseconds(50) * o.id);
  }
  CHECK(r.summary.makespan == milliseconds(750));
  CHECK(r.summary.queue_time.p50 == milliseconds(100));  // waits 0, 50, 100, 150, 200 ms
  CHECK(r.summary.queue_time.p99 == milliseconds(200));
  // At 400 ms downloads 1..4 have arrived and only 1 and 2 have started (at 150, 300 ms):
  // 3 and 4 wait. Before 400 ms at most one waits at once.
  CHECK(r.summary.max_waiting == 2);
  // Two workers keep up: 150 ms each, one arriving every 100 ms.
  const auto two = run_one(s, pool(2)).result;
  CHECK(two.summary.max_waiting == 0);
  CHECK(two.summary.makespan == milliseconds(550));
}

TEST_CASE("arrivals are measured from the first one", "[arrivals]") {
  model::Scenario s = served(3, milliseconds(10));
  s.workload.items[0].at = std::chrono::seconds(10);
  s.workload.items[1].at = std::chrono::seconds(10);
  s.workload.items[2].at = std::chrono::seconds(11);
  s.workload.arrivals.kind = Arrivals::Kind::listed;
  const auto r = run_one(s, model_test::async(8)).result;
  CHECK(r.summary.first_arrival == std::chrono::seconds(10));
  CHECK(r.summary.makespan == milliseconds(1010));
  CHECK(r.summary.first_result == milliseconds(10));
  CHECK(r.downloads[2].start == std::chrono::seconds(11));
}

TEST_CASE("Poisson arrivals: exponential gaps of the given rate, the same for every strategy",
          "[arrivals]") {
  model::Scenario s = served(4000, milliseconds(1));
  s.workload.arrivals = {Arrivals::Kind::poisson, 200};
  const auto jobs = model::make_jobs(s, 7);
  REQUIRE(jobs.front().arrival == Time{0});
  std::vector<double> gaps;
  for (std::size_t i = 1; i < jobs.size(); ++i)
    gaps.push_back(sim::to_seconds(jobs[i].arrival - jobs[i - 1].arrival));
  const double n = static_cast<double>(gaps.size());
  const double mean = std::accumulate(gaps.begin(), gaps.end(), 0.0) / n;
  double var = 0;
  for (double g : gaps)
    var += (g - mean) * (g - mean);
  var /= n - 1;
  // Mean 5 ms; its standard error is 5 ms / sqrt(n) (~0.08 ms): 4 standard errors.
  CHECK(std::abs(mean - 0.005) < 4 * 0.005 / std::sqrt(n));
  // An exponential's standard deviation equals its mean (a constant process would give 0).
  CHECK(std::abs(std::sqrt(var) / mean - 1) < 0.1);
  // Kolmogorov-Smirnov distance to the exponential CDF, under its 1% critical value.
  std::sort(gaps.begin(), gaps.end());
  double d = 0;
  for (std::size_t i = 0; i < gaps.size(); ++i) {
    const double cdf = 1 - std::exp(-gaps[i] / 0.005);
    d = std::max({d, std::abs(cdf - static_cast<double>(i) / n),
                  std::abs(cdf - static_cast<double>(i + 1) / n)});
  }
  CHECK(d < 1.63 / std::sqrt(n));
  // Every strategy meets the same traffic, and the same seed gives the same arrivals.
  const auto a = run_one(s, pool(2), 7).result;
  const auto b = run_one(s, model_test::async(50), 7).result;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    REQUIRE(a.downloads[i].submitted == jobs[i].arrival);
    REQUIRE(b.downloads[i].submitted == jobs[i].arrival);
  }
  CHECK(model::make_jobs(s, 8)[1].arrival != jobs[1].arrival);
}

TEST_CASE("a queued download's span runs from its arrival to its start", "[arrivals]") {
  model::Scenario s = served(3, milliseconds(150));
  s.workload.arrivals = {Arrivals::Kind::constant, 10};
  const auto r = run_one(s, pool(1)).result;
  const auto& o = r.downloads[2];  // arrives at 200 ms, starts at 300 ms
  const auto& first = r.spans[o.span_begin];
  CHECK(first.phase == model::Phase::queued);
  CHECK(first.start == milliseconds(200));
  CHECK(first.end == milliseconds(300));
  // Nothing is queued before it arrives: the first download has no queued span at all.
  CHECK(r.spans[r.downloads[0].span_begin].phase != model::Phase::queued);
}

TEST_CASE("the most waiting at once, from downloads in or out of time order", "[model][arrivals]") {
  // (arrival, start) in seconds, in id order.
  const auto most = [](std::vector<std::pair<double, double>> times) {
    std::vector<sim::Time> arrivals, starts;
    for (const auto& [arrival, start] : times) {
      arrivals.push_back(sim::Time{0} + sim::from_seconds(arrival));
      starts.push_back(sim::Time{0} + sim::from_seconds(start));
    }
    return model::max_waiting(arrivals, starts);
  };
  // In order, one that did not wait among them; at 3 s a start and an arrival: the start
  // first, so never 3 at once.
  CHECK(most({{0, 3}, {1, 4}, {2, 2}, {3, 5}}) == 2);
  // Starts out of order (the first started last): 0 +, 1 +, 2 -, 3 +, 4 -, 5 -.
  CHECK(most({{0, 5}, {1, 2}, {2, 2}, {3, 4}}) == 2);
  CHECK(most({{0, 5}, {1, 5}, {2, 5}, {3, 4}}) == 4);
  CHECK(most({{0, 0}, {1, 1}}) == 0);
  CHECK(most({}) == 0);
}
