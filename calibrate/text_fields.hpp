// Small text helpers the readers share: lines with their numbers, CSV fields (RFC 4180
// quoting), and numbers that must be finite.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calibrate {

struct Line {
  std::size_t number = 0;  // 1-based
  std::string_view text;   // without the line break (and a trailing '\r')
};
std::vector<Line> lines_of(std::string_view text);

// Splits one CSV record; nullopt when a quoted field is not closed on the line.
std::optional<std::vector<std::string>> csv_fields(std::string_view line);

// A finite number, the whole of `text`; nullopt otherwise.
std::optional<double> number(std::string_view text);

}  // namespace calibrate
