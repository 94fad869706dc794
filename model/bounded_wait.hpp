// A wait with a limit: runs a process, and interrupts it if it is not done within the limit
// (a pool timeout, a read timeout). The waiting process yields std::nullopt when the limit
// came first. If the caller itself is interrupted meanwhile, both helpers are stopped too, so
// nothing it started outlives it.
#pragma once

#include <exception>
#include <optional>
#include <utility>

#include "sim/sim.hpp"

namespace model {

using sim::Duration;

namespace detail {

// `p`, or nothing when it is interrupted (it releases what it held as it unwinds).
template <class T>
sim::Process<std::optional<T>> unless_interrupted(sim::Process<T> p) {
  std::optional<T> out;
  try {
    out.emplace(co_await std::move(p));
  } catch (const sim::Interrupted&) {
    out.reset();
  }
  co_return out;
}

template <class T>
sim::Process<> alarm(sim::Simulation& sim, sim::Process<std::optional<T>> target, Duration limit,
                     bool* fired) {
  try {
    co_await sim.timeout(limit);
  } catch (const sim::Interrupted&) {
    co_return;  // the wait ended first
  }
  *fired = true;
  sim.interrupt(target, "time limit");
}

}  // namespace detail

template <class T>
sim::Process<std::optional<T>> within(sim::Simulation& sim, sim::Process<T> p, Duration limit) {
  if (sim::add_saturating(sim.now(), limit) == sim::kTimeMax) sim.throw_past_horizon(limit);
  auto waiting = sim.spawn(detail::unless_interrupted(std::move(p)));
  bool fired = false;
  auto timer = sim.spawn(detail::alarm(sim, waiting, limit, &fired));
  std::optional<T> out;
  std::exception_ptr stopped;
  try {
    out = co_await waiting;
  } catch (const sim::Interrupted&) {
    stopped = std::current_exception();
  }
  if (stopped) {
    // The caller is being stopped (its own timeout): the wait and its alarm go with it.
    sim.interrupt(timer, "stopped");
    sim.interrupt(waiting, "stopped");
    std::rethrow_exception(stopped);
  }
  if (!fired) sim.interrupt(timer, "done");
  co_return out;
}

}  // namespace model
