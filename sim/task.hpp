// What every process frame shares: its promise base (task bookkeeping) and Signal, the
// one-shot trigger with a FIFO of waiters that process completion and Event<T> are built on.
#pragma once

#include <cassert>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <new>

#include "sim/errors.hpp"

#include "sim/simulation.hpp"

namespace sim {

class Signal;

// A waiter queued on a Signal. With `on_fire` set it is a callback (all_of/any_of),
// otherwise firing resumes its task.
struct SignalWaiter : Waiter {
  SignalWaiter* next = nullptr;
  SignalWaiter* prev = nullptr;
  Signal* signal = nullptr;
  void (*on_fire)(SignalWaiter*) noexcept = nullptr;
};

// The waiters form a circular list: head_->prev is the tail, so one pointer suffices.
class Signal {
 public:
  enum class State : std::uint8_t { pending, succeeded, failed };

  State state() const { return state_; }
  bool triggered() const { return state_ != State::pending; }
  bool has_waiters() const { return head_ != nullptr; }

  void add(SignalWaiter* w) noexcept {
    w->signal = this;
    if (head_ == nullptr) {
      w->next = w->prev = w;
      head_ = w;
      return;
    }
    SignalWaiter* tail = head_->prev;
    w->prev = tail;
    w->next = head_;
    tail->next = w;
    head_->prev = w;
  }

  void remove(SignalWaiter* w) noexcept {
    if (w->signal != this) return;
    if (w->next == w) {
      head_ = nullptr;
    } else {
      w->prev->next = w->next;
      w->next->prev = w->prev;
      if (head_ == w) head_ = w->next;
    }
    w->next = w->prev = nullptr;
    w->signal = nullptr;
  }

  // Sets the state and wakes every waiter, in the order they came.
  inline void fire(Simulation& sim, State s) noexcept;

 private:
  SignalWaiter* head_ = nullptr;
  State state_ = State::pending;
};

// Bookkeeping shared by every process frame. A "task" is a spawned process together with
// the processes it awaits directly (subroutines): they share the root's wait state.
// Kept to 48 bytes, since every suspended process carries one: fields only a root needs
// share storage with fields only a subroutine needs (or a root only needs once it ended),
// and the flags and the reference count sit in the tail padding of `done`.
struct PromiseBase {
  PromiseBase() noexcept : error() {}
  ~PromiseBase() {
    if (holds_error()) error.~exception_ptr();
  }
  PromiseBase(const PromiseBase&) = delete;
  PromiseBase& operator=(const PromiseBase&) = delete;

  union {
    PromiseBase* root_ = nullptr;  // subroutine: the spawned process it runs for
    Simulation* sim_;              // root (is_root): its simulation
  };
  union {
    std::exception_ptr error;  // how this frame ended, if by an exception; for a root
                               // only once it ended (see end_root)
    Waiter* waiting;           // root, until it ends: what the task is blocked on now
  };
  [[no_unique_address]] Signal done;  // fires when a root finishes (joiners wait here)
  bool started : 1 = false;
  bool finished : 1 = false;
  bool is_root : 1 = false;
  bool ended : 1 = false;  // root: `error` replaced `waiting`
  bool named : 1 = false;
  bool interrupt_pending : 1 = false;
  std::uint32_t refs = 1;  // Process handles, plus one while a root is running
  union {
    PromiseBase* live_prev = nullptr;  // root: the simulation's list of unfinished tasks
    void* continuation_;               // subroutine: the frame awaiting it
  };
  PromiseBase* live_next = nullptr;

  PromiseBase* task_root() noexcept { return is_root ? this : root_; }
  Simulation* simulation() const noexcept { return is_root ? sim_ : root_->sim_; }

