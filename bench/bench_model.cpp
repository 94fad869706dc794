// Model benchmark: the download model at scale. The scenario of scenarios/million.toml,
// built in code so the benchmark runs from any folder (lognormal sizes around 2.3 KiB,
// async with 1000 in flight, keep-alive, one shared 1 Gbit/s link, 30 s timeout) at 10^5
// and at 10^6 downloads, the smaller first so the peak RSS after each run belongs to it.
// Prints key=value lines for scripts:
//   case=model downloads=... wall_s=... events=... events_per_s=... peak_rss_mb=...
//   case=growth ratio=...   (wall at 10^6 / wall at 10^5; n log n would be ~12x)
//   case=http2 ...          (10^5 as HTTP/2 streams against the same over HTTP/1.1)
//   case=tcp ...            (10^6 with slow start, the default, against [network] tcp = false
//                            in the same run: wall ratio, events per download; target 1.5x;
//                            million.toml's bodies fit TCP's first window, so also 10^5
//                            bodies of ~100 KiB on new connections, 3-4 rounds each)
// Targets: the 10^6 run under 10 s and 1 GiB, growth at most 13x.
// `bench_model N` runs one case of N downloads only (for profiling).
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <vector>

#include "model/simulate.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// CPU seconds of this process so far (user + system): on a shared machine wall time also
// counts other people's builds, CPU time does not.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto secs = [](timeval t) { return static_cast<double>(t.tv_sec) + 1e-6 * t.tv_usec; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// scenarios/million.toml, with `downloads` generated items.
model::Scenario million(std::int64_t downloads, bool tcp = true, double size = 2.3 * 1024) {
  model::Scenario s;
  s.name = "million";
  s.seed = 1'000'000;
  s.workload.kind = model::Workload::Kind::generated;
  s.workload.count = downloads;
  s.workload.size = model::Distribution::lognormal(size, 0.3);
  s.network.rtt = model::Distribution::lognormal(0.030, 0.2);
  s.network.bandwidth = 1e9 / 8;  // 1 Gbit/s
  s.network.tcp = tcp;
  s.client.keep_alive = true;
  s.server.service = model::Distribution::exponential(0.005);
  s.client.timeout = std::chrono::seconds(30);
  model::Strategy async;
  async.name = "async-1000";
  async.kind = model::Strategy::Kind::async;
  async.max_concurrency = 1000;
  s.strategies.push_back(async);
  return s;
}

struct Figures {
  double wall_s = 0;
  double events = 0;
};

Figures run_case(std::int64_t downloads, bool tcp = true, double size = 2.3 * 1024,
                 bool http2 = false) {
  model::Scenario s = million(downloads, tcp, size);
  if (size > 2.3 * 1024) s.client.keep_alive = false;  // every body on a new connection
  s.client.http2 = http2;  // 1000 at once: 10 connections of 100 streams
  if (http2) s.client.keep_alive = true;
  const double cpu0 = cpu_seconds();
  const auto t0 = Clock::now();
  const std::vector<model::Job> jobs = model::make_jobs(s, s.seed);
  const model::RunRecord run = model::simulate_strategy(s, s.strategies.at(0), jobs, s.seed, false);
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  const double cpu = cpu_seconds() - cpu0;
  const model::StrategyResult& r = run.result;
  const std::int64_t ok = r.summary.counts[static_cast<int>(model::Status::ok)];
  std::printf(
      "case=model%s%s%s downloads=%lld wall_s=%.3f cpu_s=%.3f events=%llu events_per_s=%.3g "
      "peak_rss_mb=%.1f ok=%lld makespan_s=%.3f lower_bound_s=%.3f\n",
      size > 2.3 * 1024 ? "-100KiB" : "", tcp ? "" : "-tcp-off", http2 ? "-http2" : "",
      static_cast<long long>(downloads), wall, cpu, static_cast<unsigned long long>(r.events),
      static_cast<double>(r.events) / wall, peak_rss_mb(), static_cast<long long>(ok),
      sim::to_seconds(r.summary.makespan), sim::to_seconds(r.summary.lower_bound));
  std::fflush(stdout);
  return {wall, static_cast<double>(r.events)};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc > 1) {
      run_case(std::atoll(argv[1]));
      return 0;
    }
    const Figures small = run_case(100'000);
    const Figures large = run_case(1'000'000);
    std::printf("case=growth ratio=%.2f target=13\n", large.wall_s / small.wall_s);
    const Figures fluid = run_case(1'000'000, false);
    std::printf(
        "case=tcp wall_ratio=%.2f events_per_download=%.2f tcp_off_events_per_download=%.2f "
        "target=1.5\n",
        large.wall_s / fluid.wall_s, large.events / 1e6, fluid.events / 1e6);
    const Figures big = run_case(100'000, true, 100 * 1024);
    const Figures big_fluid = run_case(100'000, false, 100 * 1024);
    std::printf(
        "case=tcp-100KiB wall_ratio=%.2f events_per_download=%.2f "
        "tcp_off_events_per_download=%.2f\n",
        big.wall_s / big_fluid.wall_s, big.events / 1e5, big_fluid.events / 1e5);
    // HTTP/2: the same 10^5 downloads as streams, a sender per connection.
    const Figures streams = run_case(100'000, true, 2.3 * 1024, true);
    std::printf(
        "case=http2 wall_ratio=%.2f events_per_download=%.2f http1_events_per_download=%.2f\n",
        streams.wall_s / small.wall_s, streams.events / 1e5, small.events / 1e5);
    std::printf("case=targets wall_ok=%d rss_ok=%d\n", large.wall_s < 10.0 ? 1 : 0,
                peak_rss_mb() < 1024.0 ? 1 : 0);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_model: %s\n", e.what());
    return 1;
  }
  return 0;
}
