// The wall clock behind live mode and --realtime: it paces timed events on real time (scaled
// by a factor), wakes for outside work at the moment it happens, and can fast-forward.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "live/wall_clock.hpp"
#include "sim/sim.hpp"

using namespace std::chrono_literals;
using live::WallClock;
using sim::Process;
using sim::Simulation;
using Steady = std::chrono::steady_clock;

namespace {

// Posts one completion (triggers `event`) once the wall clock passes `at`.
class OneShot : public live::OutsideWork {
 public:
  OneShot(WallClock& clock, sim::Event<>& event, live::WallTime at)
      : clock_(&clock), event_(&event), at_(at) {}
  bool pending() const override { return !done_; }
  bool drive(Simulation& s, live::WallTime deadline) override {
    ++drives;
    std::this_thread::sleep_until(std::min(deadline, at_));
    if (done_ || Steady::now() < at_) return false;
    done_ = true;
    s.advance_to(clock_->now());
    event_->succeed();
    return true;
  }
  int drives = 0;

 private:
  WallClock* clock_;
  sim::Event<>* event_;
  live::WallTime at_;
  bool done_ = false;
};

}  // namespace

TEST_CASE("live clock: timed events wait for the wall clock, in order") {
  WallClock clock;
  Simulation s(clock);
  std::vector<std::string> log;
  auto sleeper = [&](std::string name, sim::Duration d) -> Process<> {
    co_await s.timeout(d);
    log.push_back(name);
    CHECK(clock.now() >= d);  // never early
  };
  const auto start = Steady::now();
  clock.restart();  // time zero no earlier than `start`
  s.spawn(sleeper("late", 60ms));
  s.spawn(sleeper("early", 20ms));
  s.run();
  CHECK(log == std::vector<std::string>{"early", "late"});
  CHECK(s.now() == 60ms);
  CHECK(Steady::now() - start >= 60ms);
}

TEST_CASE("live clock: a factor scales wall seconds per run second") {
  WallClock clock(0.1);  // ten times faster than real time
  Simulation s(clock);
  auto sleeper = [&]() -> Process<> { co_await s.timeout(500ms); };
  const auto start = Steady::now();
  clock.restart();
  s.spawn(sleeper());
  s.run();
  CHECK(s.now() == 500ms);
  CHECK(Steady::now() - start >= 50ms);
  CHECK(clock.now() >= 500ms);
  CHECK_THROWS_AS(WallClock(0), std::invalid_argument);
  CHECK_THROWS_AS(WallClock(-1), std::invalid_argument);
}

TEST_CASE("live clock: outside work wakes a process at the real moment, before a timer") {
  WallClock clock;
  Simulation s(clock);
  sim::Event<> response(s);
  OneShot outside(clock, response, Steady::now() + 40ms);
  clock.set_outside_work(&outside);
  sim::Time seen{-1};
  auto fetcher = [&]() -> Process<> {
    co_await response;
    seen = s.now();
  };
  auto sleeper = [&]() -> Process<> { co_await s.timeout(2s); };
  s.spawn(fetcher());
  auto slow = s.spawn(sleeper());
  // Run until the response arrived: it comes at ~40 ms, long before the 2 s timer.
  while (seen < sim::Time{0} && s.step()) {
  }
  CHECK(seen >= 40ms);
  CHECK(seen < 2s);
  CHECK(outside.drives >= 1);
  clock.fast_forward();  // the 2 s timer need not be waited for
  s.run();
  CHECK(slow.finished());
  CHECK(s.now() == 2s);
  clock.set_outside_work(nullptr);
}

TEST_CASE("live clock: fast-forward jumps over waits") {
  WallClock clock;
  Simulation s(clock);
  clock.fast_forward();
  auto sleeper = [&]() -> Process<> { co_await s.timeout(1h); };
  const auto start = Steady::now();
  s.spawn(sleeper());
  s.run();
  CHECK(s.now() == 1h);
  CHECK(clock.now() >= 1h);
  CHECK(Steady::now() - start < 1h);
}