  bool holds_error() const noexcept { return !is_root || ended; }
  // spawn(): the frame becomes a root; `waiting` replaces the (empty) error.
  void begin_root() noexcept {
    error.~exception_ptr();
    waiting = nullptr;
    is_root = true;
  }
  // A root ends (returns or throws; it is running, so it waits on nothing): `error`
  // replaces `waiting`.
  void end_root() noexcept {
    if (!is_root || ended) return;
    ended = true;
    new (&error) std::exception_ptr();
  }
};
static_assert(sizeof(PromiseBase) == 48, "the promise base grew: every process pays for it");

namespace detail {
// Values of PromiseBase::waiting that are not a Waiter (a Waiter is at least 8-aligned):
// a task suspended on a timeout stores its frame address with the low bit set (the heap
// entry is found by it on interrupt); an interrupted task stores kInterruptedMark until
// its await_resume throws.
inline Waiter* timed_mark(void* frame) noexcept {
  return reinterpret_cast<Waiter*>(reinterpret_cast<std::uintptr_t>(frame) | 1);
}
inline bool is_timed_mark(const Waiter* w) noexcept {
  return (reinterpret_cast<std::uintptr_t>(w) & 1) != 0;
}
inline void* frame_of_timed_mark(const Waiter* w) noexcept {
  return reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(w) & ~std::uintptr_t{1});
}
inline Waiter* interrupted_mark() noexcept {
  return reinterpret_cast<Waiter*>(std::uintptr_t{2});
}
// g++ and clang lay a coroutine frame out as {resume fn, destroy fn, promise, ...}: the
// promise (PromiseBase is its first base) starts two pointers in. spawn() checks this for
// every process type, so teardown can destroy a task from its PromiseBase alone.
inline void* frame_of(PromiseBase* p) noexcept {
  return reinterpret_cast<char*>(p) - 2 * sizeof(void*);
}
}  // namespace detail

void Signal::fire(Simulation& sim, State s) noexcept {
  state_ = s;
  while (head_ != nullptr) {
    SignalWaiter* w = head_;
    remove(w);
    if (w->on_fire != nullptr) {
      w->on_fire(w);
    } else {
      w->root->waiting = nullptr;
      sim.schedule_now(w->handle);
    }
  }
}

template <class P>
bool Waiter::begin(std::coroutine_handle<P> h) noexcept {
  handle = h;
  root = h.promise().task_root();
  if (root->interrupt_pending) {
    root->waiting = detail::interrupted_mark();
    return false;
  }
  root->waiting = this;
  return true;
}

inline void Waiter::check() {
  if (root == nullptr || root->waiting != detail::interrupted_mark()) return;
  root->waiting = nullptr;
  std::rethrow_exception(root->simulation()->take_interrupt(root));
}

// 8 bytes in the frame of every process suspended on a timeout: the delay until it
// suspends, then its task. The rest of the wait state lives in the task's `waiting`.
struct Simulation::Timeout {
  union {
    Duration delay;
    PromiseBase* root;
  };

  bool await_ready() const noexcept { return false; }
  template <class P>
  bool await_suspend(std::coroutine_handle<P> h) noexcept {
    const Duration d = delay;
    PromiseBase* r = h.promise().task_root();
    root = r;
    if (r->interrupt_pending) [[unlikely]] {
      r->waiting = detail::interrupted_mark();
      return false;
    }
    r->waiting = detail::timed_mark(h.address());
    Simulation& sim = *r->sim_;
    sim.schedule_at(add_saturating(sim.now_, d), h);
    return true;
  }
  void await_resume() {
    Waiter* w = root->waiting;
    root->waiting = nullptr;
    if (w == detail::interrupted_mark()) [[unlikely]]
      std::rethrow_exception(root->sim_->take_interrupt(root));
  }
};

inline Simulation::Timeout Simulation::timeout(Duration d) {
  Timeout t;
  t.delay = d < Duration::zero() ? Duration::zero() : d;
  // The horizon rule (sim/time.hpp): refuse here, in the caller, before anything is queued.
  if (t.delay.count() >= kTimeMax.count() - now_.count()) [[unlikely]]
    throw_past_horizon(t.delay);
  return t;
}

// Waits on a Signal and resumes when it fires.
struct SignalAwaiter : SignalWaiter {
  Signal* target;
  explicit SignalAwaiter(Signal& s) : target(&s) {}
  bool await_ready() const noexcept { return target->triggered(); }
  template <class P>
  bool await_suspend(std::coroutine_handle<P> h) noexcept {
    if (!begin(h)) return false;
    cancel = [](Waiter* w) noexcept {
      auto* self = static_cast<SignalAwaiter*>(w);
      self->target->remove(self);
    };
    target->add(this);
    return true;
  }
  void await_resume() { check(); }
};

}  // namespace sim
