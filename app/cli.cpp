#include "app/cli.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include "app/event_log.hpp"
#include "app/output.hpp"
#include "app/report.hpp"
#include "live/serve_options.hpp"
#include "live/test_server.hpp"
#include "model/scenario_load.hpp"
#include "model/scenario_print.hpp"
#include "model/simulate.hpp"
#include "model/units.hpp"
#include "plots/plots.hpp"
#include "sim/errors.hpp"

namespace app {

namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kBadInput = 2;
constexpr std::size_t kMaxJsonDownloads = 100'000;

// A mistake in what the user asked for: reported on stderr, exit code 2.
struct BadInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RunArgs {
  std::string scenario;
  std::vector<std::string> strategies;
  std::optional<std::uint64_t> seed;
  std::string out;
  std::string format = "text";
  std::string downloads = "auto";
  bool log = false;
};

model::Scenario load(const std::string& path) {
  try {
    return model::load_scenario(path);
  } catch (const model::ScenarioError& e) {
    throw BadInput(e.what());
  }
}

std::optional<model::Duration> sequential_makespan(const model::Scenario& s,
                                                   const std::vector<model::RunRecord>& runs,
                                                   const std::vector<model::Job>& jobs,
                                                   std::uint64_t seed) {
  for (const auto& r : runs) {
    if (r.result.kind == "sequential") return r.result.summary.makespan;
  }
  model::Strategy seq;
  seq.name = "sequential";
  seq.kind = model::Strategy::Kind::sequential;
  return model::simulate_strategy(s, seq, jobs, seed, false).result.summary.makespan;
}

int run_command(const RunArgs& a) {
  const model::Scenario scenario = load(a.scenario);
  const std::uint64_t seed = a.seed.value_or(scenario.seed);
  std::vector<const model::Strategy*> chosen;
  try {
    chosen = model::select_strategies(scenario, a.strategies);
  } catch (const std::invalid_argument& e) {
    throw BadInput(e.what());
  }

  const std::vector<model::Job> jobs = model::make_jobs(scenario, seed);
  const bool progress = ::isatty(STDERR_FILENO) && jobs.size() * chosen.size() >= 100'000;
  std::vector<model::RunRecord> runs;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (progress) {
      std::fprintf(stderr, "\rsimulating %s (%zu/%zu)...\x1b[K", chosen[i]->name.c_str(), i + 1,
                   chosen.size());
    }
    runs.push_back(model::simulate_strategy(scenario, *chosen[i], jobs, seed, a.log));
  }
  if (progress) std::fprintf(stderr, "\r\x1b[K");

  std::vector<model::StrategyResult> results;
  for (const auto& r : runs)
    results.push_back(r.result);

  ReportInfo info;
  info.scenario = scenario.name;
  info.description = scenario.description;
  info.seed = seed;
  info.sequential_makespan = sequential_makespan(scenario, runs, jobs, seed);
  info.include_downloads =
      a.downloads == "yes" || (a.downloads == "auto" && jobs.size() <= kMaxJsonDownloads);

  // Everything is computed before anything is written.
  std::string report;
  if (a.format == "json") {
    report = json_report(results, info);
  } else if (a.format == "csv") {
    report = csv_report(results, info);
  } else {
    report = text_report(results, info);
  }
  OutputFiles files;
  if (!a.out.empty()) {
    const plots::ChartInfo chart{scenario.name,
                                 fmt::format("seed {} · {} downloads", seed, jobs.size())};
    files.emplace_back("report.json", a.format == "json" ? report : json_report(results, info));
    files.emplace_back("downloads.csv", plots::downloads_csv(results));
    files.emplace_back("gantt.svg", plots::gantt_svg(results, chart));
    files.emplace_back("timeline.svg", plots::timeline_svg(results, {}, chart));
    files.emplace_back("trace.json", plots::chrome_trace_json(results));
  }
  std::string log;
  if (a.log) {
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (runs.size() > 1) {
        log += fmt::format("{}== {} ({}: {}) ==\n", i == 0 ? "" : "\n", runs[i].result.name,
                           runs[i].result.kind, runs[i].result.detail);
      }
      log += event_log(runs[i].result, runs[i].log, jobs);
    }
  }

  if (!files.empty()) write_outputs(a.out, files);
  if (a.log) {
    // The log goes with a text report; machine formats keep stdout parseable.
    std::fputs(log.c_str(), a.format == "text" ? stdout : stderr);
    if (a.format == "text") std::fputs("\n", stdout);
  }
  std::fputs(report.c_str(), stdout);
  if (!a.out.empty()) {
    std::fprintf(stderr, "wrote");
    for (const auto& [name, contents] : files)
      std::fprintf(stderr, " %s", name.c_str());
    std::fprintf(stderr, " to %s\n", a.out.c_str());
  }
  return kOk;
}

