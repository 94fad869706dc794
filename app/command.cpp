#include "app/command.hpp"

#include <cmath>

#include <fmt/format.h>

#include "model/scenario_load.hpp"
#include "model/simulate.hpp"

namespace app {

CLI::Validator finite_range(double min, double max) {
  const std::string range = fmt::format("a number from {:g} to {:g}", min, max);
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v) || !std::isfinite(v))
          return "'" + text + "' is not a finite number; expected " + range;
        if (v < min || v > max) return "'" + text + "' is out of range; expected " + range;
        return {};
      },
      fmt::format("NUMBER in [{:g}, {:g}]", min, max));
}

model::Scenario load_scenario_or_bad_input(const std::string& path) {
  try {
    return model::load_scenario(path);
  } catch (const model::ScenarioError& e) {
    throw BadInput(e.what());
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

}  // namespace app
