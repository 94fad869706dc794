// `loiter run`: simulate each strategy of a scenario, print the report, write --out files.
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/command.hpp"
#include "app/event_log.hpp"
#include "app/progress_bar.hpp"
#include "app/report.hpp"
#include "app/result_files.hpp"
#include "live/live_run.hpp"    // --realtime
#include "live/wall_clock.hpp"  // --realtime
#include "model/scenario_workload.hpp"
#include "model/sim_transport.hpp"
#include "model/simulate.hpp"
#include "plots/output_files.hpp"
#include "plots/plots.hpp"
#include "sweep/sweep_plan.hpp"  // --set (sweeps)

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
  bool explain = false;                // --explain: the constraints table
  std::string max_memory;              // --max-memory SIZE ("": half the RAM)
  bool shared_axis = false;            // --shared-axis: one Gantt time axis for every panel
  std::string timeline = "completed";  // --timeline: what timeline.svg counts
  bool strict = false;
  std::vector<std::string> sets;   // --set KEY=VALUE (sweeps)
  std::optional<double> realtime;  // --realtime FACTOR: wall seconds per simulated second
};

// --realtime with --log: the clock prints each log line when the paced run reaches its time.
// The lines come from a virtual pass first (the run is deterministic, so the paced run goes
// through the very same events); the clock decorates the wall clock, so the strategy's
// simulation is untouched.
class PacedLog : public sim::Clock {
 public:
  PacedLog(live::WallClock& wall, std::vector<std::pair<model::Time, std::string>> lines,
           std::FILE* out)
      : wall_(&wall), lines_(std::move(lines)), out_(out) {}
  model::Time now() const override { return wall_->now(); }
  bool outside_work_pending() const override { return wall_->outside_work_pending(); }
  void wait_until(sim::Simulation& s, model::Time t) override {
    print_due();
    while (next_ < lines_.size() && lines_[next_].first < t) {
      wall_->wait_until(s, lines_[next_].first);
      print_due();
    }
    wall_->wait_until(s, t);
    print_due();
  }
  // Prints the lines due by now (all of them with `all`).
  void print_due(bool all = false) {
    for (; next_ < lines_.size() && (all || lines_[next_].first <= wall_->now()); ++next_) {
      std::fputs(lines_[next_].second.c_str(), out_);
      std::fflush(out_);
    }
  }

 private:
  live::WallClock* wall_;
  std::vector<std::pair<model::Time, std::string>> lines_;
  std::size_t next_ = 0;
  std::FILE* out_;
};

// --realtime: the strategy on a wall clock paced at `factor` wall seconds per simulated
// second (like SimPy's RealtimeEnvironment), printing its --log lines as they happen.
model::RunRecord paced_run(const model::Scenario& s, const model::Strategy& st,
                           const std::vector<model::Job>& jobs, std::uint64_t seed, bool log,
                           double factor, std::FILE* log_out) {
  std::vector<std::pair<model::Time, std::string>> lines;
  if (log) {
    const model::RunRecord preview = model::simulate_strategy(s, st, jobs, seed, true);
    for (const model::LogEvent& e : preview.log)
      lines.emplace_back(e.at, event_log(preview.result, {e}, jobs));
  }
  live::WallClock wall(factor);
  PacedLog clock(wall, std::move(lines), log_out);
  sim::Simulation sim(clock);
  model::SimTransport transport(sim, s, s.client_of(st), seed);
  live::FinishLine finish(wall, nullptr);  // leftover deadline timers are not waited for
  wall.restart();
  model::RunRecord record = model::run_strategy(sim, transport, s, st, jobs, seed, log, &finish);
  clock.print_due(true);
  return record;
}

