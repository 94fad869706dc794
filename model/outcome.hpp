// The record of what happened: one Outcome per download (model/download.hpp), its phase
// spans, the tally of them all, and a strategy's run.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "model/download.hpp"
#include "model/tally.hpp"

namespace model {

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
  // 0: the percentiles are exact; else each is within this fraction of the exact one (they
  // come from histograms: a run of more than kExactUpTo downloads that keeps none).
  double percentile_error = 0;
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
  std::vector<Outcome> downloads;  // by id; none in a lean run (all_spans) without a log
  // Grouped by download (Outcome::span_begin, span_count), in time order within one; the
  // downloads' groups in the order they ended. A deque: it grows without moving what it holds,
  // and a run's spans are its largest part.
  // Without all_spans, only the spans of Phase::pool and Phase::cpu are kept (what the
  // summaries and the explanation read: model/strategy_run.hpp), and no downloads: the
  // tally has what the reports read of them.
  std::deque<PhaseSpan> spans;
  bool all_spans = true;
  Tally tally;
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
