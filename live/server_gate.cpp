// FIFO worker slots and the rate limit of the test server.
#include "live/server_gate.hpp"

#include <algorithm>
#include <cassert>

namespace live {

WorkerGate::WorkerGate(int workers) : workers_(workers) {
  assert(workers >= 0);
}

std::optional<WorkerGate::Slot> WorkerGate::enter() {
  std::unique_lock lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  turn_.wait(lock, [&] {
    return closed_ || workers_ == 0 || ticket < released_ + static_cast<std::uint64_t>(workers_);
  });
  if (closed_) return std::nullopt;
  ++in_service_;
  max_in_service_ = std::max(max_in_service_, in_service_);
  return std::optional<Slot>(std::in_place, *this);
}

void WorkerGate::leave() {
  {
    std::lock_guard lock(mutex_);
    ++released_;
    --in_service_;
  }
  turn_.notify_all();
}

void WorkerGate::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  turn_.notify_all();
}

int WorkerGate::in_service() const {
  std::lock_guard lock(mutex_);
  return in_service_;
}

int WorkerGate::max_in_service() const {
  std::lock_guard lock(mutex_);
  return max_in_service_;
}

RateGate::RateGate(double rate, int burst) {
  if (rate > 0) bucket_.emplace(rate, burst);
}

bool RateGate::admit() {
  if (!bucket_) return true;
  std::lock_guard lock(mutex_);
  return bucket_->take(std::chrono::steady_clock::now() - born_);
}

}  // namespace live
