// What every process frame shares: its promise base (task bookkeeping) and Signal, the
// one-shot trigger with a FIFO of waiters that process completion and Event<T> are built on.
#pragma once

#include <cassert>
#include <coroutine>
#include <cstdint>
#include <exception>

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

class Signal {
 public:
  enum class State : std::uint8_t { pending, succeeded, failed };

  State state() const { return state_; }
  bool triggered() const { return state_ != State::pending; }
  bool has_waiters() const { return head_ != nullptr; }

  void add(SignalWaiter* w) noexcept {
    w->signal = this;
    w->next = nullptr;
    w->prev = tail_;
    if (tail_ != nullptr) {
      tail_->next = w;
    } else {
      head_ = w;
    }
    tail_ = w;
  }

  void remove(SignalWaiter* w) noexcept {
    if (w->signal != this) return;
    (w->prev != nullptr ? w->prev->next : head_) = w->next;
    (w->next != nullptr ? w->next->prev : tail_) = w->prev;
    w->signal = nullptr;
  }

  // Sets the state and wakes every waiter, in the order they came.
  inline void fire(Simulation& sim, State s) noexcept;

 private:
  SignalWaiter* head_ = nullptr;
  SignalWaiter* tail_ = nullptr;
  State state_ = State::pending;
};

// Bookkeeping shared by every process frame. A "task" is a spawned process together with
// the processes it awaits directly (subroutines): they share the root's wait state.
struct PromiseBase {
  Simulation* sim = nullptr;
  PromiseBase* root = nullptr;           // the spawned process this frame runs for
  std::coroutine_handle<> continuation;  // subroutine: the frame awaiting it
  Waiter* waiting = nullptr;             // root: what the task is blocked on now
  std::exception_ptr error;              // how this frame ended, if by an exception
  Signal done;                           // root: fires when it finishes (joiners wait here)
  PromiseBase* live_prev = nullptr;      // root: the simulation's list of unfinished tasks
  PromiseBase* live_next = nullptr;
  void (*destroy_frame)(PromiseBase*) = nullptr;  // root: destroys this frame
  std::uint32_t refs = 1;  // Process handles, plus one while a root is running
  bool started = false;
  bool finished = false;
  bool is_root = false;
  bool named = false;
  bool interrupt_pending = false;
};

void Signal::fire(Simulation& sim, State s) noexcept {
  state_ = s;
  while (head_ != nullptr) {
    SignalWaiter* w = head_;
    head_ = w->next;
    if (head_ == nullptr) tail_ = nullptr;
    w->signal = nullptr;
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
  root = h.promise().root;
  if (root->interrupt_pending) {
    interrupted = true;
    return false;
  }
  root->waiting = this;
  return true;
}

inline void Waiter::check() {
  if (!interrupted) return;
  interrupted = false;
  std::rethrow_exception(root->sim->take_interrupt(root));
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
