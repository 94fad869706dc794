// Typed access to a scenario's TOML values: each getter checks the type, the unit and the
// range, and reports a mistake at the value's source region, with "did you mean" for a near miss.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "model/distribution.hpp"
#include "model/scenario.hpp"
#include "model/scenario_load.hpp"

namespace model {

// "did you mean 'x'? " for a near miss: at most 2 edits (not a rewrite of a short word), or
// 3 after a shared start of 5 letters (plurals: "strategies" for "strategy").
std::string near_miss(std::string_view word, std::initializer_list<std::string_view> known);
std::string near_miss(std::string_view word, std::span<const std::string_view> known);
// "a, b, c".
std::string join(std::initializer_list<std::string_view> words);
// "a string", "an integer", ... for messages.
std::string type_name(const toml::node& n);
// A value from the file in double quotes, cut short (see quoted_excerpt).
std::string quote(std::string_view s);
std::string num(double v);

enum class Quantity { duration, size };

// The parameters each distribution takes, for messages.
std::string signature(std::string_view dist);

// The getters of one scenario file: `path` names it in errors, `base_dir` resolves its
// relative paths. Every getter throws ScenarioError at the node it was given.
class ScenarioFields {
 public:
  ScenarioFields(std::string path, std::filesystem::path base_dir)
      : path_(std::move(path)), base_dir_(std::move(base_dir)) {}

 protected:
  [[noreturn]] void fail(const toml::source_region& at, const std::string& message) const {
    throw ScenarioError(path_, static_cast<int>(at.begin.line), static_cast<int>(at.begin.column),
                        message);
  }
  [[noreturn]] void fail(const toml::node& at, const std::string& message) const {
    fail(at.source(), message);
  }

  // Unknown keys: the first one in the file is reported, with a near miss if any.
  void check_keys(const toml::table& t, std::string_view where,
                  std::initializer_list<std::string_view> allowed) const;
  const toml::table& table(const toml::node& n, const std::string& where,
                           std::string_view example) const;
  const toml::array& array(const toml::node& n, const std::string& where,
                           std::string_view example) const;
  std::string string(const toml::node& n, const std::string& where) const;
  // A name (of an item, a strategy, the scenario): a non-empty string without control
  // characters, which would cut or garble reports, logs and saved file names.
  std::string name(const toml::node& n, const std::string& where) const;
  void refuse_control(const toml::node& n, std::string_view v, const std::string& where) const;
  bool boolean(const toml::node& n, const std::string& where) const;
  std::int64_t integer(const toml::node& n, const std::string& where, std::int64_t min,
                       std::int64_t max) const;
  double number(const toml::node& n, const std::string& where) const;
  double probability(const toml::node& n, const std::string& where) const;
  double duration(const toml::node& n, const std::string& where) const;
  Duration duration_ns(const toml::node& n, const std::string& where) const {
    return sim::from_seconds(duration(n, where));
  }
  double size(const toml::node& n, const std::string& where) const;
  double rate(const toml::node& n, const std::string& where) const;  // 0 = unlimited
  double quantity(const toml::node& n, const std::string& where, Quantity q) const {
    return q == Quantity::duration ? duration(n, where) : size(n, where);
  }
  Distribution distribution(const toml::node& n, const std::string& where, Quantity q) const;
  Distribution distribution_table(const toml::table& t, const std::string& where, Quantity q) const;
  const toml::node& required(const toml::table& t, std::string_view key, const std::string& where,
                             std::string_view example) const;

  std::string path_;
  std::filesystem::path base_dir_;
};

}  // namespace model
