// Running strategies live: the model's own strategy code (model::run_strategy) on a wall
// clock with the libcurl transport, giving the same RunRecords as a simulation, marked live.
// Also the SIGINT/SIGTERM watcher that stops a live run gracefully.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <thread>
#include <vector>

#include <signal.h>

#include "live/curl_stop.hpp"
#include "live/curl_transport.hpp"
#include "live/test_server.hpp"
#include "model/scenario.hpp"
#include "model/strategy_run.hpp"

namespace live {

struct LiveRunOptions {
  CurlOptions curl;  // url_template must be set; curl.stop wires a LiveStop
  bool record_log = false;
  model::Progress* progress = nullptr;  // told of each finished download (e.g. a progress bar)
};

struct LiveRun {
  std::vector<model::RunRecord> runs;       // in the order asked, result.live = true
  bool interrupted = false;                 // a stop request cut the last run short (no later runs)
  std::vector<CurlTransport::Stats> stats;  // per run
};

// Passes progress on and, once the last download has its outcome, fast-forwards the clock:
// the strategy code leaves each attempt's deadline timer running when the attempt wins,
// which costs nothing in a simulation but would hold a wall-clock run for the whole timeout.
class FinishLine : public model::Progress {
 public:
  FinishLine(WallClock& clock, model::Progress* next) : clock_(&clock), next_(next) {}
  void downloads_done(std::size_t done, std::size_t total) override;

 private:
  WallClock* clock_;
  model::Progress* next_;
};

// Runs one strategy for real. On a stop request (options.curl.stop): no new transfers start,
// no more retries, transfers in flight get options.curl.stop_grace, then are cut off; every
// download still gets one outcome (the ones not fetched: status error, "interrupted").
// Once every download has its outcome the clock fast-forwards: what is left are timers
// that can no longer change anything (the deadlines of attempts that finished in time).
model::RunRecord run_live_strategy(const model::Scenario& scenario, const model::Strategy& strategy,
                                   const std::vector<model::Job>& jobs, std::uint64_t seed,
                                   const LiveRunOptions& options,
                                   CurlTransport::Stats* stats = nullptr);

// Runs the strategies one after another; stops after the run a stop request interrupted.
LiveRun run_live(const model::Scenario& scenario,
                 const std::vector<const model::Strategy*>& strategies,
                 const std::vector<model::Job>& jobs, std::uint64_t seed,
                 const LiveRunOptions& options);

// The built-in server's options for a live run of `jobs` (loopback, a free port): the
// scenario's server knobs (serve_options_from), serving exactly the jobs' body sizes.
ServeOptions local_serve_options(const model::Scenario& scenario,
                                 const std::vector<model::Job>& jobs);

// While it exists, SIGINT and SIGTERM stop `stop` instead of the process (a second one ends
// the process at once, exit status 130). Blocks those signals in the calling thread, so
// create it before starting other threads (they inherit the mask); a watcher thread takes
// them. The destructor restores the previous mask.
class SignalStop {
 public:
  explicit SignalStop(LiveStop& stop);
  ~SignalStop();
  SignalStop(const SignalStop&) = delete;
  SignalStop& operator=(const SignalStop&) = delete;
  // The signal that asked for the stop (0: none yet).
  int signal() const { return signal_.load(); }

 private:
  LiveStop* stop_;
  sigset_t set_{}, previous_{};
  std::atomic<bool> done_{false};
  std::atomic<int> signal_{0};
  std::thread watcher_;
};

}  // namespace live
