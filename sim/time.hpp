// Simulated time: integer nanoseconds since the run started. Exact and deterministic.
#pragma once

#include <chrono>
#include <cstdint>

namespace sim {

using Duration = std::chrono::nanoseconds;
// A point in a run, measured from its start (time zero).
using Time = std::chrono::nanoseconds;

inline constexpr Time kTimeZero{0};
inline constexpr Time kTimeMax = Time::max();

// The horizon: the engine runs nothing at or past kTimeMax (int64 nanoseconds, about 292
// years), which also stands for "never". The rule, everywhere:
// - a wake-up that would fall at or past it is refused: Simulation::timeout() throws
//   sim::HorizonError (sim/errors.hpp) in the process asking, before anything is scheduled;
//   the download strategies add the download's name and phase, and `loiter run` exits 1;
// - durations are added and scaled with add_saturating() / scale_saturating(), which stop at
//   kTimeMax instead of wrapping, so an overflow can only ever show up as that refusal;
// - from_seconds() saturates too (NaN counts as 0), so no double reaches an int64 cast
//   out of range.
inline constexpr double kHorizonSeconds = static_cast<double>(kTimeMax.count()) * 1e-9;

// t + d, or kTimeMax when that would overflow (d >= 0 expected; negative d saturates at 0).
constexpr Time add_saturating(Time t, Duration d) {
  if (d.count() <= 0) return t.count() + d.count() < 0 ? kTimeZero : t + d;
  if (t.count() > kTimeMax.count() - d.count()) return kTimeMax;
  return t + d;
}

// d * n for n >= 0, or kTimeMax when that would overflow.
constexpr Duration scale_saturating(Duration d, std::int64_t n) {
  if (d.count() <= 0 || n <= 0) return Duration::zero();
  if (d.count() > kTimeMax.count() / n) return kTimeMax;
  return d * n;
}

// Seconds as a double, for reports and plots only (never for scheduling).
constexpr double to_seconds(Duration d) {
  return static_cast<double>(d.count()) * 1e-9;
}

// Rounds seconds to the nearest nanosecond; saturates at +-kTimeMax (NaN gives 0).
constexpr Duration from_seconds(double s) {
  const double ns = s * 1e9;
  // 2^63 is exactly representable; anything at or above it does not fit in int64.
  constexpr double kLimit = 9223372036854775808.0;
  if (!(ns == ns)) return Duration::zero();
  if (ns >= kLimit - 512) return kTimeMax;
  if (ns <= -kLimit + 512) return -kTimeMax;
  return Duration{static_cast<std::int64_t>(ns < 0 ? ns - 0.5 : ns + 0.5)};
}

}  // namespace sim
