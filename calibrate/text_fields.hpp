// Small text helpers the readers share: lines with their numbers, CSV fields (RFC 4180
// quoting), and numbers that must be finite.
#pragma once

#include <array>
#include <cstddef>
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

// Where each of `names` is in a CSV header (the last of equal ones); `missing(name)` is called,
// and must throw, for a name the header does not have.
template <std::size_t N, class Missing>
std::array<std::size_t, N> columns_of(const std::vector<std::string>& header,
                                      const char* const (&names)[N], Missing missing) {
  std::array<std::size_t, N> col{};
  for (std::size_t k = 0; k < N; ++k) {
    col[k] = header.size();
    for (std::size_t j = 0; j < header.size(); ++j)
      if (header[j] == names[k]) col[k] = j;
    if (col[k] == header.size()) missing(names[k]);
  }
  return col;
}

}  // namespace calibrate
