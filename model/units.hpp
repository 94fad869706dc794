// Quantities as people write them: durations ("250ms"), sizes ("2.5 KiB") and rates
// ("20 Mbit/s"), parsed to seconds / bytes / bytes per second and formatted back.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "sim/time.hpp"

namespace model {

// A quantity that could not be read. The message says what was wrong and what is
// accepted; the scenario loader adds the file position.
class UnitError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Units accepted by the parsers, for messages and documentation.
inline constexpr std::string_view kDurationUnits = "ns, us, ms, s, min, h";
inline constexpr std::string_view kSizeUnits = "B, kB, MB, GB, TB, KiB, MiB, GiB, TiB";
inline constexpr std::string_view kRateUnits =
    "bit/s, kbit/s, Mbit/s, Gbit/s (also bps, kbps, Mbps, Gbps), "
    "B/s, kB/s, MB/s, GB/s, KiB/s, MiB/s, GiB/s";

// "1.5s", "250ms", "100us", "2min", "1h", "0s" -> seconds. A unit is required
// (except for "0"). Never negative, never NaN or infinite.
double parse_duration(std::string_view text);
// "512 B", "2.5 KiB", "3 MB", "1200" (bare number = bytes) -> bytes. SI prefixes are
// powers of 1000 (kB, MB), binary ones powers of 1024 (KiB, MiB).
double parse_size(std::string_view text);
// "20 Mbit/s", "2.5 MB/s", "100 KiB/s" -> bytes per second. A unit is required
// (except for "0"), so bits and bytes are never confused.
double parse_rate(std::string_view text);
// "100/s", "6000/min", "2/h", "100" (a bare number is per second) -> events per second, as
// for arrival rates. Never negative, never NaN or infinite.
double parse_frequency(std::string_view text);

// Formats that parse back to the same value, as short as possible:
// 1.5 s -> "1.5s", 250 ms -> "250ms", 120 s -> "2min", 0 -> "0s".
std::string format_duration(sim::Duration d);
// 2560 -> "2.5 KiB", 11925 -> "11925 B", 3e6 -> "3 MB". With significant_digits > 0
// the result is rounded for display instead ("11.6 KiB").
std::string format_size(double bytes, int significant_digits = 0);
// 2.5e6 -> "20 Mbit/s", 102400 -> "100 KiB/s"; significant_digits as for format_size.
std::string format_rate(double bytes_per_s, int significant_digits = 0);
// 100 -> "100/s", 0.5 -> "0.5/s": parses back to the same value.
std::string format_frequency(double per_s);

}  // namespace model
