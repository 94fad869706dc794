// What a run's reports read of its downloads, gathered one download at a time as each is
// settled (ended and consumed), in any order: a run need not keep its downloads to report on
// them. Every figure is exact and does not depend on the order the downloads came in (integer
// sums and extremes, ties broken by id); the percentiles are worked out by finish().
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/download.hpp"

namespace model {

// A sum of byte counts that does not overflow (10^8 downloads of up to a terabyte each).
struct ByteSum {
  std::uint64_t low = 0, high = 0;  // high * 2^64 + low
  void add(std::int64_t bytes) {
    const auto b = static_cast<std::uint64_t>(std::max<std::int64_t>(0, bytes));
    low += b;
    if (low < b) ++high;
  }
  double value() const {
    return static_cast<double>(high) * 18446744073709551616.0 + static_cast<double>(low);
  }
};

// The most downloads arrived and not yet started at once: +1 at each arrival, -1 at each
// start, in time order. A start comes before an arrival at the same instant: a download handed
// over and taken at once never waits. Arrivals are read in time order from `arrival(i)`;
// starts are told as they happen, in time order.
class WaitCount {
 public:
  void started(Time at, std::size_t arrivals, const auto& arrival) {
    while (arrived_ < arrivals && arrival(arrived_) < at) {
      most_ = std::max(most_, ++now_);
      ++arrived_;
    }
    --now_;
  }
  // After the last start: the arrivals left.
  std::int64_t most(std::size_t arrivals) {
    if (arrived_ < arrivals)
      most_ = std::max(most_, now_ + static_cast<std::int64_t>(arrivals - arrived_));
    arrived_ = arrivals;
    now_ = 0;
    return most_;
  }

 private:
  std::size_t arrived_ = 0;
  std::int64_t now_ = 0, most_ = 0;
};
// The same over times in any order.
std::int64_t max_waiting(std::vector<Time> arrivals, std::vector<Time> starts);

// The values of one figure, for its nearest-rank percentiles: each kept (exact), or counted in
// a histogram whose buckets are at most 1/1024 of their values wide (below 2048 ns, one per
// nanosecond), a percentile then being its bucket's middle: within kHistogramError of the
// exact one. A run of more than kExactUpTo downloads that keeps none counts them.
inline constexpr double kHistogramError = 1.0 / 2048;
inline constexpr std::int64_t kExactUpTo = 10'000'000;
class Figure {
 public:
  explicit Figure(bool exact = true) : exact_(exact) {}
  void add(Duration d);
  // The value at each percentile (p in (0, 100], ascending); the values are then let go.
  std::vector<Duration> at(const std::vector<double>& ps);
  Percentiles percentiles();

 private:
  bool exact_;
  std::vector<Duration> values_;
  // The histogram: counts_[i] is bucket first_ + i.
  std::size_t first_ = 0;
  std::vector<std::int64_t> counts_;
  std::int64_t total_ = 0;
};

struct HostTally {
  std::int64_t downloads = 0, failed = 0, ok = 0;  // failed: any outcome but ok
  std::int64_t attempts = 0;                       // every attempt, failed ones too
  ByteSum ok_bytes;                                // the bodies of its successful downloads
  Time last_end{0};
  Duration pool_wait{0};  // summed over its downloads (phase pool)
  Duration median{0};     // per-request time (end - start), nearest rank; by finish()
  Figure own;             // end - start, until finish()
};

struct Tally {
  Tally() = default;
  // `exact`: percentiles from every value (else a histogram: Figure).
  Tally(int lanes, std::size_t hosts, bool exact = true);

  void add(const Outcome& o);
  // The percentiles, from the values gathered (which it then lets go).
  void finish();

  std::int64_t downloads = 0;
  std::int64_t attempts = 0;
  std::array<std::int64_t, kStatusCount> counts{};
  Time first_arrival = sim::kTimeMax, first_consumed = sim::kTimeMax, last{0};
  std::vector<Duration> lane_busy;  // per lane, end - start summed
  TimeSum lifetime;                 // end - submitted, summed
  ByteSum bytes;
  Duration longest{0};           // the longest end - start
  Time unqueued_end{0};          // the latest submitted + (end - start)
  std::uint32_t last_ended = 0;  // the first (by id) of those that ended last
  std::uint32_t last_ended_host = 0;
  Time last_end{0};
  std::map<std::string, std::int64_t> errors;  // errors and timeouts by reason
  std::vector<HostTally> hosts;
  // finish(): completion (end - submitted), per request (end - start) and queue time
  // (start - submitted) of the downloads that made an attempt, time to result.
  Percentiles done, per_request, time_to_result, queue_time;
  bool exact = true;  // the percentiles: exact, or within kHistogramError

 private:
  Figure done_, per_request_, time_to_result_, queue_time_;
};

}  // namespace model
