// The scheduler's queue: a 4-ary min-heap of (time, sequence, coroutine) for future events
// plus a FIFO ring for events due now. 24 bytes an entry, no allocation once grown.
#pragma once

#include <algorithm>
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

// Min-heap on (time, seq) with four children per node, its keys apart from its payload:
// the times sit in their own array, laid out so that a node's four children share one
// aligned 32-byte block, and (seq, handle) pairs in a parallel array, read only when an
// entry moves or on a tie. A level of a sift loads one block and picks its least time with
// a two-round tournament of compares and conditional moves (the order of random times is
// unpredictable, so branches there would mispredict about once per level); seq decides only
// between equal times, which are rare and take a branch.
//
// The run loop does not pop the entry it resumes at once: it holds it (hold_top) while the
// process runs. If the process schedules its next wake-up, as most do, push() replaces the
// held top and sifts down once, instead of a pop (sift down) followed by a push (sift up).
class TimedQueue {
 public:
  TimedQueue() = default;
  TimedQueue(const TimedQueue&) = delete;
  TimedQueue& operator=(const TimedQueue&) = delete;
  ~TimedQueue() {
    if (times_ != nullptr) ::operator delete (times_ - kPad, std::align_val_t{kAlign});
    std::free(payload_);
  }

  bool empty() const { return size_ == held_; }
  std::size_t size() const { return size_ - held_; }
  QueueEntry top() {
    settle();
    return entry(0);
  }

  void push(const QueueEntry& e) {
    if (held_ != 0) {  // replace the entry being resumed
      held_ = 0;
      sift_down(0, e.time, {e.seq, e.handle});
      return;
    }
    if (size_ == capacity_) grow();
    sift_up(size_++, e.time, {e.seq, e.handle});
  }

