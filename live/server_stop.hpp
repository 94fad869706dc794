// The test server's stop signal: sleeps that end early when the server stops, so stalls,
// service delays and paced bodies never hold up stop().
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace live {

class StopSignal {
 public:
  using Clock = std::chrono::steady_clock;

  void request();  // wakes every sleeper; later sleeps return at once
  bool requested() const;
  // Sleeps until `deadline`; false when woken by a stop request (true when the time came).
  bool sleep_until(Clock::time_point deadline) const;
  bool sleep_for(Clock::duration d) const { return sleep_until(Clock::now() + d); }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable wake_;
  bool stop_ = false;
};

}  // namespace live
