// `loiter live`: run each strategy of a scenario for real (libcurl against the scenario's
// [live] url, --base-url, or the built-in server with --serve), same report and files as run.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/command.hpp"
#include "app/event_log.hpp"
#include "app/live_target.hpp"
#include "app/report.hpp"
#include "app/result_files.hpp"
#include "live/curl_save.hpp"
#include "live/live_run.hpp"
#include "live/test_server.hpp"
#include "model/scenario_load.hpp"
#include "model/scenario_workload.hpp"
#include "model/simulate.hpp"
#include "model/units.hpp"
#include "plots/output_files.hpp"
#include "plots/plots.hpp"

namespace app {

namespace {

constexpr int kInterrupted = 130;  // as a shell reports a command ended by SIGINT

struct LiveArgs {
  std::string scenario;
  std::string base_url;
  bool serve = false;
  std::vector<std::string> strategies;
  std::optional<std::uint64_t> seed;
  std::string out;
  std::string format = "text";
  std::string downloads = "auto";
  std::string save;
  std::string max_body = "100 MiB";
  std::string ca_file;
  bool log = false;
  bool explain = false;
  bool strict = false;
};

// --save: saved.csv lists every body a strategy saved, in download order.
void write_manifest(const std::string& dir, const std::vector<model::Job>& jobs,
                    const live::LiveRun& run) {
  std::vector<bool> saved(jobs.size(), false);
  for (const auto& r : run.runs) {
    for (const model::Outcome& o : r.result.downloads)
      if (o.status == model::Status::ok && o.id < saved.size()) saved[o.id] = true;
  }
  std::vector<live::SavedBody> bodies;
  for (const model::Job& j : jobs)
    if (saved[j.id]) bodies.push_back({j.name, live::save_file_name(j.name, j.id)});
  live::write_save_manifest(dir, bodies);
}

int live_command(const LiveArgs& a) {
  const model::Scenario scenario = load_scenario_or_bad_input(a.scenario);
  report_warnings(scenario, a.strict, true);
  const std::uint64_t seed = a.seed.value_or(scenario.seed);
  const std::vector<const model::Strategy*> chosen =
      strategies_or_bad_input(scenario, a.strategies);
  if (a.serve && !a.base_url.empty()) {
    throw BadInput("loiter live: give --serve or --base-url, not both");
  }
  live::LiveRunOptions options;
  try {
    const double max_body = model::parse_size(a.max_body);
    if (!(max_body >= 1 && max_body <= model::kMaxItemBytes))
      throw std::invalid_argument("'" + a.max_body + "' is out of range; expected 1 B to 1 TiB");
    options.curl.max_body = static_cast<std::int64_t>(max_body);
    options.curl.ca_file = a.ca_file;
  } catch (const std::exception& e) {
    throw BadInput(std::string("--max-body: ") + e.what());
  }
  if (!a.save.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(a.save, ec);
    if (ec) throw BadInput("--save " + a.save + ": cannot create the folder: " + ec.message());
    options.curl.save_dir = a.save;
  }
  options.record_log = a.log;
  const std::vector<model::Job> jobs = model::make_jobs(scenario, seed);

  // Signals first: the server's threads inherit the blocked mask.
  live::LiveStop stop;
  live::SignalStop signals(stop);
  options.curl.stop = &stop;
  LiveTarget target;
  if (scenario.workload.kind != model::Workload::Kind::sleeps) {
    if (!open_live_target(target, "loiter live", scenario, jobs, a.base_url, a.serve))
      return kFailed;
    options.curl.url_template = target.url_template;
    options.curl.http1_server = target.server.has_value();
    std::fprintf(stderr, "loiter live: fetching %s%s\n", options.curl.url_template.c_str(),
                 a.serve ? " (built-in server)" : "");
  }

  const live::LiveRun run = live::run_live(scenario, chosen, jobs, seed, options);
  if (target.server) target.server->stop();
  if (!a.save.empty()) write_manifest(a.save, jobs, run);

  std::vector<model::StrategyResult> results;
  for (const auto& r : run.runs)
    results.push_back(r.result);
  ReportInfo info;
  info.scenario = scenario.name;
  info.description = scenario.description;
  info.seed = seed;
  info.arrivals = model::arrivals_phrase(scenario.workload.arrivals);
  info.live = true;
  info.explain = a.explain;
  info.interrupted = run.interrupted;
  for (const model::Strategy& st : scenario.strategies)
    if (scenario.client_of(st).http2) info.http2.push_back(st.name);
  info.trace = a.downloads != "no";
  info.include_downloads =
      a.downloads == "yes" || (a.downloads == "auto" && jobs.size() <= kAutoDownloadsLimit);

  const plots::ChartInfo chart{
      scenario.name,
      fmt::format("live{} · {} downloads", run.interrupted ? " (interrupted)" : "", jobs.size())};
  const std::string report = render_report(results, info, a.format);
  bool trace_sampled = false;
  const ResultFiles files =
      a.out.empty() ? ResultFiles{}
                    : result_files(results, {}, info, chart, a.format, report, &trace_sampled);
  if (!files.empty()) plots::write_outputs(a.out, files.files, files.streamed);
  if (a.log) {
    std::string log;
    for (std::size_t i = 0; i < run.runs.size(); ++i) {
      if (run.runs.size() > 1) {
        log += fmt::format("{}== {} ({}: {}) ==\n", i == 0 ? "" : "\n", run.runs[i].result.name,
                           run.runs[i].result.kind, run.runs[i].result.detail);
      }
      log += event_log(run.runs[i].result, run.runs[i].log, jobs);
    }
    std::fputs(log.c_str(), a.format == "text" ? stdout : stderr);
    if (a.format == "text") std::fputs("\n", stdout);
  }
  std::fputs(report.c_str(), stdout);
  if (!files.empty()) report_written(a.out, files, trace_sampled);
  if (run.interrupted) return kInterrupted;
  // Like curl, a run that got nothing says so in its exit status.
  for (const auto& r : results) {
    if (const std::string why = all_failed_reason(r); !why.empty()) {
      std::fprintf(stderr, "loiter live: %s\n", why.c_str());
      return kFailed;
    }
  }
  return kOk;
}

}  // namespace

Command add_live_command(CLI::App& cli) {
  auto args = std::make_shared<LiveArgs>();
  LiveArgs& live = *args;
  auto* cmd = cli.add_subcommand(
      "live",
      "Run each strategy of a scenario for real over HTTP (libcurl) and print the same report "
      "as run, marked live. Ctrl-C stops new transfers, gives those in flight 1 s and still "
      "reports (exit status 130).");
  cmd->add_option("scenario", live.scenario, "Scenario file (TOML)")->required();
  cmd->add_option("--base-url", live.base_url,
                  "Fetch from here instead of the scenario's [live] url: scheme://host:port "
                  "(the url's path is kept) or a whole template with {name}");
  cmd->add_flag("--serve", live.serve,
                "Start the built-in test server with the scenario's server knobs on a free "
                "loopback port and fetch from it");
  cmd->add_option("--strategy", live.strategies, "Run only these strategies (repeatable)");
  cmd->add_option("--seed", live.seed, "Seed (default: the scenario's)")->check(seed_range());
  add_strict_flag(*cmd, live.strict);
  cmd->add_option(
      "--out", live.out,
      "Write report.json, downloads.csv, gantt.svg, timeline.svg, trace.json to this folder");
  cmd->add_option("--format", live.format, "Report format on stdout")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  cmd->add_option("--downloads", live.downloads,
                  "Per-download records in the JSON report: yes, no, or auto (up to 100000)")
      ->check(CLI::IsMember({"yes", "no", "auto"}));
  cmd->add_option("--save", live.save,
                  "Keep the bodies of successful downloads in this folder (file names made safe)");
  cmd->add_option("--max-body", live.max_body,
                  "Largest body accepted, of any status; a longer one is an error (default 100 "
                  "MiB, at most 1 TiB)");
  cmd->add_option("--ca-file", live.ca_file,
                  "Trust the certificates in this PEM file for https (a test server's own), in "
                  "place of the system's; verification stays on")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--log", live.log, "Print the event log");
  cmd->add_flag("--explain", live.explain,
                "Print what bound each strategy (as the client saw it): its lanes, CPU, pool and "
                "rate limit, their use and the time spent waiting for them");
  return {cmd, [args] { return live_command(*args); }};
}

}  // namespace app
