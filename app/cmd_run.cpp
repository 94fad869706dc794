// `loiter run`: simulate each strategy of a scenario, print the report, write --out files.
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/command.hpp"
#include "app/event_log.hpp"
#include "app/output.hpp"
#include "app/progress_bar.hpp"
#include "app/report.hpp"
#include "app/result_files.hpp"
#include "app/sweep_plan.hpp"  // --set (sweeps)
#include "model/simulate.hpp"
#include "plots/plots.hpp"

namespace app {

namespace {


struct RunArgs {
  std::string scenario;
  std::vector<std::string> strategies;
  std::optional<std::uint64_t> seed;
  std::string out;
  std::string format = "text";
  std::string downloads = "auto";
  bool log = false;
  std::vector<std::string> sets;  // --set KEY=VALUE (sweeps)
};

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
  const model::Scenario scenario = with_settings(load_scenario_or_bad_input(a.scenario), a.sets);
  const std::uint64_t seed = a.seed.value_or(scenario.seed);
  std::vector<const model::Strategy*> chosen;
  try {
    chosen = model::select_strategies(scenario, a.strategies);
  } catch (const std::invalid_argument& e) {
    throw BadInput(e.what());
  }

  const std::vector<model::Job> jobs = model::make_jobs(scenario, seed);
  std::vector<model::RunRecord> runs;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    ProgressBar bar(fmt::format("{} ({}/{})", chosen[i]->name, i + 1, chosen.size()),
                    ProgressBar::stderr_is_terminal());
    runs.push_back(model::simulate_strategy(scenario, *chosen[i], jobs, seed, a.log, &bar));
  }

  std::vector<model::StrategyResult> results;
  for (const auto& r : runs)
    results.push_back(r.result);

  ReportInfo info;
  info.scenario = scenario.name;
  info.description = scenario.description;
  info.seed = seed;
  info.sequential_makespan = sequential_makespan(scenario, runs, jobs, seed);
  info.include_downloads =
      a.downloads == "yes" || (a.downloads == "auto" && jobs.size() <= kAutoDownloadsLimit);

  // Everything is computed before anything is written.
  const plots::ChartInfo chart{scenario.name,
                               fmt::format("seed {} · {} downloads", seed, jobs.size())};
  const std::string report = render_report(results, info, a.format);
  const OutputFiles files =
      a.out.empty() ? OutputFiles{} : result_files(results, {}, info, chart, a.format, report);
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
  if (!files.empty()) report_written(a.out, files);
  return kOk;
}

}  // namespace

Command add_run_command(CLI::App& cli) {
  auto args = std::make_shared<RunArgs>();
  RunArgs& run = *args;
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
  // --set (sweeps): a sweep row's settings, to re-run it alone (see app/sweep_plan.hpp).
  run_cmd->add_option("--set", run.sets, "KEY=VALUE: change a numeric scenario key (repeatable)");
  run_cmd->add_flag("--log", run.log, "Print the event log, as the book's Executor.map demo does");

  return {run_cmd, [args] { return run_command(*args); }};
}

}  // namespace app
