// The clock seam: with a Clock, the run loop asks it to wait for the next event and
// accepts completions posted from outside at the time they happen.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/sim.hpp"

using namespace std::chrono_literals;
using sim::Process;
using sim::Simulation;
using sim::Time;

namespace {

// A scripted clock: time passes only inside wait_until; an outside completion (an Event
// triggered "by the network") is due at `outside_at`.
class FakeClock : public sim::Clock {
 public:
  Time reading{0};
  std::vector<Time> waits;
  Time outside_at = sim::kTimeMax;
  sim::Event<std::string>* outside = nullptr;

  Time now() const override { return reading; }
  bool outside_work_pending() const override { return outside != nullptr; }
  void wait_until(Simulation& s, Time t) override {
    waits.push_back(t);
    if (outside != nullptr && outside_at <= t) {
      reading = outside_at;
      s.advance_to(reading);
      std::exchange(outside, nullptr)->succeed("response");
      return;
    }
    reading = t;
  }
};

}  // namespace

TEST_CASE("a clock paces the run and outside completions wake processes", "[sim][clock]") {
  FakeClock clock;
  Simulation s(clock);
  sim::Event<std::string> response(s);
  clock.outside = &response;
  clock.outside_at = 1500ms;

  std::vector<std::string> log;
  auto fetcher = [&]() -> Process<> {
    std::string body = co_await response;
    log.push_back(body + "@" + std::to_string(s.now().count()));
  };
  auto sleeper = [&]() -> Process<> {
    co_await s.timeout(3s);
    log.push_back("slept@" + std::to_string(s.now().count()));
  };
  s.spawn(fetcher());
  s.spawn(sleeper());
  s.run();

  CHECK(log == std::vector<std::string>{"response@1500000000", "slept@3000000000"});
  // First wait asked for 3 s but was cut short by the response; then 3 s again.
  CHECK(clock.waits == std::vector<Time>{3s, 3s});
  CHECK(s.now() == 3s);
}

TEST_CASE("with outside work pending and no timed event, the loop waits for it", "[sim][clock]") {
  FakeClock clock;
  Simulation s(clock);
  sim::Event<std::string> response(s);
  clock.outside = &response;
  clock.outside_at = 250ms;
  Time seen{-1};
  auto fetcher = [&]() -> Process<> {
    co_await response;
    seen = s.now();
  };
  s.spawn(fetcher());
  s.run();
  CHECK(seen == 250ms);
  CHECK(clock.waits == std::vector<Time>{sim::kTimeMax});
}
