#include "live/live_run.hpp"

#include <pthread.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "live/serve_options.hpp"
#include "live/wall_clock.hpp"

namespace live {

model::RunRecord run_live_strategy(const model::Scenario& scenario, const model::Strategy& strategy,
                                   const std::vector<model::Job>& jobs, std::uint64_t seed,
                                   const LiveRunOptions& options, CurlTransport::Stats* stats) {
  // This run's own copy of the scenario: the strategy code reads its client policy as it
  // goes, so a stop request can end retries for the rest of the run.
  model::Scenario policy = scenario;
  WallClock clock;
  sim::Simulation sim(clock);
  model::Client& client = policy.client_of(strategy);
  CurlTransport transport(sim, clock, policy, client, options.curl);
  transport.on_stop([&client] { client.retries = 0; });
  FinishLine finish(clock, options.progress);
  clock.restart();
  model::RunRecord record = model::run_strategy(sim, transport, policy, strategy, jobs, seed,
                                                options.record_log, &finish);
  if (stats != nullptr) *stats = transport.stats();
  return record;
}

LiveRun run_live(const model::Scenario& scenario,
                 const std::vector<const model::Strategy*>& strategies,
                 const std::vector<model::Job>& jobs, std::uint64_t seed,
                 const LiveRunOptions& options) {
  LiveRun out;
  const LiveStop* stop = options.curl.stop;
  for (const model::Strategy* strategy : strategies) {
    if (stop != nullptr && stop->requested()) {
      out.interrupted = true;
      break;
    }
    CurlTransport::Stats stats;
    out.runs.push_back(run_live_strategy(scenario, *strategy, jobs, seed, options, &stats));
    out.stats.push_back(stats);
    if (stop != nullptr && stop->requested()) {
      out.interrupted = true;
      break;
    }
  }
  return out;
}

ServeOptions local_serve_options(const model::Scenario& scenario,
                                 const std::vector<model::Job>& jobs) {
  ServeOptions o = serve_options_from(scenario);
  o.host = "127.0.0.1";
  o.port = 0;
  if (scenario.workload.kind == model::Workload::Kind::generated) {
    o.item_size = generated_item_sizes(jobs);  // the sizes this run's simulation drew
  }
  return o;
}

void FinishLine::downloads_done(std::size_t done, std::size_t total) {
  if (next_ != nullptr) next_->downloads_done(done, total);
  if (done == total) clock_->fast_forward();
}

SignalStop::SignalStop(LiveStop& stop) : stop_(&stop) {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set_, &previous_);
  watcher_ = std::thread([this] {
    const timespec tick{0, 50'000'000};
    while (!done_.load()) {
      const int sig = sigtimedwait(&set_, nullptr, &tick);
      if (sig <= 0) continue;
      if (signal_.exchange(sig) != 0) {
        std::fputs("loiter: stopped at once\n", stderr);
        std::_Exit(130);
      }
      std::fputs(
          "loiter: stopping: no new transfers, a short grace for those in flight (again: quit "
          "at once)\n",
          stderr);
      stop_->request();
    }
  });
}

SignalStop::~SignalStop() {
  done_ = true;
  watcher_.join();
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

}  // namespace live
