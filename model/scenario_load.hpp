// Reading scenario files: TOML text -> a validated model::Scenario. Every mistake a
// person can make is reported as one ScenarioError pointing at the file, line and column.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "model/scenario.hpp"

namespace model {

// A scenario that cannot be used. what() is the whole message, formatted as
// "path:line:column: what is wrong; what was expected" ("path: ..." when the problem is
// the file itself, e.g. it does not exist; then line() and column() are 0).
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string path, int line, int column, std::string message);
  const std::string& path() const { return path_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& message() const { return message_; }  // without the location

 private:
  std::string path_;
  int line_;
  int column_;
  std::string message_;
};

// Limits that keep a typo from turning into an hour of simulation or an out-of-memory.
inline constexpr std::uintmax_t kMaxScenarioFileBytes = 16u << 20;  // 16 MiB
inline constexpr std::uintmax_t kMaxCsvFileBytes = 512u << 20;      // 512 MiB
inline constexpr std::int64_t kMaxItems = 100'000'000;              // 10^8 downloads
inline constexpr double kMaxItemBytes = 1099511627776.0;            // 1 TiB per item

// Reads and validates a scenario file. Relative paths inside it (items_csv) are resolved
// against the file's folder. Throws ScenarioError.
Scenario load_scenario(const std::filesystem::path& path);

// Same, from text already in memory; `path_for_messages` names it in errors and its folder
// resolves relative paths. Throws ScenarioError.
Scenario parse_scenario(std::string_view toml_text, std::string_view path_for_messages);

}  // namespace model
