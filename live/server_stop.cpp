// Interruptible sleeps for the test server.
#include "live/server_stop.hpp"

namespace live {

void StopSignal::request() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
}

bool StopSignal::requested() const {
  std::lock_guard lock(mutex_);
  return stop_;
}

bool StopSignal::sleep_until(Clock::time_point deadline) const {
  std::unique_lock lock(mutex_);
  return !wake_.wait_until(lock, deadline, [this] { return stop_; });
}

}  // namespace live
