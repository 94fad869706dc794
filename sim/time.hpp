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

// Seconds as a double, for reports and plots only (never for scheduling).
constexpr double to_seconds(Duration d) {
  return static_cast<double>(d.count()) * 1e-9;
}

// Rounds seconds to the nearest nanosecond.
constexpr Duration from_seconds(double s) {
  const double ns = s * 1e9;
  return Duration{static_cast<std::int64_t>(ns < 0 ? ns - 0.5 : ns + 0.5)};
}

}  // namespace sim
