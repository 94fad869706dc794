// The book's Executor.map demo on the engine: three pooled workers run loiter(n) for
// n = 0..4; a consumer takes results in submission order, or as they complete.
#include <catch2/catch.hpp>

#include <optional>
#include <vector>

#include "sim/sim.hpp"

using namespace std::chrono_literals;
using sim::Duration;
using sim::Process;
using sim::Simulation;
using sim::Time;

namespace {

struct Record {
  Time start{-1};
  Time end{-1};
  Time seen{-1};
  int result = -1;
};

struct Demo {
  Simulation sim;
  sim::Resource workers{sim, 3};
  std::vector<Record> records = std::vector<Record>(5);
  std::vector<int> completion_order;
  std::vector<Time> seen_times;
};

// loiter(n): sleep n seconds on a pooled worker, return n * 10.
Process<int> loiter(Demo& d, int n) {
  auto slot = co_await d.workers.acquire();
  d.records[n].start = d.sim.now();
  co_await d.sim.timeout(std::chrono::seconds(n));
  d.records[n].end = d.sim.now();
  d.completion_order.push_back(n);
  co_return n * 10;
}

Process<> consume_in_order(Demo& d, std::vector<Process<int>> futures) {
  for (std::size_t i = 0; i < futures.size(); ++i) {
    const int r = co_await futures[i];
    d.records[i].seen = d.sim.now();
    d.records[i].result = r;
  }
}

Process<> consume_as_completed(Demo& d, std::vector<Process<int>> futures) {
  std::vector<Process<int>> pending = futures;
  while (!pending.empty()) {
    const std::size_t i = co_await sim::any_of(pending);
    const int r = pending[i].result();
    d.records[r / 10].seen = d.sim.now();
    d.seen_times.push_back(d.sim.now());
    pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

std::vector<double> secs(const std::vector<Record>& rs, Time Record::*field) {
  std::vector<double> out;
  for (const auto& r : rs)
    out.push_back(sim::to_seconds(r.*field));
  return out;
}

}  // namespace

TEST_CASE("Executor.map: results arrive in submission order", "[sim][book]") {
  Demo d;
  std::vector<Process<int>> futures;
  for (int n = 0; n < 5; ++n)
    futures.push_back(d.sim.spawn(loiter(d, n)));
  d.sim.spawn(consume_in_order(d, futures), "consumer");
  d.sim.run();

  CHECK(secs(d.records, &Record::start) == std::vector<double>{0, 0, 0, 0, 1});
  CHECK(secs(d.records, &Record::end) == std::vector<double>{0, 1, 2, 3, 5});
  CHECK(secs(d.records, &Record::seen) == std::vector<double>{0, 1, 2, 3, 5});
  std::vector<int> results;
  for (const auto& r : d.records)
    results.push_back(r.result);
  CHECK(results == std::vector<int>{0, 10, 20, 30, 40});
  CHECK(d.sim.now() == 5s);
}

TEST_CASE("as_completed: results seen as they finish", "[sim][book]") {
  Demo d;
  std::vector<Process<int>> futures;
  for (int n = 0; n < 5; ++n)
    futures.push_back(d.sim.spawn(loiter(d, n)));
  d.sim.spawn(consume_as_completed(d, futures));
  d.sim.run();

  CHECK(d.completion_order == std::vector<int>{0, 1, 2, 3, 4});
  std::vector<double> seen;
  for (Time t : d.seen_times)
    seen.push_back(sim::to_seconds(t));
  CHECK(seen == std::vector<double>{0, 1, 2, 3, 5});
}
