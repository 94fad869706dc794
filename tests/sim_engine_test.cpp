// Engine internals the semantics tests do not reach: FIFO ties deep in a large heap,
// interrupts of timed waits in subroutines, self-interrupts, frames crossing threads.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sim/sim.hpp"

using namespace std::chrono_literals;
using sim::Process;
using sim::Simulation;

TEST_CASE("ties stay FIFO in a large heap", "[sim][engine]") {
  Simulation s;
  std::vector<std::pair<long, int>> woke;
  auto p = [&](int i, long ns) -> Process<> {
    co_await s.timeout(sim::Duration{ns});
    woke.emplace_back(s.now().count(), i);
  };
  std::vector<std::pair<long, int>> expected;
  for (int i = 0; i < 3000; ++i) {
    const long ns = (i * 7919L) % 17 + 1;  // many equal times, scheduled in spawn order
    s.spawn(p(i, ns));
    expected.emplace_back(ns, i);
  }
  s.run();
  std::stable_sort(expected.begin(), expected.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  CHECK(woke == expected);
}

TEST_CASE("an interrupt reaches a timed wait inside a subroutine", "[sim][engine]") {
  Simulation s;
  std::vector<std::string> log;
  auto inner = [&]() -> Process<int> {
    co_await s.timeout(10s);
    co_return 1;
  };
  auto outer = [&]() -> Process<> {
    try {
      co_await inner();
      log.push_back("slept");
    } catch (const sim::Interrupted& e) {
      log.push_back(e.cause() + "@" + std::to_string(s.now().count()));
    }
    co_await s.timeout(1s);
    log.push_back("after@" + std::to_string(s.now().count()));
  };
  auto a = s.spawn(outer());
  auto boss = [&]() -> Process<> {
    co_await s.timeout(3ns);
    s.interrupt(a, "stop");
  };
  s.spawn(boss());
  s.run();
  CHECK(log == std::vector<std::string>{"stop@3", "after@1000000003"});
}

TEST_CASE("a process that interrupts itself after a timeout is resumed once", "[sim][engine]") {
  Simulation s;
  Process<> self;
  int resumed = 0;
  std::string caught;
  auto p = [&]() -> Process<> {
    co_await s.timeout(1s);
    ++resumed;
    s.interrupt(self, "me");
    sim::Event<> never(s);
    try {
      co_await never;
    } catch (const sim::Interrupted& e) {
      caught = e.cause();
    }
    co_await s.timeout(1s);
    ++resumed;
  };
  self = s.spawn(p());
  s.run();
  CHECK(caught == "me");
  CHECK(resumed == 2);
  CHECK(s.now() == 2s);
}

TEST_CASE("frames made on one thread can finish on another", "[sim][engine]") {
  for (int round = 0; round < 3; ++round) {
    Simulation s;
    int done = 0;
    auto p = [&](int i) -> Process<> {
      co_await s.timeout(sim::Duration{i});
      ++done;
    };
    for (int i = 0; i < 1000; ++i)
      s.spawn(p(i));
    std::thread t([&] { s.run(); });
    t.join();
    CHECK(done == 1000);
  }
}
