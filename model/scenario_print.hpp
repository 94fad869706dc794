// A resolved scenario printed back as TOML, every default filled in (for `loiter check`).
// The text loads again into an equal scenario.
#pragma once

#include <string>

#include "model/scenario.hpp"

namespace model {

std::string print_scenario(const Scenario& scenario);

}  // namespace model
