// One download's record: its Outcome, its phase spans, its failed attempts.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "model/text.hpp"
#include "sim/time.hpp"

namespace model {

using sim::Duration;
using sim::Time;

// `stalled`: no answer, and no timeout to end the wait (the run's events ran out with the
// download unfinished). `not_started`: the run was stopped before the download began.
enum class Status : std::uint8_t { ok, not_found, error, timeout, stalled, not_started };
inline constexpr int kStatusCount = 6;
std::string_view to_string(Status s);

// The phases a download passes through, in order. `rate_limit` is the wait for a token of the
// client's own rate limit (each attempt takes one, before it asks for a connection). `pool` is the
// wait for a connection from the client's pool (at its cap, when_full = "wait"). `server_queue` is
// the wait for a server worker, `service` the worker's time on the request (live runs cannot tell
// the two apart from the client and record the whole wait for the first byte as `service`). `sleep`
// is the pure waiting of sleep workloads (the Executor.map demo); `backoff` is the pause before a
// retry.
enum class Phase : std::uint8_t {
  queued,
  rate_limit,
  pool,
  connect,
  request,
  server_queue,
  service,
  transfer,
  cpu,
  sleep,
  backoff
};
inline constexpr int kPhaseCount = 11;
std::string_view to_string(Phase p);

// One phase of one attempt of one download, [start, end).
struct PhaseSpan {
  std::uint32_t download = 0;  // index into StrategyResult::downloads
  std::uint16_t attempt = 0;   // 0-based
  Phase phase = Phase::queued;
  Time start{0};
  Time end{0};
};

// An attempt that failed (an error or a timeout; a 404 is an answer), and whether a retry
// followed it after `backoff`.
struct FailedAttempt {
  std::uint32_t download = 0;
  std::uint16_t attempt = 0;  // 0-based
  Status status = Status::error;
  int http_status = 0;  // 0: no answer (timeout, connection error)
  bool retried = false;
  Time at{0};  // when it failed
  Duration backoff{0};
  std::string error;
};

// A sum of durations that does not overflow: whole seconds and the nanoseconds left over (the
// spans of 10^6 downloads of a day each pass the 292 years a Duration holds).
struct TimeSum {
  std::int64_t seconds = 0;
  std::int64_t nanoseconds = 0;  // 0 to 999'999'999
  void add(Duration d) {
    constexpr std::int64_t kBillion = 1'000'000'000;
    seconds += d.count() / kBillion;
    nanoseconds += d.count() % kBillion;
    if (nanoseconds >= kBillion) {
      nanoseconds -= kBillion;
      ++seconds;
    } else if (nanoseconds < 0) {
      nanoseconds += kBillion;
      --seconds;
    }
  }
  double in_seconds() const {
    return static_cast<double>(seconds) + 1e-9 * static_cast<double>(nanoseconds);
  }
  friend bool operator==(const TimeSum&, const TimeSum&) = default;
};

struct Outcome {
  std::uint32_t id = 0;    // submission order, 0-based
  std::uint32_t host = 0;  // Scenario::hosts index (0 when there are none)
  Text name;
  int lane = 0;  // worker (pool), concurrency slot (async), 0 (sequential)
  // The connection its last attempt was on, numbered from 1 in the order the run opened them
  // (0: none, or a live run).
  std::uint32_t connection = 0;
  int http_status = 0;  // last HTTP status seen (0 when none: timeout, connection error)
  int attempts = 0;
  std::int64_t bytes = 0;  // body bytes received
  Time submitted{0};       // handed to the strategy (queued from here)
  Time start{0};           // got a worker/slot
  Time end{0};             // finished (success or final failure)
  Time consumed{0};        // the caller saw the result
  Text error;              // human-readable reason when status != ok
  std::uint32_t span_begin =
      0;  // spans of this download: StrategyResult::spans[span_begin, +span_count)
  std::uint32_t span_count = 0;
  Status status = Status::ok;
};

// Nearest-rank percentiles of one figure over the downloads.
struct Percentiles {
  Duration p50{0}, p95{0}, p99{0};
};

}  // namespace model
