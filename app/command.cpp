#include "app/command.hpp"

#include "model/scenario_load.hpp"

namespace app {

model::Scenario load_scenario_or_bad_input(const std::string& path) {
  try {
    return model::load_scenario(path);
  } catch (const model::ScenarioError& e) {
    throw BadInput(e.what());
  }
}

}  // namespace app
