// What every subcommand shares: how it registers itself on the command line, the error
// for bad input (exit code 2), and loading a scenario with its errors turned into that.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "model/bad_input.hpp"
#include "model/scenario.hpp"

namespace app {

inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;
inline constexpr int kBadInput = 2;

// A mistake in what the user asked for: reported on stderr, exit code 2.
using model::BadInput;
// Bad input in a file, its message starting with where: "path:line:col: ...".
struct FileBadInput : BadInput {
  using BadInput::BadInput;
};

// A registered subcommand: its CLI11 node and what runs it once parsed.
struct Command {
  CLI::App* node = nullptr;
  std::function<int()> run;
};

// A numeric option's check: a finite number from `min` to `max` (CLI::Range lets NaN
// through). A value outside is a command-line error (exit 2) that states the range.
CLI::Validator finite_range(double min, double max);

// Loads a scenario file; a ScenarioError becomes BadInput with the same message.
model::Scenario load_scenario_or_bad_input(const std::string& path);

// The strategies --strategy names (all when none), in scenario order; an unknown name is
// BadInput listing the scenario's strategies.
std::vector<const model::Strategy*> strategies_or_bad_input(const model::Scenario& s,
                                                            const std::vector<std::string>& names);

// Refuses (BadInput, exit 2) a run whose estimated memory (model/memory_estimate.hpp) is more
// than `budget` ("12 GiB", parsed as a size: --max-memory), by default half the machine's RAM
// or what it has available (MemTotal, MemAvailable in /proc/meminfo), the smaller one.
// `all_spans`: the run keeps every phase of every download.
void refuse_if_too_large(const model::Scenario& s,
                         const std::vector<const model::Strategy*>& strategies,
                         const std::string& budget = "", bool all_spans = true);

// Prints the scenario's warnings on stderr ("path:line:col: warning: ..."). With `strict`
// any warning is BadInput (exit 2), before anything is written. `live`: leave out those that
// only a simulation is affected by.
void report_warnings(const model::Scenario& s, bool strict, bool live = false);

// Adds --strict (warnings become exit 2) to a subcommand.
void add_strict_flag(CLI::App& cmd, bool& strict);

// --seed, refused below 0 or past the largest seed as scenario files refuse it.
CLI::Validator seed_range();

// --realtime: a factor above 0, with a plain message for 0 and for what is not a number.
CLI::Validator realtime_factor();

// One function per subcommand, each in its own cmd_*.cpp.
Command add_run_command(CLI::App& cli);
Command add_check_command(CLI::App& cli);
Command add_serve_command(CLI::App& cli);
Command add_sweep_command(CLI::App& cli);
Command add_merge_command(CLI::App& cli);
Command add_live_command(CLI::App& cli);
Command add_validate_command(CLI::App& cli);
Command add_calibrate_command(CLI::App& cli);

}  // namespace app