int run_command(const RunArgs& a) {
  const model::Scenario scenario =
      sweep::with_settings(load_scenario_or_bad_input(a.scenario), a.sets);
  report_warnings(scenario, a.strict);
  const std::uint64_t seed = a.seed.value_or(scenario.seed);
  const std::vector<const model::Strategy*> chosen =
      strategies_or_bad_input(scenario, a.strategies);
  const bool include_downloads =
      a.downloads == "yes" ||
      (a.downloads == "auto" && scenario.workload.download_count() <= kAutoDownloadsLimit);
  // Every phase of every download only for what draws or lists them: --out's files and the
  // downloads of a JSON report.
  const bool all_spans = !a.out.empty() || (a.format == "json" && include_downloads);
  // A log or a paced run keeps every download whole too.
  refuse_if_too_large(scenario, chosen, a.max_memory, all_spans || a.log || a.realtime);

  // A run that keeps no downloads draws a generated workload's jobs as its lanes take them.
  std::vector<model::Job> jobs;
  const model::Jobs job_set =
      model::run_jobs(scenario, seed, !all_spans && !a.log && !a.realtime, jobs);
  std::vector<model::RunRecord> runs;
  std::FILE* log_out = a.format == "text" ? stdout : stderr;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (a.realtime) {
      if (a.log && chosen.size() > 1) {
        const model::StrategyPlan plan =
            model::plan_for(*chosen[i], scenario.client_of(*chosen[i]), jobs.size());
        std::fputs(fmt::format("{}== {} ({}: {}) ==\n", i == 0 ? "" : "\n", chosen[i]->name,
                               plan.kind, plan.detail)
                       .c_str(),
                   log_out);
      }
      runs.push_back(paced_run(scenario, *chosen[i], jobs, seed, a.log, *a.realtime, log_out));
      continue;
    }
    ProgressBar bar(fmt::format("{} ({}/{})", chosen[i]->name, i + 1, chosen.size()),
                    ProgressBar::stderr_is_terminal());
    runs.push_back(
        model::simulate_strategy(scenario, *chosen[i], job_set, seed, a.log, &bar, all_spans));
  }

  std::vector<model::StrategyResult> results;  // moved out: a copy would double the memory
  for (auto& r : runs)
    results.push_back(std::move(r.result));

  ReportInfo info;
  info.scenario = scenario.name;
  info.description = scenario.description;
  info.seed = seed;
  info.arrivals = model::arrivals_phrase(scenario.workload.arrivals);
  info.explain = a.explain;
  for (const model::Host& h : scenario.hosts)
    info.hosts.push_back(h.name);
  for (const model::Strategy& st : scenario.strategies)
    if (scenario.client_of(st).http2) info.http2.push_back(st.name);
  info.trace = a.downloads != "no";
  info.include_downloads = include_downloads;

  // Everything is computed before anything is written.
  const plots::ChartInfo chart{scenario.name,
                               fmt::format("seed {} · {} downloads", seed, job_set.size()),
                               a.shared_axis, a.timeline == "consumed"};
  // A JSON report with every download grows with the run (10^6: 1.5 GB): it is written to
  // stdout as it is made, like report.json, instead of being built whole first.
  const bool stream_json = a.format == "json" && info.include_downloads;
  const std::string report = stream_json ? std::string() : render_report(results, info, a.format);
  bool trace_sampled = false;
  const ResultFiles files = a.out.empty()
                                ? ResultFiles{}
                                : result_files(results, {}, info, chart,
                                               stream_json ? "" : a.format, report, &trace_sampled);
  std::string log;
  if (a.log && !a.realtime) {  // --realtime printed it as it happened
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (runs.size() > 1) {
        log += fmt::format("{}== {} ({}: {}) ==\n", i == 0 ? "" : "\n", results[i].name,
                           results[i].kind, results[i].detail);
      }
      log += event_log(results[i], runs[i].log, jobs);
    }
  }

  if (!files.empty()) plots::write_outputs(a.out, files.files, files.streamed);
  if (a.log) {
    // The log goes with a text report; machine formats keep stdout parseable.
    std::fputs(log.c_str(), log_out);
    if (a.format == "text") std::fputs("\n", stdout);
  }
  // The text report says so; a machine format's reader is told on stderr.
  if (const std::string note = percentile_note(results); !note.empty() && a.format != "text")
    std::fprintf(stderr, "loiter: %s\n", note.c_str());
  if (stream_json) {
    write_json_report(results, info, [](std::string_view part) {
      std::fwrite(part.data(), 1, part.size(), stdout);
    });
  } else {
    std::fputs(report.c_str(), stdout);
  }
  if (!files.empty()) report_written(a.out, files, trace_sampled);
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
  run_cmd->add_option("--seed", run.seed, "Seed for every random draw (default: the scenario's)")
      ->check(seed_range());
  run_cmd->add_option(
      "--out", run.out,
      "Write report.json, downloads.csv, gantt.svg, timeline.svg, trace.json to this folder");
  run_cmd->add_option("--format", run.format, "Report format on stdout")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  run_cmd
      ->add_option("--downloads", run.downloads,
                   "Per-download records in the JSON report: yes, no, or auto (up to 100000)")
      ->check(CLI::IsMember({"yes", "no", "auto"}));
  // --set (sweeps): a sweep row's settings, to re-run it alone (see sweep/sweep_plan.hpp).
  run_cmd->add_option("--set", run.sets,
                      "KEY=VALUE: change a scenario key, written as in the file (repeatable)");
  run_cmd->add_flag("--log", run.log, "Print the event log, as the book's Executor.map demo does");
  run_cmd->add_option("--max-memory", run.max_memory,
                      "Refuse, before it starts, a run estimated to need more memory than this "
                      "(e.g. 8 GiB; default: half the machine's RAM, or what is available if "
                      "less)");
  run_cmd->add_flag("--explain", run.explain,
                    "Print what bound each strategy: every shared resource, its use over the "
                    "makespan and the downloads' time spent waiting for it");
  run_cmd
      ->add_option("--timeline", run.timeline,
                   "timeline.svg counts downloads as they completed, or results as the caller "
                   "consumed them (in order or as completed): completed or consumed")
      ->check(CLI::IsMember({"completed", "consumed"}));
  run_cmd->add_flag("--shared-axis", run.shared_axis,
                    "gantt.svg: one time axis for every panel, even when makespans differ a lot");
  run_cmd
      ->add_option("--realtime", run.realtime,
                   "Pace the run on the wall clock: FACTOR wall seconds per simulated second "
                   "(1 = real time, 0.001 to 1000); --log lines appear as they happen")
      ->check(realtime_factor());
  add_strict_flag(*run_cmd, run.strict);

  return {run_cmd, [args] { return run_command(*args); }};
}

}  // namespace app
