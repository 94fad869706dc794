// g++ 12 cannot instrument the atomic_thread_fence in Asio's handler fences for
// ThreadSanitizer and warns (-Wtsan); this io_context is only ever used by one thread.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wtsan"
#endif

#include "live/wall_clock.hpp"

#include <cmath>
#include <stdexcept>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace live {

struct WallClock::Timer {
  boost::asio::io_context io;
  boost::asio::steady_timer timer{io};
};

WallClock::WallClock(double factor)
    : factor_(factor), start_(std::chrono::steady_clock::now()), timer_(std::make_unique<Timer>()) {
  if (!(std::isfinite(factor) && factor > 0)) {
    throw std::invalid_argument("wall clock: the pace factor must be a positive number");
  }
}

WallClock::~WallClock() = default;

void WallClock::restart() {
  start_ = std::chrono::steady_clock::now();
  skipped_ = sim::Duration{0};
}

sim::Time WallClock::now() const {
  const sim::Duration wall = std::chrono::steady_clock::now() - start_;
  if (factor_ == 1.0) return wall + skipped_;
  return sim::Duration{static_cast<std::int64_t>(
             std::floor(static_cast<long double>(wall.count()) / factor_))} +
         skipped_;
}

WallTime WallClock::wall_time_of(sim::Time t) const {
  if (t == sim::kTimeMax) return WallTime::max();
  const sim::Duration run = t - skipped_;
  if (run <= sim::Duration::zero()) return start_;
  if (factor_ == 1.0) return start_ + run;
  const long double wall = std::ceil(static_cast<long double>(run.count()) * factor_);
  if (wall >= static_cast<long double>(WallTime::max().time_since_epoch().count() / 2)) {
    return WallTime::max();
  }
  return start_ + sim::Duration{static_cast<std::int64_t>(wall)};
}

bool WallClock::outside_work_pending() const {
  return outside_ != nullptr && outside_->pending();
}

void WallClock::wait_until(sim::Simulation& sim, sim::Time t) {
  if (fast_forward_) {
    // Let the outside work post what it has, then jump to the deadline.
    if (outside_ != nullptr && outside_->drive(sim, std::chrono::steady_clock::now())) return;
    if (t != sim::kTimeMax && now() < t) skipped_ += t - now();
    return;
  }
  auto& io = timer_->io;
  auto& timer = timer_->timer;
  const bool timed = t != sim::kTimeMax;
  bool fired = false;
  auto arm = [&] {
    io.restart();
    timer.expires_at(wall_time_of(t));
    timer.async_wait([&fired](const boost::system::error_code& ec) {
      if (!ec) fired = true;
    });
  };
  if (timed) arm();
  for (;;) {
    io.poll();  // the timer's handler, when it is due
    if (timed && now() >= t) break;
    if (fired) arm();  // rounding left now() a nanosecond short: wait for it
    fired = false;
    if (outside_ != nullptr) {
      if (outside_->drive(sim, timed ? timer.expiry() : WallTime::max())) break;
      if (!timed && !outside_->pending()) break;
      if (fast_forward_) {
        if (timed && now() < t) skipped_ += t - now();
        break;
      }
    } else {
      if (!timed) break;  // nothing could ever wake us
      io.run_one();
    }
  }
  if (timed) {
    timer.cancel();
    io.restart();
    io.poll();  // runs the cancelled handler while `fired` still exists
  }
}

}  // namespace live
