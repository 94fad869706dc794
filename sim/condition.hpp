// all_of / any_of: wait for every one, or the first, of several processes and events.
#pragma once

#include <cstddef>
#include <exception>
#include <vector>

#include "sim/event.hpp"
#include "sim/process.hpp"

namespace sim {

// Something that can be waited on in a condition: its completion signal and its error.
struct Awaitable {
  Signal* signal;
  const std::exception_ptr* error;
};

template <class T>
Awaitable awaitable(const Process<T>& p) {
  return {&p.done(), &p.task()->error};
}
template <class T>
Awaitable awaitable(Event<T>& e) {
  return {&e.signal(), e.error_slot()};
}
inline Awaitable awaitable(Awaitable a) {
  return a;
}

// Resumes when all (or, with `any`, the first) of `items` have triggered. co_await yields
// the index of the first to trigger (any_of) or nothing (all_of); a failure is rethrown.
class Condition : public Waiter {
 public:
  Condition(std::vector<Awaitable> items, bool any) : items_(std::move(items)), any_(any) {}
  Condition(Condition&&) = default;

  bool await_ready() noexcept {
    std::size_t done = 0;
    for (std::size_t i = 0; i < items_.size(); ++i) {
      if (!items_[i].signal->triggered()) continue;
      ++done;
      if (first_ == kNone) first_ = i;
    }
    return any_ ? (first_ != kNone || items_.empty()) : done == items_.size();
  }

  template <class P>
  bool await_suspend(std::coroutine_handle<P> h) {
    if (!begin(h)) return false;
    sim_ = h.promise().simulation();
    cancel = [](Waiter* w) noexcept { static_cast<Condition*>(w)->detach(); };
    subs_.resize(items_.size());
    remaining_ = 0;
    for (std::size_t i = 0; i < items_.size(); ++i) {
      if (items_[i].signal->triggered()) continue;
      Sub& s = subs_[i];
      s.owner = this;
      s.index = i;
      s.on_fire = &Condition::fired;
      items_[i].signal->add(&s);
      ++remaining_;
    }
    return true;
  }

  std::size_t await_resume() {
    check();
    if (any_) {
      if (first_ != kNone && *items_[first_].error) std::rethrow_exception(*items_[first_].error);
      return first_;
    }
    for (const Awaitable& a : items_) {
      if (*a.error) std::rethrow_exception(*a.error);
    }
    return 0;
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  struct Sub : SignalWaiter {
    Condition* owner = nullptr;
    std::size_t index = 0;
  };

  static void fired(SignalWaiter* w) noexcept {
    auto* s = static_cast<Sub*>(w);
    Condition* c = s->owner;
    if (c->first_ == kNone) c->first_ = s->index;
    if (--c->remaining_ > 0 && !c->any_) return;
    c->detach();
    c->root->waiting = nullptr;
    c->sim_->schedule_now(c->handle);
  }

  void detach() noexcept {
    for (Sub& s : subs_) {
      if (s.signal != nullptr) s.signal->remove(&s);
    }
  }

  std::vector<Awaitable> items_;
  std::vector<Sub> subs_;
  Simulation* sim_ = nullptr;
  std::size_t remaining_ = 0;
  std::size_t first_ = kNone;
  bool any_;
};

template <class T>
Condition condition_of(const std::vector<Process<T>>& ps, bool any) {
  std::vector<Awaitable> items;
  items.reserve(ps.size());
  for (const auto& p : ps)
    items.push_back(awaitable(p));
  return Condition(std::move(items), any);
}

template <class T>
Condition all_of(const std::vector<Process<T>>& ps) {
  return condition_of(ps, false);
}
template <class T>
Condition any_of(const std::vector<Process<T>>& ps) {
  return condition_of(ps, true);
}
template <class T>
Condition all_of(std::vector<Process<T>>& ps) {
  return condition_of(ps, false);
}
template <class T>
Condition any_of(std::vector<Process<T>>& ps) {
  return condition_of(ps, true);
}
template <class... A>
Condition all_of(A&&... items) {
  return Condition({awaitable(items)...}, false);
}
template <class... A>
Condition any_of(A&&... items) {
  return Condition({awaitable(items)...}, true);
}

}  // namespace sim

namespace sim {

// A process that just waits `d`: spawn it to put a deadline into any_of.
inline Process<> delay(Simulation& sim, Duration d) {
  co_await sim.timeout(d);
}

}  // namespace sim
