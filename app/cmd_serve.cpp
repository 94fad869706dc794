// `loiter serve`: the built-in HTTP test server, on loopback by default, until a signal.
#include <pthread.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "app/command.hpp"
#include "live/serve_options.hpp"
#include "live/test_server.hpp"
#include "model/distribution.hpp"
#include "model/units.hpp"

namespace app {

namespace {

struct ServeArgs {
  std::string scenario;
  std::string host = "127.0.0.1";
  int port = 8001;
  std::string dir;
  std::optional<int> workers;
  std::optional<int> backlog;
  std::string delay;
  std::optional<double> seconds;
  std::optional<std::uint64_t> requests;
  std::string trace;
};

// Waits for Ctrl-C or SIGTERM, `seconds` to pass, or the server to have served `requests` (each
// answer sent to its last byte; checked every 10 ms), whichever comes first.
void wait_for_stop(const sigset_t& stop, const live::TestServer& server,
                   std::optional<double> seconds, std::optional<std::uint64_t> requests) {
  if (!requests) {
    if (seconds) {
      timespec limit{};
      limit.tv_sec = static_cast<time_t>(*seconds);
      limit.tv_nsec = static_cast<long>((*seconds - static_cast<double>(limit.tv_sec)) * 1e9);
      sigtimedwait(&stop, nullptr, &limit);
    } else {
      int sig = 0;
      sigwait(&stop, &sig);
    }
    return;
  }
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const timespec tick{0, 10'000'000};
  while (server.stats().served < *requests) {
    if (sigtimedwait(&stop, nullptr, &tick) > 0) return;
    if (seconds && std::chrono::duration<double>(Clock::now() - start).count() >= *seconds) return;
  }
}

int serve_command(const ServeArgs& a) {
  live::ServeOptions opt;
  if (!a.scenario.empty()) {
    opt = live::serve_options_from(load_scenario_or_bad_input(a.scenario));
  }
  opt.host = a.host;
  opt.port = a.port;
  if (a.workers) {
    if (*a.workers < 1) throw BadInput("--workers: expected a whole number of at least 1");
    opt.workers = *a.workers;
  }
  if (a.backlog) opt.backlog = *a.backlog;
  if (!a.delay.empty()) {
    try {
      const double delay = model::parse_duration(a.delay);
      if (!(delay <= model::kMaxDrawnSeconds))
        throw std::invalid_argument(fmt::format("{} is more than 1e8 s", a.delay));
      opt.delay = sim::from_seconds(delay);
      opt.delay_sampler = nullptr;
    } catch (const std::exception& e) {
      throw BadInput(std::string("--delay: ") + e.what());
    }
  }
  if (!a.dir.empty()) opt.directory = a.dir;
  if (!a.trace.empty()) opt.trace = a.trace;

  // Block the stop signals in every thread; this one waits for them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  std::optional<live::TestServer> server;
  try {
    server.emplace(opt);  // checks the options
  } catch (const std::invalid_argument& e) {
    throw BadInput(std::string("loiter serve: ") + e.what());
  }
  try {
    server->start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loiter serve: %s\n", e.what());
    return kFailed;
  }
  std::printf("serving on %s (Ctrl-C stops)\n", server->base_url().c_str());
  std::fflush(stdout);
  wait_for_stop(stop, *server, a.seconds, a.requests);
  server->stop();
  const auto st = server->stats();
  std::fprintf(stderr, "loiter serve: stopped after %llu requests\n",
               static_cast<unsigned long long>(st.requests));
  return kOk;
}

}  // namespace

Command add_serve_command(CLI::App& cli) {
  auto args = std::make_shared<ServeArgs>();
  ServeArgs& serve = *args;
  auto* serve_cmd = cli.add_subcommand(
      "serve", "Run the built-in HTTP test server (loopback by default) until Ctrl-C or SIGTERM.");
  serve_cmd->add_option("scenario", serve.scenario,
                        "Scenario whose server knobs and items to serve (optional)");
  serve_cmd->add_option("--host", serve.host, "Address to bind (default 127.0.0.1)");
  serve_cmd->add_option("--port", serve.port, "Port (0 picks a free one and prints it)")
      ->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--dir", serve.dir, "Also serve the files below this folder (read-only)");
  serve_cmd->add_option("--workers", serve.workers, "Requests served at once (1 to 10000)")
      ->check(CLI::Range(1, 10000));
  serve_cmd
      ->add_option("--backlog", serve.backlog,
                   "listen() backlog, 1 to 65535: connections waiting to be accepted (Linux "
                   "queues one more); the rest have their SYN dropped and retried after 1 s")
      ->check(CLI::Range(1, 65535));
  serve_cmd->add_option("--delay", serve.delay, "Service delay of every request, e.g. 200ms");
  serve_cmd
      ->add_option("--seconds", serve.seconds,
                   "Stop by itself after this many seconds (0.001 to 1e8)")
      ->check(finite_range(1e-3, 1e8));
  serve_cmd
      ->add_option("--requests", serve.requests,
                   "Stop by itself once it has answered this many requests (1 to 1e9)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000'000}));
  serve_cmd->add_option("--trace", serve.trace,
                        "Write one CSV row per request to this file as they are served "
                        "(columns: README, \"loiter serve\")");

  return {serve_cmd, [args] { return serve_command(*args); }};
}

}  // namespace app