  QueueEntry pop() {
    settle();
    const QueueEntry top = entry(0);
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
      if (payload_[i].handle != handle) continue;
      const std::size_t last = --size_;
      const std::int64_t t = times_[last];
      times_[last] = kVacant;
      if (i < last) {
        sift_down(i, t, payload_[last]);
        sift_up(i, times_[i], payload_[i]);
      }
      return true;
    }
    return false;
  }

  void reserve(std::size_t n) {
    if (n > capacity_) reallocate(n);
  }

 private:
  struct Payload {
    std::uint64_t seq;
    void* handle;
  };
  static_assert(sizeof(Payload) == 2 * sizeof(std::int64_t));

  // times_ points 3 slots into a 64-byte aligned block: node i's children 4i+1..4i+4 then
  // start at a multiple of 4 slots, 32-byte aligned.
  static constexpr std::size_t kPad = 3;
  static constexpr std::size_t kAlign = 64;
  // Time of the slots past the end (4 of them beyond capacity, so a node's children can
  // always be read as a block).
  static constexpr std::int64_t kVacant = INT64_MAX;
  static constexpr std::size_t kSpare = 4;

  QueueEntry entry(std::size_t i) const { return {times_[i], payload_[i].seq, payload_[i].handle}; }
  // (ta, sa) < (tb, sb), for the rare equal times.
  static bool less(std::int64_t ta, std::uint64_t sa, std::int64_t tb, std::uint64_t sb) {
    return ta < tb || (ta == tb && sa < sb);
  }

  void settle() {
    if (held_ != 0) {
      held_ = 0;
      drop_top();
    }
  }
  void drop_top() {
    const std::size_t last = --size_;
    const std::int64_t t = times_[last];
    times_[last] = kVacant;
    if (last != 0) sift_down(0, t, payload_[last]);
  }

  void grow() { reallocate(capacity_ == 0 ? 256 : capacity_ * 2); }

  // The times need their alignment, so they move to a new block; the payloads grow with
  // realloc (grow_storage).
  void reallocate(std::size_t n) {
    auto* t = static_cast<std::int64_t*>(
        ::operator new ((kPad + n + kSpare) * sizeof(std::int64_t), std::align_val_t{kAlign}));
    try {
      payload_ = detail::grow_storage(payload_, n);
    } catch (...) {
      ::operator delete (t, std::align_val_t{kAlign});
      throw;
    }
    if (size_ != 0) std::memcpy(t + kPad, times_, size_ * sizeof(std::int64_t));
    std::fill(t + kPad + size_, t + kPad + n + kSpare, kVacant);
    if (times_ != nullptr) ::operator delete (times_ - kPad, std::align_val_t{kAlign});
    times_ = t + kPad;
    capacity_ = n;
  }
  // Fills the hole at i with (t, p), moving it down past any smaller children. The slots
  // past the end hold kVacant, so every node with a child has four times to compare.
  void sift_down(std::size_t i, std::int64_t t, Payload p) {
    std::int64_t* const times = times_;
    Payload* const pay = payload_;
    const std::size_t n = size_;
    // The descent follows addresses, not indices: the children of the slot at address q
    // start at 4 q + bias, one lea on the chain of dependent loads that a level is.
    using Address = std::uintptr_t;
    const Address base = reinterpret_cast<Address>(times);
    const Address bias = sizeof(std::int64_t) - 3 * base;  // modulo 2^64
    const Address end = base + n * sizeof(std::int64_t);
    // The payload of the slot at address q, at 2 q + pay_bias (payloads are twice as wide).
    const Address pay_bias = reinterpret_cast<Address>(pay) - 2 * base;
    const auto payload_of = [pay_bias](const std::int64_t* slot) {
      return reinterpret_cast<Payload*>(2 * reinterpret_cast<Address>(slot) + pay_bias);
    };
    std::int64_t* q = times + i;
    for (;;) {
      const Address first = 4 * reinterpret_cast<Address>(q) + bias;
      if (first >= end) break;
      std::int64_t* const c = reinterpret_cast<std::int64_t*>(first);
      const std::int64_t t0 = c[0], t1 = c[1], t2 = c[2], t3 = c[3];
      // Two rounds of a tournament, each a compare and two conditional moves (the time
      // and its slot).
      const bool l1 = t1 < t0, l3 = t3 < t2;
      const std::int64_t m01 = l1 ? t1 : t0, m23 = l3 ? t3 : t2;
      std::int64_t* const p01 = l1 ? c + 1 : c;
      std::int64_t* const p23 = l3 ? c + 3 : c + 2;
      const bool hi = m23 < m01;
      std::int64_t tb = hi ? m23 : m01;
      std::int64_t* qb = hi ? p23 : p01;
      // Possibly two children at the least time (or vacant slots): the first scheduled
      // real entry wins.
      if ((t0 == t1) | (t2 == t3) | (m01 == m23)) [[unlikely]] {
        const std::size_t f = static_cast<std::size_t>(c - times);
        qb = times + least_of(f, f + 4 < n ? f + 4 : n);
        tb = *qb;
      }
      Payload* const pb = payload_of(qb);
      if (tb >= t) [[unlikely]] {
        if (tb > t || pb->seq > p.seq) break;
      }
      *q = tb;
      *payload_of(q) = *pb;
      q = qb;
    }
    *q = t;
    *payload_of(q) = p;
  }

  // The least of children [first, end) by (time, seq).
  std::size_t least_of(std::size_t first, std::size_t end) const {
    std::size_t best = first;
    for (std::size_t c = first + 1; c < end; ++c) {
      if (less(times_[c], payload_[c].seq, times_[best], payload_[best].seq)) best = c;
    }
    return best;
  }

  // Fills the hole at i with (t, p), moving it up past any larger parents.
  void sift_up(std::size_t i, std::int64_t t, Payload p) {
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!less(t, p.seq, times_[parent], payload_[parent].seq)) break;
      times_[i] = times_[parent];
      payload_[i] = payload_[parent];
      i = parent;
    }
    times_[i] = t;
    payload_[i] = p;
  }

  std::int64_t* times_ = nullptr;  // kPad slots into its block
  Payload* payload_ = nullptr;
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
