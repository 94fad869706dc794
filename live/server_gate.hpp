// The test server's gates: its workers (at most N requests in service at once, the rest wait in
// arrival (FIFO) order, as the model's server queue does; counts the most ever in service) and
// its rate limit (the model's token bucket on the steady clock).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <utility>

#include "model/token_bucket.hpp"

namespace live {

class WorkerGate {
 public:
  explicit WorkerGate(int workers);  // 0 = unlimited
  WorkerGate(const WorkerGate&) = delete;
  WorkerGate& operator=(const WorkerGate&) = delete;

  // A held worker; frees it when destroyed.
  class Slot {
   public:
    explicit Slot(WorkerGate& gate) : gate_(&gate) {}
    Slot(Slot&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)) {}
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (gate_) gate_->leave();
    }

   private:
    WorkerGate* gate_;
  };

  // Waits for a worker in arrival order; nullopt when the gate was closed meanwhile.
  std::optional<Slot> enter();
  void close();  // wakes and refuses every waiter, now and later

  int in_service() const;
  int max_in_service() const;

 private:
  void leave();

  const int workers_;
  mutable std::mutex mutex_;
  std::condition_variable turn_;
  std::uint64_t next_ticket_ = 0;
  std::uint64_t released_ = 0;
  int in_service_ = 0;
  int max_in_service_ = 0;
  bool closed_ = false;
};

// Admits requests by a token bucket; rate 0 admits all.
class RateGate {
 public:
  RateGate(double rate, int burst);
  // Takes a token for a request arriving now; false when there was none.
  bool admit();

 private:
  std::mutex mutex_;
  std::optional<model::TokenBucket> bucket_;
  const std::chrono::steady_clock::time_point born_ = std::chrono::steady_clock::now();
};

}  // namespace live
