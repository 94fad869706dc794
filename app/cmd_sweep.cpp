// `loiter sweep`: simulate a grid of settings (--vary) with R replications each, on J threads;
// write sweep.csv, sweep.json and sweep.svg; print the table and, last, the recommendation.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/command.hpp"
#include "plots/output_files.hpp"
#include "sweep/sweep_files.hpp"
#include "sweep/sweep_plan.hpp"
#include "sweep/sweep_run.hpp"

namespace app {

namespace {

struct SweepArgs {
  std::string scenario;
  std::vector<std::string> vary;
  int replications = 10;
  unsigned jobs = 0;  // 0 = the core count
  std::optional<std::uint64_t> seed;
  std::vector<std::string> strategies;
  double within = 0.05;
  std::string shard;
  std::string out;
  bool strict = false;
};

int sweep_command(const SweepArgs& a) {
  const model::Scenario scenario = load_scenario_or_bad_input(a.scenario);
  report_warnings(scenario, a.strict);
  sweep::SweepMeta meta;
  meta.scenario = scenario.name;
  meta.scenario_path = a.scenario;
  meta.seed = a.seed.value_or(scenario.seed);
  meta.replications = a.replications;
  meta.within = a.within;
  for (const std::string& v : a.vary) {
    sweep::SweepAxis axis = sweep::parse_axis(scenario, v);
    for (const sweep::SweepAxis& other : meta.axes) {
      if (other.key == axis.key)
        throw BadInput("loiter sweep: --vary " + axis.key +
                       " is given twice; expected each key once (one --vary per key)");
    }
    meta.axes.push_back(std::move(axis));
  }
  std::size_t points = 1;
  for (const sweep::SweepAxis& axis : meta.axes) {
    points *= axis.values.size();
    if (points > sweep::kMaxSweepPoints)
      throw BadInput("loiter sweep: the grid has more than " +
                     std::to_string(sweep::kMaxSweepPoints) +
                     " points; expected fewer (coarser ranges or fewer --vary)");
  }
  meta.strategies = sweep::sweep_strategies(scenario, meta.axes, a.strategies);
  meta.varied = sweep::varied_strategies(scenario, meta.axes, meta.strategies);
  if (!a.shard.empty()) {
    meta.shard = sweep::parse_shard(a.shard);
    if (a.out.empty())
      throw BadInput(
          "loiter sweep: --shard needs --out DIR: the shard's files are what "
          "'loiter merge' combines");
  }
  sweep::check_points(scenario, meta);

  sweep::SweepRunOptions run;
  run.jobs = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
  run.progress = ::isatty(STDERR_FILENO) != 0;
  const std::vector<sweep::SweepRow> rows = sweep::run_sweep(scenario, meta, run);
  const sweep::SweepOutputs outputs = sweep::sweep_outputs(meta, rows);
  if (!a.out.empty()) plots::write_outputs(a.out, outputs.files);
  std::fputs(outputs.report.c_str(), stdout);
  if (!a.out.empty())
    std::fprintf(stderr, "wrote sweep.csv sweep.json sweep.svg to %s\n", a.out.c_str());
  return kOk;
}

}  // namespace

Command add_sweep_command(CLI::App& cli) {
  auto args = std::make_shared<SweepArgs>();
  SweepArgs& a = *args;
  auto* cmd = cli.add_subcommand(
      "sweep", "Simulate a range of settings (how many workers?) and recommend one.");
  cmd->add_option("scenario", a.scenario, "Scenario file (TOML)")->required();
  cmd->add_option("--vary", a.vary,
                  "KEY=RANGE to vary (repeatable: a grid). RANGE: a list 1,2,4,8, a linear range "
                  "1..64 or 10ms..200ms+10ms, a geometric range 1..1024x2. KEY: e.g. "
                  "strategy.NAME.workers, strategy.NAME.max_concurrency, network.rtt, "
                  "server.workers (a wrong key lists the scenario's keys)")
      ->required();
  cmd->add_option("--replications,-r", a.replications,
                  "Runs per point; replication r uses the same seed at every point (default 10)")
      ->check(CLI::Range(1, sweep::kMaxReplications));
  cmd->add_option("--jobs,-j", a.jobs, "Threads (default: the core count)")
      ->check(CLI::Range(1u, 4096u));
  cmd->add_option("--seed", a.seed, "Base seed of the run seeds (default: the scenario's)")
      ->check(seed_range());
  add_strict_flag(*cmd, a.strict);
  cmd->add_option("--strategy", a.strategies,
                  "Simulate only these strategies (repeatable; default: those the --vary keys "
                  "name, or all)");
  cmd->add_option("--within", a.within,
                  "Recommend the smallest setting (of those with no more failures than the best) "
                  "whose mean makespan is within this fraction of "
                  "the best (default 0.05)")
      ->check(finite_range(0, 1));
  cmd->add_option("--shard", a.shard,
                  "K/N: run only points K, K+N, K+2N, ... (K from 0); combine with 'loiter merge'");
  cmd->add_option("--out", a.out, "Write sweep.csv, sweep.json and sweep.svg to this folder");
  return {cmd, [args] { return sweep_command(*args); }};
}

}  // namespace app
