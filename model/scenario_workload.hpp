// Reading [workload]: the items and when they arrive (see Workload, Arrivals).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "model/scenario_fields.hpp"

namespace model {

class WorkloadReader : public ScenarioFields {
 public:
  using ScenarioFields::ScenarioFields;
  Workload workload(const toml::table& t) const;

 private:
  std::vector<Item> items(const toml::array& a) const;
  std::vector<Item> items_csv(const toml::node& n) const;
  // "at_once", a rate ("100/s": Poisson), or { rate = "100/s", process = "poisson" | "constant" }.
  Arrivals arrivals(const toml::node& n) const;
  // An item's `at`: a duration, not before the previous item's (items come in arrival order).
  Duration item_at(const toml::node& n, const std::string& where,
                   std::optional<Duration> previous) const;
};

// "Poisson arrivals at 200/s", "one arrival every 5ms (200/s)", "arrivals at the items' own
// times"; "" when everything is submitted at t = 0.
std::string arrivals_phrase(const Arrivals& a);

// The most arrivals per second loiter accepts: one a nanosecond.
inline constexpr double kMaxArrivalRate = 1e9;

}  // namespace model
