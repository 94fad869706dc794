// The scheduler's queue: a 4-ary min-heap of (time, sequence, coroutine) for future events
// plus a FIFO ring for events due now. Plain 24-byte entries, no allocation once grown.
#pragma once

#include <coroutine>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

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

namespace detail {
// Storage for trivially copyable entries, grown with realloc: large blocks are moved by
// mremap, without a copy and without leaving the old block behind in malloc's free lists.
template <class T>
T* grow_storage(T* old, std::size_t capacity) {
  void* p = std::realloc(old, capacity * sizeof(T));
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<T*>(p);
}
}  // namespace detail

// Min-heap on (time, seq) with four children per node: shallower than a binary heap,
// and the four children of a node share one or two cache lines. The smallest child is
// picked with a 128-bit compare and conditional moves: the order of random times is
// unpredictable, so branches there would mispredict about once per level.
//
// The run loop does not pop the entry it resumes at once: it holds it (hold_top) while the
// process runs. If the process schedules its next wake-up, as most do, push() replaces the
// held top and sifts down once, instead of a pop (sift down) followed by a push (sift up).
class TimedQueue {
 public:
  TimedQueue() = default;
  TimedQueue(const TimedQueue&) = delete;
  TimedQueue& operator=(const TimedQueue&) = delete;
  ~TimedQueue() { std::free(items_); }

  bool empty() const { return size_ == held_; }
  std::size_t size() const { return size_ - held_; }
  const QueueEntry& top() {
    settle();
    return items_[0];
  }

  void push(const QueueEntry& e) {
    if (held_ != 0) {  // replace the entry being resumed
      held_ = 0;
      sift_down(0, e);
      return;
    }
    if (size_ == capacity_) grow();
    std::size_t i = size_++;
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!less(e, items_[parent])) break;
      items_[i] = items_[parent];
      i = parent;
    }
    items_[i] = e;
  }

  QueueEntry pop() {
    settle();
    const QueueEntry top = items_[0];
    drop_top();
    return top;
  }

  // The top stays in place, counted as gone, until push() replaces it or release_top().
  void hold_top() { held_ = 1; }
  void release_top() { settle(); }

  // Removes the entry holding `handle`, if any. O(n): only interrupts of timed waits use it.
  bool remove(void* handle) {
    settle();
    for (std::size_t i = 0; i < size_; ++i) {
      if (items_[i].handle != handle) continue;
      const QueueEntry last = items_[--size_];
      if (i < size_) {
        sift_down(i, last);
        sift_up(i);
      }
      return true;
    }
    return false;
  }

  void reserve(std::size_t n) {
    if (n > capacity_) {
      items_ = detail::grow_storage(items_, n);
      capacity_ = n;
    }
  }

 private:
  __extension__ typedef unsigned __int128 Key;

  // (time, seq) as one unsigned 128-bit number; the sign bit of time is flipped so that
  // unsigned order is signed order.
  static Key key(const QueueEntry& e) {
    const std::uint64_t t = static_cast<std::uint64_t>(e.time) ^ (std::uint64_t{1} << 63);
    return (static_cast<Key>(t) << 64) | e.seq;
  }
  static bool less(const QueueEntry& a, const QueueEntry& b) { return key(a) < key(b); }

  void settle() {
    if (held_ != 0) {
      held_ = 0;
      drop_top();
    }
  }
  void drop_top() {
    const QueueEntry last = items_[--size_];
    if (size_ != 0) sift_down(0, last);
  }

  void grow() { reserve(capacity_ == 0 ? 256 : capacity_ * 2); }

  void sift_down(std::size_t i, const QueueEntry& e) {
    QueueEntry* const a = items_;
    const std::size_t n = size_;
    const Key ke = key(e);
    for (;;) {
      const std::size_t first = 4 * i + 1;
      std::size_t best = first;
      Key kb;
      if (first + 4 <= n) {
        // Times decide (64-bit compares, conditional moves); equal times among the
        // children are rare and take the full (time, seq) comparison.
        std::int64_t tb = a[first].time;
        bool tie = false;
        for (std::size_t c = first + 1; c < first + 4; ++c) {
          const std::int64_t tc = a[c].time;
          tie |= tc == tb;
          const bool lt = tc < tb;
          best = lt ? c : best;
          tb = lt ? tc : tb;
        }
        if (tie) [[unlikely]] {
          best = first;
          kb = key(a[first]);
          for (std::size_t c = first + 1; c < first + 4; ++c) {
            const Key kc = key(a[c]);
            if (kc < kb) best = c, kb = kc;
          }
        } else {
          kb = key(a[best]);
        }
      } else {
        if (first >= n) break;
        kb = key(a[first]);
        for (std::size_t c = first + 1; c < n; ++c) {
          const Key kc = key(a[c]);
          if (kc < kb) best = c, kb = kc;
        }
      }
      if (!(kb < ke)) break;
      a[i] = a[best];
      i = best;
    }
    a[i] = e;
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

  QueueEntry* items_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  std::size_t held_ = 0;  // 1 while the top entry is being resumed (see hold_top)
};

// FIFO ring of coroutines due at the current time. It grows by doubling and gives a large
// buffer back once it drains: a burst (a million processes spawned at once) must not pin
// its peak for the rest of the run.
class ReadyRing {
 public:
  ReadyRing() = default;
  ReadyRing(const ReadyRing&) = delete;
  ReadyRing& operator=(const ReadyRing&) = delete;
  ~ReadyRing() { std::free(slots_); }

  bool empty() const { return head_ == tail_; }
  std::size_t size() const { return tail_ - head_; }

  void push(void* handle) {
    if (tail_ - head_ == capacity_) grow();
    slots_[tail_++ & mask_] = handle;
  }
  void* pop() {
    void* h = slots_[head_++ & mask_];
    if (head_ == tail_ && capacity_ > kKeptSlots) [[unlikely]]
      shrink();
    return h;
  }

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
  static constexpr std::size_t kKeptSlots = 4096;  // 32 KiB stay allocated when drained

  void grow() {
    const std::size_t n = tail_ - head_;
    const std::size_t bigger = capacity_ == 0 ? 64 : capacity_ * 2;
    slots_ = detail::grow_storage(slots_, bigger);
    // Unwrap: the slots before head (mod capacity) move after the old end.
    const std::size_t h = capacity_ == 0 ? 0 : head_ & mask_;
    if (h + n > capacity_)
      std::memcpy(slots_ + capacity_, slots_, (h + n - capacity_) * sizeof(void*));
    capacity_ = bigger;
    mask_ = bigger - 1;
    head_ = h;
    tail_ = h + n;
  }
  void shrink() {
    std::free(slots_);
    slots_ = nullptr;
    capacity_ = mask_ = head_ = tail_ = 0;
  }

  void** slots_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t mask_ = 0;
  std::size_t head_ = 0;
  std::size_t tail_ = 0;
};

}  // namespace sim
