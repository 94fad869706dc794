#include "model/tally.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace model {

namespace {

// The nearest-rank value at percentile p of `values`, put in its sorted place among those from
// `from` on (the ones before are the smaller ones, placed by an earlier call): O(n), no sort.
Duration select(std::vector<Duration>& values, std::size_t from, double p, std::size_t* at) {
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  *at = std::clamp<std::size_t>(rank, 1, values.size()) - 1;
  std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(std::min(from, *at)),
                   values.begin() + static_cast<std::ptrdiff_t>(*at), values.end());
  return values[*at];
}

// Histogram buckets: one per nanosecond below 2^11, then 1024 per power of two.
constexpr int kExactBits = 11;
constexpr int kSubBits = 10;
std::size_t bucket_of(Duration d) {
  const auto v = static_cast<std::uint64_t>(std::max<Duration::rep>(0, d.count()));
  if (v < (std::uint64_t{1} << kExactBits)) return static_cast<std::size_t>(v);
  const int e = std::bit_width(v) - 1;  // >= kExactBits
  const int shift = e - kSubBits;
  return (std::size_t{1} << kExactBits) +
         static_cast<std::size_t>(e - kExactBits) * (std::size_t{1} << kSubBits) +
         static_cast<std::size_t>((v >> shift) - (std::uint64_t{1} << kSubBits));
}
// The middle of a bucket.
Duration middle_of(std::size_t b) {
  if (b < (std::size_t{1} << kExactBits)) return Duration{static_cast<Duration::rep>(b)};
  const std::size_t past = b - (std::size_t{1} << kExactBits);
  const int e = kExactBits + static_cast<int>(past >> kSubBits);
  const int shift = e - kSubBits;
  const std::uint64_t low =
      ((std::uint64_t{1} << kSubBits) + (past & ((std::size_t{1} << kSubBits) - 1))) << shift;
  return Duration{static_cast<Duration::rep>(low + ((std::uint64_t{1} << shift) >> 1))};
}

}  // namespace

void Figure::add(Duration d) {
  if (exact_) {
    values_.push_back(d);
    return;
  }
  const std::size_t b = bucket_of(d);
  if (counts_.empty()) {
    first_ = b;
  } else if (b < first_) {
    counts_.insert(counts_.begin(), first_ - b, 0);
    first_ = b;
  }
  if (b - first_ >= counts_.size()) counts_.resize(b - first_ + 1, 0);
  ++counts_[b - first_];
  ++total_;
}

std::vector<Duration> Figure::at(const std::vector<double>& ps) {
  std::vector<Duration> out;
  if (exact_) {
    // Each found in what the last left: the same ranks as percentile() over sorted values.
    std::size_t from = 0;
    for (double p : ps) {
      std::size_t at = 0;
      out.push_back(values_.empty() ? Duration::zero() : select(values_, from, p, &at));
      from = at + 1;
    }
    std::vector<Duration>().swap(values_);
    return out;
  }
  for (double p : ps) {
    if (total_ == 0) {
      out.push_back(Duration::zero());
      continue;
    }
    const auto rank = std::clamp<std::int64_t>(
        static_cast<std::int64_t>(std::ceil(p / 100.0 * static_cast<double>(total_))), 1, total_);
    std::int64_t seen = 0;
    std::size_t i = 0;
    while (seen + counts_[i] < rank)
      seen += counts_[i++];
    out.push_back(middle_of(first_ + i));
  }
  std::vector<std::int64_t>().swap(counts_);
  total_ = 0;
  return out;
}

Percentiles Figure::percentiles() {
  const std::vector<Duration> v = at({50, 95, 99});
  return {v[0], v[1], v[2]};
}

std::int64_t max_waiting(std::vector<Time> arrivals, std::vector<Time> starts) {
  std::sort(arrivals.begin(), arrivals.end());
  std::sort(starts.begin(), starts.end());
  WaitCount count;
  const auto arrival = [&](std::size_t i) { return arrivals[i]; };
  for (Time t : starts)
    count.started(t, arrivals.size(), arrival);
  return count.most(arrivals.size());
}

Tally::Tally(int lanes, std::size_t host_count, bool exact_figures)
    : lane_busy(static_cast<std::size_t>(std::max(1, lanes)), Duration::zero()),
      hosts(std::max<std::size_t>(host_count, 1)),
      exact(exact_figures),
      done_(exact_figures),
      per_request_(exact_figures),
      time_to_result_(exact_figures),
      queue_time_(exact_figures) {
  for (HostTally& h : hosts)
    h.own = Figure(exact_figures);
}

void Tally::add(const Outcome& o) {
  ++downloads;
  attempts += o.attempts;
  ++counts[static_cast<int>(o.status)];
  first_arrival = std::min(first_arrival, o.submitted);
  first_consumed = std::min(first_consumed, o.consumed);
  last = std::max({last, o.consumed, o.end});
  const Duration own = o.end - o.start;
  if (o.lane >= 0 && static_cast<std::size_t>(o.lane) < lane_busy.size())
    lane_busy[static_cast<std::size_t>(o.lane)] += own;
  lifetime.add(o.end - o.submitted);
  bytes.add(o.bytes);
  longest = std::max(longest, own);
  unqueued_end = std::max(unqueued_end, sim::add_saturating(o.submitted, own));
  if (downloads == 1 || o.end > last_end || (o.end == last_end && o.id < last_ended)) {
    last_end = o.end;
    last_ended = o.id;
    last_ended_host = o.host;
  }
  if (o.status == Status::error || o.status == Status::timeout)
    ++errors[o.error.empty() ? std::string(to_string(o.status)) : o.error.str()];
  HostTally& h = hosts[o.host < hosts.size() ? o.host : 0];
  ++h.downloads;
  h.attempts += o.attempts;
  if (o.status == Status::ok) {
    ++h.ok;
    h.ok_bytes.add(o.bytes);
  } else {
    ++h.failed;
  }
  h.last_end = std::max(h.last_end, o.end);
  if (hosts.size() > 1) h.own.add(own);
  // Only a download that made an attempt has a per-request time and a queue time.
  done_.add(o.end - o.submitted);
  time_to_result_.add(o.consumed - o.submitted);
  if (o.lane >= 0 && o.status != Status::not_started) {
    per_request_.add(own);
    queue_time_.add(o.start - o.submitted);
  }
}

void Tally::finish() {
  done = done_.percentiles();
  per_request = per_request_.percentiles();
  time_to_result = time_to_result_.percentiles();
  queue_time = queue_time_.percentiles();
  for (HostTally& h : hosts)
    h.median = h.own.at({50}).front();
}

}  // namespace model
