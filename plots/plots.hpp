// Pictures and exports of strategy runs: Gantt and timeline SVGs, Chrome trace JSON, CSV.
// Reads model outcome records only; every function returns deterministic text.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "model/outcome.hpp"
#include "plots/output_files.hpp"

namespace plots {

// What the caller knows about the run that the results do not say.
struct ChartInfo {
  std::string scenario{};    // names the figure, e.g. "loiter"
  std::string subtitle{};    // optional second title line, e.g. "seed 42 · 20 downloads"
  bool shared_axis = false;  // Gantt: one time axis for every panel, however they differ
  // Timeline: count results as the caller consumed them (in order, like Executor.map, or as
  // completed), instead of downloads as they completed.
  bool consumed = false;
};

// Gantt panels share one time axis when their makespans are within this factor of each other;
// otherwise each panel is drawn on its own axis (unless ChartInfo::shared_axis).
inline constexpr double kSharedAxisRatio = 3;

// One panel per strategy, on a shared time axis or one per panel (see kSharedAxisRatio); one lane
// per worker/slot; bars split by phase.
std::string gantt_svg(const std::vector<model::StrategyResult>& results, const ChartInfo& info);

// A crawl's run with its lanes regrouped by host for the Gantt: each host's downloads packed
// into as few lanes as never overlap, by the time each held a connection (its connect,
// request, server and transfer phases, the only spans kept), the hosts in the scenario's
// order, each lane named by its host. So a host's lanes are the connections it had at once.
model::StrategyResult by_host(const model::StrategyResult& r,
                              const std::vector<std::string>& hosts);
// The same with each connection's downloads (Outcome::connection) as a group: an HTTP/2
// connection's lanes are its streams at once. Connections in the order the run opened them
// (named by host in a crawl), downloads that never had one last.
model::StrategyResult by_connection(const model::StrategyResult& r,
                                    const std::vector<std::string>& hosts);

// Completed downloads (or, with ChartInfo::consumed, results the caller consumed) against time,
// one step line per strategy. `live` may be empty; when both
// are given, simulated lines are dashed and live lines solid (matched by strategy name).
std::string timeline_svg(const std::vector<model::StrategyResult>& sim,
                         const std::vector<model::StrategyResult>& live, const ChartInfo& info);

// One horizontal bar per strategy, as long as its makespan, split into the phases' shares of
// the lane time (lanes x makespan) and idle; the lower bound is marked on each bar.
std::string summary_svg(const std::vector<model::StrategyResult>& results, const ChartInfo& info);

// Per phase, the fraction of a run's lane time (lanes x makespan) spent in it; queued is 0.
std::array<double, model::kPhaseCount> lane_time_shares(const model::StrategyResult& r);

// Chrome Trace Event Format (opens in ui.perfetto.dev): one process per strategy, one thread per
// lane, one complete event per phase span. Queued spans overlap, so they are async events.
// A strategy with more than `full_limit` downloads is written as a sample: its first and last
// full_limit / 2 downloads (by id), plus an "in flight" counter (downloads between start and
// end) at 2,000 evenly spaced instants of the whole run; `sampled` (when given) is set then.
inline constexpr std::size_t kTraceFullLimit = 20'000;
std::string chrome_trace_json(const std::vector<model::StrategyResult>& results,
                              std::size_t full_limit = kTraceFullLimit, bool* sampled = nullptr);

// One row per download and phase span (a download with no spans still gets one row).
std::string downloads_csv(const std::vector<model::StrategyResult>& results);
// The same, piece by piece (a download's rows at a time), for a file too large to hold.
// With a crawl's host names (`hosts`, indexed by Outcome::host) a `host` column follows `name`.
void write_downloads_csv(const std::vector<model::StrategyResult>& results, const Sink& sink,
                         const std::vector<std::string>& hosts = {});

}  // namespace plots
