#include "app/command.hpp"

#include "model/scenario_load.hpp"
#include "model/simulate.hpp"

namespace app {

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
