// What the writers and the reader of a sweep's files share: exact numbers, the CSV layout,
// the JSON description of a sweep, and one function per file (sweep_csv.cpp, sweep_json.cpp,
// sweep_chart_file.cpp); sweep_merge.cpp reads the CSV and JSON back with the same pieces.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "sweep/sweep_plan.hpp"
#include "sweep/sweep_stats.hpp"

namespace sweep {

using Json = nlohmann::ordered_json;

// The "format" of sweep.json.
inline constexpr const char* kSweepFormat = "loiter-sweep/1";

// Nanoseconds as seconds, exactly: 1160234567 -> "1.160234567", 4000000000 -> "4".
std::string ns_text(std::int64_t ns);
// Reads ns_text back. False when `s` is not such a number.
bool parse_ns(std::string_view s, std::int64_t& out);

// The whole of `s` as a number. False otherwise.
template <typename T>
bool parse_number(std::string_view s, T& out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

// Shortest text that reads back as the same double.
std::string exact(double v);

// One CSV field, quoted when needed (RFC 4180).
std::string csv_field(const std::string& s);
// Splits CSV text into records of fields (RFC 4180 quoting). Returns false on a bad quote.
bool csv_records(const std::string& text, std::vector<std::vector<std::string>>& records);
// sweep.csv's header: point, replication, seed, one column per axis, then the results.
std::vector<std::string> csv_header(const SweepMeta& meta);

// The sweep's description as sweep.json stores it, and back. meta_from_json throws
// Json::exception or std::invalid_argument.
Json meta_json(const SweepMeta& meta);
SweepMeta meta_from_json(const Json& j);

// sweep.json and sweep.svg.
std::string sweep_json(const SweepMeta& meta, const std::vector<PointStats>& stats,
                       const std::vector<Recommendation>& recs);
// sweep.svg reads the rows too: a strategy whose runs are the same whatever the panels' keys
// is drawn once.
std::string sweep_svg(const SweepMeta& meta, const std::vector<SweepRow>& rows,
                      const std::vector<PointStats>& stats,
                      const std::vector<Recommendation>& recs);

}  // namespace sweep
