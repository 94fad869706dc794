// Numeric scenario keys by name ("strategy.threads-20.workers", "network.rtt"), for
// `loiter run --set KEY=VALUE` and `loiter sweep --vary KEY=RANGE`: which keys a scenario has,
// their values with units, ranges of values, and setting one on a scenario.
//
// Values are written as in scenario files: counts and probabilities as plain numbers
// ("24", "0.05" or "5%"), durations and rates with a unit ("50ms", "20 Mbit/s"; "0" and, for
// rates, "unlimited" need none), sizes with a unit or as bytes. A distribution-valued key
// (network.rtt, network.dns, server.service, client.cpu, workload.size) set to a value becomes
// a constant of that value; its companion KEY.scale (a plain factor) instead multiplies every
// draw of the scenario's own distribution, keeping its shape (lognormal: the median, uniform:
// both ends).
//
// Ranges: a list "1,2,4,8" (in the order given, no repeats), a linear range "1..64" (step 1,
// counts only) or "10ms..200ms+10ms" (step 10 ms), a geometric range "1..1024x2" (factor 2;
// counts are rounded and repeats dropped). Both ends are included when the steps reach them.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "model/scenario.hpp"

namespace model {

// A key or value that cannot be used. what() names the key and says what is accepted; for an
// unknown key it lists the valid keys of the scenario.
class KeyError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct ScenarioKey {
  enum class Kind { count, probability, factor, duration, size, rate, frequency };
  std::string name;  // as written: "strategy.threads-20.workers"
  Kind kind = Kind::count;
  double min = 0;  // allowed values, in the key's unit (seconds, bytes, bytes/s)
  double max = 0;
  bool min_exclusive = false;  // e.g. client.timeout must be above 0
  std::string strategy;        // strategy keys: the strategy's name, "*" for all; else ""
  std::string what;            // one line for --help and messages: "workers of a pool"
};

// Every key this scenario can set, in a stable order (sections, then strategies).
std::vector<ScenarioKey> scenario_keys(const Scenario& s);

// The key named `name`. Throws KeyError naming it, with a near miss if any, and the valid keys.
ScenarioKey find_key(const Scenario& s, std::string_view name);

// One value of the key, in its unit ("24", "50ms", "20 Mbit/s"). Throws KeyError.
double parse_key_value(const ScenarioKey& key, std::string_view text);

// Text that parse_key_value reads back as exactly `value` ("24", "50ms", "20 Mbit/s").
std::string format_key_value(const ScenarioKey& key, double value);

struct KeyRange {
  std::vector<double> values;  // each already as parse_key_value(format_key_value(v)) gives it
  bool geometric = false;      // a geometric range (plots use a log axis)
};
inline constexpr std::size_t kMaxRangeValues = 10'000;

// A list, linear or geometric range of the key's values (see the top of this file).
// Throws KeyError naming the key and the accepted forms.
KeyRange parse_key_range(const ScenarioKey& key, std::string_view text);

// Sets the key on the scenario. `value` must be one parse_key_value accepted.
void set_key(Scenario& s, const ScenarioKey& key, double value);

// Checks what single keys cannot: client.backoff_max >= client.backoff. Throws KeyError.
void check_settings(const Scenario& s);

// "KEY=VALUE", as `--set` takes it: finds the key, parses the value and sets it.
// Throws KeyError.
void apply_setting(Scenario& s, std::string_view assignment);

// Splits "KEY=TEXT" at its first '='. Throws KeyError (with `option` in the message, e.g.
// "--vary") when there is no '=' or no key.
std::pair<std::string, std::string> split_assignment(std::string_view assignment,
                                                     std::string_view option);

}  // namespace model
