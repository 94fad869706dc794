// The record of what happened: one Outcome per download, its phase spans, and a strategy's run.
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

struct Summary {
  Duration makespan{0};             // first arrival to last consumption
  double throughput_per_s = 0;      // completed downloads (any status) per second of makespan
  Duration p50{0}, p95{0}, p99{0};  // completion: end - submitted (sweeps, validate)
  Percentiles per_request;          // end - start: from its first attempt on, what a server sees
  Percentiles time_to_result;       // consumed - submitted: what the caller waits for each result
  Duration first_result{0};         // when the first result reached the caller
  Percentiles queue_time;           // start - submitted: the wait for a lane after arriving
  std::int64_t max_waiting = 0;     // most downloads arrived and not yet started at once
  Time first_arrival{0};            // the makespan and first_result count from here
  std::array<std::int64_t, kStatusCount> counts{};  // indexed by Status
  Duration lower_bound{0};                          // no strategy can finish this workload faster
  std::vector<double> lane_busy;  // per lane, fraction of the makespan spent on downloads
};

// What limited a run (model/explain.hpp): each shared resource the strategy met, how busy it was
// over the makespan and how much of the downloads' time went to waiting for it.
struct Constraint {
  std::string name;      // "lanes", "server workers", "link", "CPU", "client pool", ...
  std::string capacity;  // "20 threads", "4 workers", "10 Mbit/s", "1 slot (GIL)", ...
  double busy = -1;      // its use over the makespan, 0..1; -1: not measured
  double waiting = -1;   // share of the downloads' time spent waiting for it; -1: none
  // For drawing its use over time (the Gantt's strips): the phase in which a download holds it
  // (service, cpu, transfer; queued: not drawn) and how much of it there is (slots, or for the
  // link body bytes per second).
  Phase holds = Phase::queued;
  double amount = 0;
};
struct Explanation {
  std::vector<Constraint> constraints;
  int binding = -1;     // index into constraints; -1: none binds (each download's own time)
  std::string verdict;  // one line: "bound by server workers (4 of 4 busy 99%); ..."
};

struct StrategyResult {
  std::string name;    // the scenario's strategy name
  std::string kind;    // "sequential", "pool", "async"
  std::string detail;  // e.g. "20 threads, in order"
  int lanes = 1;
  bool live = false;
  std::vector<Outcome> downloads;  // by id
  // Grouped by download (Outcome::span_begin, span_count), in time order within one; the
  // downloads' groups in the order they ended. A deque: it grows without moving what it holds,
  // and a run's spans are its largest part.
  // Without all_spans, only the spans of Phase::pool and Phase::cpu are kept (what the
  // summaries and the explanation read: model/strategy_run.hpp).
  std::deque<PhaseSpan> spans;
  bool all_spans = true;
  // The time of every download's spans (kept or not), by Phase.
  std::array<TimeSum, kPhaseCount> phase_time{};
  std::vector<FailedAttempt> failed_attempts;  // in time order
  Summary summary;
  Explanation explanation;
  std::uint64_t events = 0;  // engine events processed
  // The Gantt's name of each lane when they are not the strategy's workers or slots (a
  // crawl's connections by host, plots::by_host); empty: "worker N", "slot N".
  std::vector<std::string> lane_names;
};

// Calls f(span) for every span, download by download in id order: sums over spans then do
// not depend on the order in which downloads ended.
template <class F>
void for_each_span_by_id(const StrategyResult& r, F&& f) {
  for (const Outcome& o : r.downloads)
    for (std::uint32_t k = 0; k < o.span_count && o.span_begin + k < r.spans.size(); ++k)
      f(r.spans[o.span_begin + k]);
}

}  // namespace model
