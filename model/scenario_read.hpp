// Reading a scenario's files: a text file checked before it is read (kind, size, binary
// data), the TOML document with its syntax errors as ScenarioError, and items from a CSV file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "model/scenario.hpp"
#include "model/scenario_load.hpp"

namespace model {

// Reads a whole text file of at most `limit` bytes, refusing directories, devices, pipes,
// kernel files (/proc, /sys) and oversized files before reading anything; the read never
// waits. `what` names the file in messages. (model/text_file.cpp)
std::string read_file(const std::filesystem::path& path, std::uintmax_t limit,
                      std::string_view what);

// A size shown beside its limit: exact when rounding would make them look equal
// ("16 MiB + 2 B"), else rounded ("100 MiB").
std::string size_beside_limit(std::uintmax_t n, std::uintmax_t limit);

// Binary data is refused with the position of its first NUL byte.
void refuse_binary(std::string_view text, const std::string& path, std::string_view what);

// A scenario's TOML text, checked (binary, size, key depth) and parsed. Every problem is a
// ScenarioError naming `path`.
toml::table parse_toml(std::string_view toml_text, const std::string& path);

// Items from a simple CSV: a header row naming the columns, then one item per line, fields
// separated by commas (no quoting). Errors point into the CSV file `csv_name`. Empty when
// the file has no item rows.
// The columns: `at`, the arrival time, is read when the header has it (and must be there
// when `at_required`, i.e. the scenario named it); its times never decrease down the file.
// With [[host]] tables (`hosts`, their names), each row names its host: a `host` column, or
// a `url` column whose host part (with its port) is the host.
struct CsvColumns {
  std::string name = "name", size = "size", at = "at";
  bool at_required = false;
  std::vector<std::string> hosts;
};
std::vector<Item> parse_items_csv(std::string_view text, const std::string& csv_name,
                                  const CsvColumns& columns);

}  // namespace model
