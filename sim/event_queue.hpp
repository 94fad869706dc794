// The scheduler's queue: a 4-ary min-heap of (time, sequence, coroutine) for future events
// plus a FIFO ring for events due now. Plain 24-byte entries, no allocation once grown.
#pragma once

#include <coroutine>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "sim/time.hpp"

namespace sim {

struct QueueEntry {
  std::int64_t time;  // nanoseconds
  std::uint64_t seq;  // scheduling order: ties at equal times run FIFO
  void* handle;       // std::coroutine_handle<>::address()

  std::coroutine_handle<> coroutine() const {
    return std::coroutine_handle<>::from_address(handle);
  }
};

// Min-heap on (time, seq) with four children per node: shallower than a binary heap,
// and the four children of a node share one or two cache lines.
class TimedQueue {
 public:
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const QueueEntry& top() const { return items_.front(); }

  void push(const QueueEntry& e) {
    std::size_t i = items_.size();
    items_.push_back(e);
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!less(e, items_[parent])) break;
      items_[i] = items_[parent];
      i = parent;
    }
    items_[i] = e;
  }

  QueueEntry pop() {
    const QueueEntry top = items_.front();
    const QueueEntry last = items_.back();
    items_.pop_back();
    if (!items_.empty()) sift_down(0, last);
    return top;
  }

  // Removes the entry holding `handle`, if any. O(n): only interrupts of timed waits use it.
  bool remove(void* handle) {
    for (std::size_t i = 0; i < items_.size(); ++i) {
      if (items_[i].handle != handle) continue;
      const QueueEntry last = items_.back();
      items_.pop_back();
      if (i < items_.size()) {
        sift_down(i, last);
        sift_up(i);
      }
      return true;
    }
    return false;
  }

  void reserve(std::size_t n) { items_.reserve(n); }

 private:
  static bool less(const QueueEntry& a, const QueueEntry& b) {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }

  void sift_down(std::size_t i, const QueueEntry& e) {
    const std::size_t n = items_.size();
    for (;;) {
      const std::size_t first = 4 * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t end = first + 4 < n ? first + 4 : n;
      for (std::size_t c = first + 1; c < end; ++c) {
        if (less(items_[c], items_[best])) best = c;
      }
      if (!less(items_[best], e)) break;
      items_[i] = items_[best];
      i = best;
    }
    items_[i] = e;
  }

  void sift_up(std::size_t i) {
    const QueueEntry e = items_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!less(e, items_[parent])) break;
      items_[i] = items_[parent];
      i = parent;
    }
    items_[i] = e;
  }

  std::vector<QueueEntry> items_;
};

// FIFO ring of coroutines due at the current time.
class ReadyRing {
 public:
  bool empty() const { return head_ == tail_; }
  std::size_t size() const { return tail_ - head_; }

  void push(void* handle) {
    if (tail_ - head_ == slots_.size()) grow();
    slots_[tail_++ & mask_] = handle;
  }
  void* pop() { return slots_[head_++ & mask_]; }

  bool remove(void* handle) {
    for (std::size_t i = head_; i != tail_; ++i) {
      if (slots_[i & mask_] != handle) continue;
      for (std::size_t j = i; j + 1 != tail_; ++j)
        slots_[j & mask_] = slots_[(j + 1) & mask_];
      --tail_;
      return true;
    }
    return false;
  }

 private:
  void grow() {
    std::vector<void*> bigger(slots_.empty() ? 64 : slots_.size() * 2);
    const std::size_t n = tail_ - head_;
    for (std::size_t i = 0; i < n; ++i)
      bigger[i] = slots_[(head_ + i) & mask_];
    slots_ = std::move(bigger);
    mask_ = slots_.size() - 1;
    head_ = 0;
    tail_ = n;
  }

  std::vector<void*> slots_;
  std::size_t mask_ = 0;
  std::size_t head_ = 0;
  std::size_t tail_ = 0;
};

}  // namespace sim
