// sim::Event<T>: a one-shot event a process can trigger (succeed with a value, or fail
// with an exception) and any number of processes can await.
#pragma once

#include <exception>
#include <optional>
#include <stdexcept>
#include <utility>

#include "sim/task.hpp"

namespace sim {

template <class T = void>
class Event {
 public:
  explicit Event(Simulation& sim) : sim_(&sim) {}
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  bool triggered() const { return signal_.triggered(); }
  bool ok() const { return signal_.state() == Signal::State::succeeded; }

  template <class... U>
  void succeed(U&&... value) {
    guard();
    if constexpr (!std::is_void_v<T>) value_.emplace(std::forward<U>(value)...);
    signal_.fire(*sim_, Signal::State::succeeded);
  }
  void fail(std::exception_ptr error) {
    guard();
    error_ = std::move(error);
    signal_.fire(*sim_, Signal::State::failed);
  }
  // The value of a triggered event (rethrows its failure).
  decltype(auto) value() const {
    if (error_) std::rethrow_exception(error_);
    if constexpr (!std::is_void_v<T>) return (*value_);
  }

  Signal& signal() { return signal_; }
  const std::exception_ptr* error_slot() const { return &error_; }

  struct Awaiter : SignalAwaiter {
    const Event* event;
    auto await_resume() {
      check();
      if constexpr (std::is_void_v<T>) {
        event->value();
      } else {
        return T(event->value());
      }
    }
  };
  Awaiter operator co_await() { return Awaiter{SignalAwaiter(signal_), this}; }

 private:
  void guard() const {
    if (signal_.triggered()) throw std::logic_error("sim::Event triggered twice");
  }

  Simulation* sim_;
  Signal signal_;
  struct Empty {};
  std::conditional_t<std::is_void_v<T>, Empty, std::optional<T>> value_;
  std::exception_ptr error_;
};

}  // namespace sim
