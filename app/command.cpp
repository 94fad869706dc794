#include "app/command.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "model/scenario_load.hpp"
#include "model/scenario_warnings.hpp"
#include "model/simulate.hpp"

namespace app {

model::Scenario load_scenario_or_bad_input(const std::string& path) {
  try {
    return model::load_scenario(path);
  } catch (const model::ScenarioError& e) {
    throw FileBadInput(e.what());
  }
}

std::vector<const model::Strategy*> strategies_or_bad_input(const model::Scenario& s,
                                                            const std::vector<std::string>& names) {
  try {
    return model::select_strategies(s, names);
  } catch (const std::invalid_argument& e) {
    throw BadInput(e.what());
  }
}

void report_warnings(const model::Scenario& s, bool strict) {
  const std::vector<model::Warning> warnings = model::scenario_warnings(s);
  for (const model::Warning& w : warnings)
    std::fprintf(stderr, "%s\n", w.text().c_str());
  if (strict && !warnings.empty())
    throw BadInput("--strict: " + std::to_string(warnings.size()) +
                   (warnings.size() == 1 ? " warning" : " warnings") +
                   "; expected none (fix them, or run without --strict)");
}

void add_strict_flag(CLI::App& cmd, bool& strict) {
  cmd.add_flag("--strict", strict, "Treat warnings about the scenario as errors (exit code 2)");
}

CLI::Validator seed_range() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::int64_t v = 0;
        const bool whole = CLI::detail::lexical_cast(text, v);
        if (whole && v >= 0) return {};
        return "'" + text + "' is not a seed; expected a whole number from 0 to " +
               std::to_string(std::numeric_limits<std::int64_t>::max());
      },
      "SEED");
}

CLI::Validator realtime_factor() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double v = 0;
        if (CLI::detail::lexical_cast(text, v) && std::isfinite(v) && v > 0) return {};
        return "'" + text +
               "' is not a pace; expected a factor above 0: wall seconds per simulated second "
               "(1 = real time, 0.5 = twice as fast; leave --realtime out to run unpaced)";
      },
      "FACTOR");
}

}  // namespace app
