#include "sim/simulation.hpp"

#include <cassert>

#include "sim/errors.hpp"
#include "sim/task.hpp"

namespace sim {

Simulation::~Simulation() {
  shutting_down_ = true;
  while (live_ != nullptr) {
    PromiseBase* p = live_;
    live_ = p->live_next;
    p->live_prev = p->live_next = nullptr;
    p->destroy_frame(p);
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

void Simulation::task_failed(PromiseBase* root, std::exception_ptr error) {
  if (failure_) return;  // the first failure ends the run
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  failure_ = std::make_exception_ptr(ProcessError(name_of(root), what));
}

void Simulation::rethrow_failure() {
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

bool Simulation::interrupt_task(PromiseBase* root, std::string cause) {
  if (root == nullptr || root->finished || !root->started) return false;
  interrupts_[root] = std::move(cause);
  root->interrupt_pending = true;
  if (Waiter* w = root->waiting) {
    root->waiting = nullptr;
    w->cancel(w);
    w->interrupted = true;
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

bool Simulation::step() {
  if (clock_ != nullptr) return step_with_clock();
  if (!timed_.empty() && timed_.top().time == now_.count()) {
    resume(timed_.pop().handle);
  } else if (!ready_.empty()) {
    resume(ready_.pop());
  } else if (!timed_.empty()) {
    const QueueEntry e = timed_.pop();
    now_ = Time{e.time};
    resume(e.handle);
  } else {
    return false;
  }
  rethrow_failure();
  return true;
}

bool Simulation::step_with_clock() {
  for (;;) {
    if (!timed_.empty() && timed_.top().time == now_.count()) {
      resume(timed_.pop().handle);
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
    const QueueEntry e = timed_.pop();
    now_ = Time{e.time};
    resume(e.handle);
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
