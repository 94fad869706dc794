// The discrete-event simulation: a clock, a queue of due coroutines and the run loop.
// Processes (sim/process.hpp) and awaitables (sim/event.hpp, resource.hpp, store.hpp) build on it.
#pragma once

#include <coroutine>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <unordered_map>

#include "sim/event_queue.hpp"
#include "sim/time.hpp"

namespace sim {

class Simulation;
struct PromiseBase;
template <class T>
class Process;

// What a suspended task is blocked on. interrupt() calls `cancel` to withdraw it
// (unlink from a queue), then resumes the task with sim::Interrupted. That the wait was
// interrupted is recorded in the task (root->waiting), not here: 24 bytes per wait.
struct Waiter {
  std::coroutine_handle<> handle;
  PromiseBase* root = nullptr;  // the task (spawned process) this waiter belongs to
  void (*cancel)(Waiter*) noexcept = nullptr;

  // Registers the wait; returns false (do not suspend) when an interrupt is pending.
  template <class P>
  bool begin(std::coroutine_handle<P> h) noexcept;
  // In await_resume: throws the interrupt if this wait was interrupted.
  void check();
};

// The seam for a second clock. The run loop asks the clock to wait until the next
// event's time; a wall clock really waits, and may return early after posting outside
// completions to the simulation. The virtual clock (no Clock at all) jumps.
class Clock {
 public:
  virtual ~Clock() = default;
  // The clock's reading, in run time.
  virtual Time now() const = 0;
  // Waits until now() >= t (t may be kTimeMax: no timed event) or until outside work was
  // posted with Simulation::post_at. Returns at once if either already holds.
  virtual void wait_until(Simulation& sim, Time t) = 0;
  // True while outside work (e.g. transfers in flight) may still post events.
  virtual bool outside_work_pending() const = 0;
};

class Simulation {
 public:
  Simulation() = default;
  explicit Simulation(Clock& clock) : clock_(&clock) {}
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;
  ~Simulation();

  Time now() const { return now_; }
  std::uint64_t events() const { return events_; }
  bool idle() const { return timed_.empty() && ready_.empty(); }

  // Runs until no event is left (and, on a wall clock, no outside work is pending).
  void run();
  // Runs the events due before `t`, then sets the clock to `t`; later events stay queued.
  void run_until(Time t);
  // Processes one event; false when none is left.
  bool step();

  // Starts a process at the current time (after the events already due now).
  template <class T>
  Process<T> spawn(Process<T> process, std::string name = {});

  // Throws sim::Interrupted(cause) into the process at its current (or next) wait.
  // False if it has already finished.
  template <class T>
  bool interrupt(const Process<T>& process, std::string cause = "interrupted");

  // An awaitable that resumes the caller after `d` (d == 0: after the events due now).
  // Defined in sim/task.hpp.
  // A wait that would end at or past the horizon (sim/time.hpp) throws sim::HorizonError.
  struct Timeout;
  Timeout timeout(Duration d);
  // Throws the HorizonError for a wait of `d` from now.
  [[noreturn]] void throw_past_horizon(Duration d) const;

  // ---- for awaitables, processes and clocks ----
  void schedule_now(std::coroutine_handle<> h) { ready_.push(h.address()); }
  void schedule_at(Time t, std::coroutine_handle<> h) {
    if (t <= now_) {
      schedule_now(h);
    } else {
      timed_.push({t.count(), seq_++, h.address()});
    }
  }
  // Withdraws a scheduled resumption (interrupt of a timed wait).
  void unschedule(std::coroutine_handle<> h) {
    if (!ready_.remove(h.address())) timed_.remove(h.address());
  }
  // A wall clock posts an outside completion: time moves to `t` (never past the next event).
  void advance_to(Time t);
  bool interrupt_task(PromiseBase* root, std::string cause);
  void task_failed(PromiseBase* root, std::exception_ptr error);
  std::exception_ptr take_interrupt(PromiseBase* root);
  void set_name(PromiseBase* root, std::string name);
  std::string name_of(const PromiseBase* root) const;
  void track(PromiseBase* root);   // a task starts
  void forget(PromiseBase* root);  // a task ends
  // True while the destructor tears down unfinished tasks: their RAII guards must not
  // touch resources (which may be gone already).
  bool shutting_down() const { return shutting_down_; }

 private:
  bool step_with_clock();
  void resume(void* handle);
  void resume_top();
  void rethrow_failure();

  Time now_{0};
  std::uint64_t seq_ = 0;
  std::uint64_t events_ = 0;
  TimedQueue timed_;
  ReadyRing ready_;
  Clock* clock_ = nullptr;
  std::exception_ptr failure_;
  PromiseBase* live_ = nullptr;  // unfinished tasks, destroyed with the simulation
  bool shutting_down_ = false;
  // Rare per-task data kept off the process frames: names and pending interrupts.
  std::unordered_map<const PromiseBase*, std::string> names_;
  std::unordered_map<const PromiseBase*, std::string> interrupts_;
};

}  // namespace sim
