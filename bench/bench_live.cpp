// Live-mode benchmark: loiter's async strategy fetching N small bodies (default 10,000 of
// 1 KiB) from the built-in server (no delay, keep-alive) with 64 in flight, against
// `curl --parallel --parallel-max 64` fetching the same URL list from the same server, in
// the same run (same libcurl underneath). Rounds alternate loiter and curl; the best round
// of each counts. curl's time includes its process start and reading the config of N
// entries; loiter's includes setting up its run, not building the job list. Prints key=value
// lines:
//   case=loiter downloads=... wall_s=... per_s=... ok=... connections=... (opened, last round)
//   case=curl   downloads=... wall_s=... per_s=... exit=...
//   case=ratio  loiter_over_curl=...   (throughput; target: at least 1)
// `bench_live N ROUNDS` changes the counts.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "live/live_run.hpp"
#include "live/test_server.hpp"
#include "model/simulate.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kConcurrency = 64;
constexpr std::int64_t kBodyBytes = 1024;

model::Scenario small_bodies(int n) {
  model::Scenario s;
  s.name = "bench-live";
  s.workload.kind = model::Workload::Kind::items;
  for (int i = 0; i < n; ++i)
    s.workload.items.push_back({"item-" + std::to_string(i), kBodyBytes});
  s.client.keep_alive = true;  // as curl does
  s.client.timeout = std::chrono::seconds(30);
  model::Strategy async;
  async.name = "async-64";
  async.kind = model::Strategy::Kind::async;
  async.max_concurrency = kConcurrency;
  s.strategies.push_back(async);
  return s;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10'000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  if (n <= 0 || rounds <= 0) {
    std::fprintf(stderr, "usage: bench_live [DOWNLOADS [ROUNDS]]\n");
    return 2;
  }
  const model::Scenario scenario = small_bodies(n);
  const auto jobs = model::make_jobs(scenario, scenario.seed);

  live::ServeOptions serve;
  serve.workers = 0;  // no service limit: the clients are measured, not the server
  serve.connection_threads = kConcurrency + 16;
  serve.keep_alive_max_requests = 1'000'000;
  for (const auto& item : scenario.workload.items)
    serve.items[item.name] = item.bytes;
  live::TestServer server(serve);
  server.start();
  const std::string base = server.base_url();

  // curl's config: one url and one output per item.
  const auto dir = std::filesystem::temp_directory_path() / "loiter-bench-live";
  std::filesystem::create_directories(dir);
  const auto config = dir / "urls.cfg";
  {
    std::ofstream cfg(config);
    for (const auto& job : jobs)
      cfg << "url = \"" << base << "/" << job.name << "\"\noutput = \"/dev/null\"\n";
  }
  const std::string curl_cmd = "curl --silent --parallel --parallel-max " +
                               std::to_string(kConcurrency) + " -K " + config.string() +
                               " 2>/dev/null";  // curl 7.88 draws its parallel meter even with -s

  live::LiveRunOptions options;
  options.curl.url_template = base + "/{name}";
  double best_loiter = 1e300, best_curl = 1e300;
  std::int64_t ok = 0;
  live::CurlTransport::Stats stats;
  int curl_exit = 0;
  for (int round = 0; round < rounds; ++round) {
    auto t = Clock::now();
    const auto run = live::run_live_strategy(scenario, scenario.strategies[0], jobs, scenario.seed,
                                             options, &stats);
    best_loiter = std::min(best_loiter, seconds_since(t));
    ok = run.result.summary.counts[static_cast<int>(model::Status::ok)];

    t = Clock::now();
    curl_exit = std::system(curl_cmd.c_str());
    best_curl = std::min(best_curl, seconds_since(t));
  }
  server.stop();
  std::filesystem::remove_all(dir);

  std::printf(
      "case=loiter downloads=%d concurrency=%d wall_s=%.3f per_s=%.0f ok=%lld connections=%llu\n",
      n, kConcurrency, best_loiter, n / best_loiter, static_cast<long long>(ok),
      static_cast<unsigned long long>(stats.new_connections));
  std::printf("case=curl downloads=%d concurrency=%d wall_s=%.3f per_s=%.0f exit=%d\n", n,
              kConcurrency, best_curl, n / best_curl, curl_exit);
  std::printf("case=ratio loiter_over_curl=%.2f\n", best_curl / best_loiter);
  return ok == n && curl_exit == 0 ? 0 : 1;
}
