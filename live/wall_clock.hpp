// The engine's clock seam on the wall clock: run time is real time since the run started
// (divided by a pace factor), waits are Boost.Asio steady_timer waits, and outside work
// (the libcurl transport) is driven while waiting so its completions wake processes at the
// real moment they happen. Asio is used for timers only.
#pragma once

#include <chrono>
#include <memory>

#include "sim/simulation.hpp"

namespace live {

using WallTime = std::chrono::steady_clock::time_point;

// Work outside the simulation that posts completions into it (triggers sim::Events).
class OutsideWork {
 public:
  virtual ~OutsideWork() = default;
  // True while completions may still be posted (e.g. transfers in flight).
  virtual bool pending() const = 0;
  // Runs the outside work for at most until `deadline` (WallTime::max(): no limit of ours);
  // returns true as soon as it posted completions, false when the deadline passed or it
  // returned for another reason (the caller loops).
  virtual bool drive(sim::Simulation& sim, WallTime deadline) = 0;
};

class WallClock : public sim::Clock {
 public:
  // `factor` wall seconds per run second: 1 is real time, 2 runs twice as slow, 0.5 twice
  // as fast. Time zero is the moment of construction (see restart()).
  explicit WallClock(double factor = 1.0);
  ~WallClock() override;
  WallClock(const WallClock&) = delete;
  WallClock& operator=(const WallClock&) = delete;

  sim::Time now() const override;
  void wait_until(sim::Simulation& sim, sim::Time t) override;
  bool outside_work_pending() const override;

  // The outside work driven while waiting (nullptr: none); it must outlive its use here.
  void set_outside_work(OutsideWork* work) { outside_ = work; }
  // Makes time zero now.
  void restart();
  // From now on, waits do not wait: time jumps to each deadline (used after an interrupted
  // run's grace period, so what is left of it ends at once). Not undone by restart().
  void fast_forward() { fast_forward_ = true; }
  bool fast_forwarding() const { return fast_forward_; }

  // The wall moment of run time `t` (WallTime::max() for sim::kTimeMax).
  WallTime wall_time_of(sim::Time t) const;
  double factor() const { return factor_; }

 private:
  double factor_;
  WallTime start_;
  sim::Duration skipped_{0};  // run time jumped over while fast-forwarding
  bool fast_forward_ = false;
  OutsideWork* outside_ = nullptr;
  struct Timer;  // Boost.Asio, kept to wall_clock.cpp
  std::unique_ptr<Timer> timer_;
};

}  // namespace live
