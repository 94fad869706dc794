#include "sim/simulation.hpp"

#include <cassert>
#include <cstdio>

#include "sim/errors.hpp"
#include "sim/task.hpp"

namespace sim {

Simulation::~Simulation() {
  shutting_down_ = true;
  while (live_ != nullptr) {
    PromiseBase* p = live_;
    live_ = p->live_next;
    p->live_prev = p->live_next = nullptr;
    std::coroutine_handle<>::from_address(detail::frame_of(p)).destroy();
  }
}

void Simulation::track(PromiseBase* root) {
  root->live_prev = nullptr;
  root->live_next = live_;
  if (live_ != nullptr) live_->live_prev = root;
  live_ = root;
}

void Simulation::forget(PromiseBase* root) {
  (root->live_prev != nullptr ? root->live_prev->live_next : live_) = root->live_next;
  if (root->live_next != nullptr) root->live_next->live_prev = root->live_prev;
  root->live_prev = root->live_next = nullptr;
  if (root->named) names_.erase(root);
  if (root->interrupt_pending) interrupts_.erase(root);
}

void Simulation::set_name(PromiseBase* root, std::string name) {
  root->named = true;
  names_[root] = std::move(name);
}

std::string Simulation::name_of(const PromiseBase* root) const {
  if (auto it = names_.find(root); it != names_.end()) return it->second;
  return "unnamed";
}

void Simulation::throw_past_horizon(Duration d) const {
  char text[200];
  std::snprintf(text, sizeof text,
                "a wait of %.6g s at %.6g s would end past the simulation's horizon of %.6g s "
                "(about 292 years of int64 nanoseconds)",
                to_seconds(d), to_seconds(now_), kHorizonSeconds);
  throw HorizonError(text);
}

void Simulation::task_failed(PromiseBase* root, std::exception_ptr error) {
  if (failure_) return;  // the first failure ends the run
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(error);
  } catch (const HorizonError&) {
    failure_ = error;  // already says what and when; the user's to read as it is
    return;
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  failure_ = std::make_exception_ptr(ProcessError(name_of(root), what));
}

void Simulation::rethrow_failure() {
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

bool Simulation::interrupt_task(PromiseBase* task, std::string cause) {
  if (task == nullptr || task->finished || !task->started) return false;
  PromiseBase* root = task->task_root();  // a subroutine's handle interrupts its task
  if (root->finished) return false;
  interrupts_[root] = std::move(cause);
  root->interrupt_pending = true;
  Waiter* w = root->waiting;
  if (w == nullptr || w == detail::interrupted_mark()) return true;  // at its next wait
  root->waiting = detail::interrupted_mark();
  if (detail::is_timed_mark(w)) {
    const auto h = std::coroutine_handle<>::from_address(detail::frame_of_timed_mark(w));
    unschedule(h);
    schedule_now(h);
  } else {
    w->cancel(w);
    schedule_now(w->handle);
  }
  return true;
}

std::exception_ptr Simulation::take_interrupt(PromiseBase* root) {
  std::string cause = "interrupted";
  if (auto it = interrupts_.find(root); it != interrupts_.end()) {
    cause = std::move(it->second);
    interrupts_.erase(it);
  }
  root->interrupt_pending = false;
  return std::make_exception_ptr(Interrupted(std::move(cause)));
}

void Simulation::advance_to(Time t) {
  if (!timed_.empty() && t.count() > timed_.top().time) t = Time{timed_.top().time};
  if (t > now_) now_ = t;
}

inline void Simulation::resume(void* handle) {
  ++events_;
  std::coroutine_handle<>::from_address(handle).resume();
}

// Resumes the earliest timed entry, holding it in the heap meanwhile: the process usually
// schedules its next wake-up, which then replaces it in one sift (TimedQueue::hold_top).
inline void Simulation::resume_top() {
  const QueueEntry top = timed_.top();
  now_ = Time{top.time};
  void* handle = top.handle;
  timed_.hold_top();
  resume(handle);
  timed_.release_top();
}

bool Simulation::step() {
  if (clock_ != nullptr) return step_with_clock();
  // A timed event due now goes before the ready ones (it was scheduled earlier).
  if (!timed_.empty()) {
    if (ready_.empty() || timed_.top().time == now_.count()) {
      resume_top();
    } else {
      resume(ready_.pop());
    }
  } else if (!ready_.empty()) {
    resume(ready_.pop());
  } else {
    return false;
  }
  rethrow_failure();
  return true;
}

bool Simulation::step_with_clock() {
  for (;;) {
    if (!timed_.empty() && timed_.top().time == now_.count()) {
      resume_top();
      break;
    }
    if (!ready_.empty()) {
      resume(ready_.pop());
      break;
    }
    if (timed_.empty() && !clock_->outside_work_pending()) return false;
    const Time next = timed_.empty() ? kTimeMax : Time{timed_.top().time};
    if (clock_->now() < next) {
      clock_->wait_until(*this, next);  // may post outside work at the time it happens
      if (!ready_.empty() || clock_->now() < next) continue;
    }
    resume_top();
    break;
  }
  rethrow_failure();
  return true;
}

void Simulation::run() {
  while (step()) {
  }
}

void Simulation::run_until(Time t) {
  for (;;) {
    const bool due_now = !ready_.empty() && now_ < t;
    const bool timed_due = !timed_.empty() && Time{timed_.top().time} < t;
    if (!due_now && !timed_due) break;
    step();
  }
  if (now_ < t) now_ = t;
}

}  // namespace sim
