// Reading [workload]: the items and when they arrive (see Workload, Arrivals).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "model/scenario_fields.hpp"

namespace model {

class WorkloadReader : public ScenarioFields {
 public:
  using ScenarioFields::ScenarioFields;
  // `hosts`: the names of the scenario's [[host]] tables (none: one host), which items name.
  Workload workload(const toml::table& t, const std::vector<std::string>& hosts) const;

 private:
  std::vector<Item> items(const toml::array& a, const std::vector<std::string>& hosts) const;
  std::vector<Item> items_csv(const toml::node& n, const std::vector<std::string>& hosts) const;
  // "at_once", a rate ("100/s": Poisson), or { rate = "100/s", process = "poisson" | "constant" }.
  Arrivals arrivals(const toml::node& n) const;
  // An item's `host`: its index in `hosts` (0 when there are none).
  std::uint32_t item_host(const toml::table& t, const std::string& where,
                          const std::vector<std::string>& hosts) const;
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
