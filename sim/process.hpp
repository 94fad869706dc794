// sim::Process<T>: a coroutine run by the simulation. Spawn it to run on its own, or
// co_await it to run it as a subroutine; co_await a spawned one to join it (its value, or
// its exception rethrown).
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "sim/frame_pool.hpp"
#include "sim/task.hpp"

namespace sim {

namespace detail {

template <class T>
struct ResultStore {
  std::optional<T> value;
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  T take() { return std::move(*value); }
  T copy() const { return *value; }
};

template <>
struct ResultStore<void> {
  void return_void() {}
  void take() {}
  void copy() const {}
};

}  // namespace detail

template <class T = void>
class Process {
 public:
  struct promise_type : PromiseBase, detail::ResultStore<T> {
    using Handle = std::coroutine_handle<promise_type>;

    // Frames come from the per-thread pool (sim/frame_pool.hpp).
    static void* operator new(std::size_t n) { return detail::frame_allocate(n); }
    static void operator delete(void* p, std::size_t n) noexcept { detail::frame_deallocate(p, n); }

    Process get_return_object() { return Process(Handle::from_promise(*this)); }
    std::suspend_always initial_suspend() noexcept { return {}; }
    void unhandled_exception() noexcept {
      end_root();
      error = std::current_exception();
    }

    struct FinalAwaiter {
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(Handle h) noexcept {
        promise_type& p = h.promise();
        p.end_root();
        p.finished = true;
        if (!p.is_root) {
          if (p.continuation_ == nullptr) return std::noop_coroutine();
          return std::coroutine_handle<>::from_address(p.continuation_);
        }
        Simulation& sim = *p.sim_;
        const bool joined = p.done.has_waiters();
        p.done.fire(sim, p.error ? Signal::State::failed : Signal::State::succeeded);
        if (p.error && !joined) sim.task_failed(&p, p.error);
        sim.forget(&p);
        if (--p.refs == 0) h.destroy();
        return std::noop_coroutine();
      }
      void await_resume() const noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return {}; }
  };
  using Handle = std::coroutine_handle<promise_type>;

  Process() = default;
  explicit Process(Handle h) : h_(h) {}
  Process(const Process& o) : h_(o.h_) {
    if (h_) ++h_.promise().refs;
  }
  Process(Process&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Process& operator=(Process o) noexcept {
    std::swap(h_, o.h_);
    return *this;
  }
  ~Process() {
    if (h_ && --h_.promise().refs == 0) h_.destroy();
  }

  bool valid() const { return static_cast<bool>(h_); }
  bool finished() const { return h_ && h_.promise().finished; }
  bool failed() const { return finished() && h_.promise().error != nullptr; }
  // The value of a finished process (rethrows its exception).
  T result() const {
    if (h_.promise().error) std::rethrow_exception(h_.promise().error);
    return h_.promise().copy();
  }
  // The completion signal of a spawned process (for all_of / any_of).
  Signal& done() const { return h_.promise().done; }
  PromiseBase* task() const { return h_ ? &h_.promise() : nullptr; }

  // Runs a not-yet-started process as a subroutine of the awaiting one.
  struct StartAwaiter {
    Handle child;
    bool await_ready() const noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> parent) noexcept {
      promise_type& c = child.promise();
      c.root_ = parent.promise().task_root();
      c.continuation_ = parent.address();
      c.started = true;
      return child;
    }
    T await_resume() {
      promise_type& c = child.promise();
      if (c.error) std::rethrow_exception(c.error);
      return c.take();
    }
  };

  // Joins a spawned process.
  struct JoinAwaiter : SignalWaiter {
    Handle target;
    bool await_ready() const noexcept { return target.promise().finished; }
    template <class P>
    bool await_suspend(std::coroutine_handle<P> h) noexcept {
      if (!begin(h)) return false;
      cancel = [](Waiter* w) noexcept {
        auto* self = static_cast<JoinAwaiter*>(w);
        self->target.promise().done.remove(self);
      };
      target.promise().done.add(this);
      return true;
    }
    T await_resume() {
      check();
      promise_type& p = target.promise();
      if (p.error) std::rethrow_exception(p.error);
      return p.copy();
    }
  };

  auto operator co_await() const& noexcept { return awaiter(); }
  auto operator co_await() const&& noexcept { return awaiter(); }

 private:
  friend class Simulation;

  struct Either {
    StartAwaiter start;
    JoinAwaiter join;
    bool joining;
    bool await_ready() const noexcept { return joining && join.await_ready(); }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      if (!joining) return start.await_suspend(h);
      if (join.await_suspend(h)) return std::noop_coroutine();
      return h;
    }
    T await_resume() { return joining ? join.await_resume() : start.await_resume(); }
  };
  Either awaiter() const noexcept {
    Either e{};
    e.joining = h_.promise().started;
    e.start.child = h_;
    e.join.target = h_;
    return e;
  }

  Handle h_;
};

template <class T>
Process<T> Simulation::spawn(Process<T> process, std::string name) {
  auto& p = process.h_.promise();
  assert(!p.started && "a process can be started once");
  p.begin_root();
  p.sim_ = this;
  p.started = true;
  ++p.refs;  // held while it runs
  // Teardown finds the frame of an unfinished task from its PromiseBase (no per-task
  // pointer for it): check here that this coroutine's frame is laid out as assumed.
  if (process.h_.address() != detail::frame_of(&p)) std::terminate();
  track(&p);
  if (!name.empty()) set_name(&p, std::move(name));
  schedule_now(process.h_);
  return process;
}

template <class T>
bool Simulation::interrupt(const Process<T>& process, std::string cause) {
  return process.valid() && interrupt_task(process.task(), std::move(cause));
}

}  // namespace sim
