#include "model/tally.hpp"

#include <algorithm>
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

// The same ranks as percentile() over the sorted values, each found in what the last left;
// then the values are let go.
Percentiles percentiles(std::vector<Duration>& values) {
  Percentiles out;
  if (!values.empty()) {
    std::size_t p50 = 0, p95 = 0, p99 = 0;
    out.p50 = select(values, 0, 50, &p50);
    out.p95 = select(values, p50 + 1, 95, &p95);
    out.p99 = select(values, p95 + 1, 99, &p99);
  }
  std::vector<Duration>().swap(values);
  return out;
}

}  // namespace

std::int64_t max_waiting(std::vector<Time> arrivals, std::vector<Time> starts) {
  std::sort(arrivals.begin(), arrivals.end());
  std::sort(starts.begin(), starts.end());
  WaitCount count;
  const auto arrival = [&](std::size_t i) { return arrivals[i]; };
  for (Time t : starts)
    count.started(t, arrivals.size(), arrival);
  return count.most(arrivals.size());
}

Tally::Tally(int lanes, std::size_t host_count)
    : lane_busy(static_cast<std::size_t>(std::max(1, lanes)), Duration::zero()),
      hosts(std::max<std::size_t>(host_count, 1)) {}

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
  if (hosts.size() > 1) h.own.push_back(own);
  // Only a download that made an attempt has a per-request time and a queue time.
  done_.push_back(o.end - o.submitted);
  time_to_result_.push_back(o.consumed - o.submitted);
  if (o.lane >= 0 && o.status != Status::not_started) {
    per_request_.push_back(own);
    queue_time_.push_back(o.start - o.submitted);
  }
}

void Tally::finish() {
  done = percentiles(done_);
  per_request = percentiles(per_request_);
  time_to_result = percentiles(time_to_result_);
  queue_time = percentiles(queue_time_);
  for (HostTally& h : hosts) {
    if (h.own.empty()) continue;
    const std::size_t rank = (h.own.size() + 1) / 2 - 1;  // nearest rank of the 50th percentile
    std::nth_element(h.own.begin(), h.own.begin() + static_cast<std::ptrdiff_t>(rank), h.own.end());
    h.median = h.own[rank];
    std::vector<Duration>().swap(h.own);
  }
}

}  // namespace model