int check_command(const std::string& path) {
  const model::Scenario scenario = load(path);
  std::fputs(model::print_scenario(scenario).c_str(), stdout);
  return kOk;
}

struct ServeArgs {
  std::string scenario;
  std::string host = "127.0.0.1";
  int port = 8001;
  std::string dir;
  std::optional<int> workers;
  std::string delay;
  std::optional<double> seconds;
};

int serve_command(const ServeArgs& a) {
  live::ServeOptions opt;
  if (!a.scenario.empty()) {
    opt = live::serve_options_from(load(a.scenario));
  }
  opt.host = a.host;
  opt.port = a.port;
  if (a.workers) {
    if (*a.workers < 1) throw BadInput("--workers: expected a whole number of at least 1");
    opt.workers = *a.workers;
  }
  if (!a.delay.empty()) {
    try {
      opt.delay = sim::from_seconds(model::parse_duration(a.delay));
      opt.delay_sampler = nullptr;
    } catch (const std::exception& e) {
      throw BadInput(std::string("--delay: ") + e.what());
    }
  }
  if (!a.dir.empty()) opt.directory = a.dir;

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
  if (a.seconds) {
    timespec limit{};
    limit.tv_sec = static_cast<time_t>(*a.seconds);
    limit.tv_nsec = static_cast<long>((*a.seconds - static_cast<double>(limit.tv_sec)) * 1e9);
    sigtimedwait(&stop, nullptr, &limit);
  } else {
    int sig = 0;
    sigwait(&stop, &sig);
  }
  server->stop();
  const auto st = server->stats();
  std::fprintf(stderr, "loiter serve: stopped after %llu requests\n",
               static_cast<unsigned long long>(st.requests));
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{
      "loiter: simulate, draw and verify download concurrency (sequential, worker pools, async)."};
  cli.require_subcommand(1);
  cli.footer(
      "Exit codes: 0 success, 1 the run failed (I/O, internal error), 2 bad input (command line or "
      "scenario).\n"
      "Run 'loiter COMMAND --help' for the options of a command.");

  RunArgs run;
  auto* run_cmd =
      cli.add_subcommand("run", "Simulate each strategy of a scenario and print the report.");
  run_cmd->add_option("scenario", run.scenario, "Scenario file (TOML)")->required();
  run_cmd->add_option("--strategy", run.strategies, "Run only these strategies (repeatable)");
  run_cmd->add_option("--seed", run.seed, "Seed for every random draw (default: the scenario's)");
  run_cmd->add_option(
      "--out", run.out,
      "Write report.json, downloads.csv, gantt.svg, timeline.svg, trace.json to this folder");
  run_cmd->add_option("--format", run.format, "Report format on stdout")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  run_cmd
      ->add_option("--downloads", run.downloads,
                   "Per-download records in the JSON report: yes, no, or auto (up to 100000)")
      ->check(CLI::IsMember({"yes", "no", "auto"}));
  run_cmd->add_flag("--log", run.log, "Print the event log, as the book's Executor.map demo does");

  std::string check_path;
  auto* check_cmd =
      cli.add_subcommand("check", "Validate a scenario and print it with every default filled in.");
  check_cmd->add_option("scenario", check_path, "Scenario file (TOML)")->required();

  ServeArgs serve;
  auto* serve_cmd = cli.add_subcommand(
      "serve", "Run the built-in HTTP test server (loopback by default) until Ctrl-C or SIGTERM.");
  serve_cmd->add_option("scenario", serve.scenario,
                        "Scenario whose server knobs and items to serve (optional)");
  serve_cmd->add_option("--host", serve.host, "Address to bind (default 127.0.0.1)");
  serve_cmd->add_option("--port", serve.port, "Port (0 picks a free one and prints it)")
      ->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--dir", serve.dir, "Also serve the files below this folder (read-only)");
  serve_cmd->add_option("--workers", serve.workers, "Requests served at once");
  serve_cmd->add_option("--delay", serve.delay, "Service delay of every request, e.g. 200ms");
  serve_cmd->add_option("--seconds", serve.seconds, "Stop by itself after this many seconds")
      ->check(CLI::PositiveNumber);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr,
                 "loiter: %s\nRun 'loiter --help' (or 'loiter COMMAND --help') for usage.\n",
                 e.what());
    return kBadInput;
  }

  try {
    if (run_cmd->parsed()) return run_command(run);
    if (check_cmd->parsed()) return check_command(check_path);
    if (serve_cmd->parsed()) return serve_command(serve);
  } catch (const BadInput& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kBadInput;
  } catch (const sim::ProcessError& e) {
    std::fprintf(stderr, "loiter: internal error: %s\n", e.what());
    return kFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loiter: %s\n", e.what());
    return kFailed;
  }
  return kFailed;
}

}  // namespace app
