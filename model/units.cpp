// Parsing and formatting of durations, sizes and rates (see units.hpp).
#include "model/units.hpp"
#include "model/words.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

namespace model {
namespace {

struct Unit {
  std::string_view name;
  double factor;  // to seconds, bytes, or bytes per second
  bool bits;      // rates only: a bit unit
};

constexpr std::array kDuration{
    Unit{"ns", 1e-9, false},  Unit{"us", 1e-6, false}, Unit{"\xC2\xB5s", 1e-6, false},
    Unit{"ms", 1e-3, false},  Unit{"s", 1.0, false},   Unit{"min", 60.0, false},
    Unit{"h", 3600.0, false},
};

constexpr double kKi = 1024.0;
constexpr std::array kSize{
    Unit{"B", 1.0, false},
    Unit{"kB", 1e3, false},
    Unit{"KB", 1e3, false},
    Unit{"MB", 1e6, false},
    Unit{"GB", 1e9, false},
    Unit{"TB", 1e12, false},
    Unit{"KiB", kKi, false},
    Unit{"MiB", kKi* kKi, false},
    Unit{"GiB", kKi* kKi* kKi, false},
    Unit{"TiB", kKi* kKi* kKi* kKi, false},
};

constexpr std::array kRate{
    Unit{"bit/s", 1.0 / 8, true},   Unit{"kbit/s", 1e3 / 8, true},
    Unit{"Mbit/s", 1e6 / 8, true},  Unit{"Gbit/s", 1e9 / 8, true},
    Unit{"bps", 1.0 / 8, true},     Unit{"kbps", 1e3 / 8, true},
    Unit{"Mbps", 1e6 / 8, true},    Unit{"Gbps", 1e9 / 8, true},
    Unit{"B/s", 1.0, false},        Unit{"kB/s", 1e3, false},
    Unit{"KB/s", 1e3, false},       Unit{"MB/s", 1e6, false},
    Unit{"GB/s", 1e9, false},       Unit{"KiB/s", kKi, false},
    Unit{"MiB/s", kKi* kKi, false}, Unit{"GiB/s", kKi* kKi* kKi, false},
};

constexpr double kMaxDurationSeconds = 1e8;  // about three years; fits int64 nanoseconds

std::string quoted(std::string_view s) {
  return quoted_excerpt(s, '"');
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

struct Quantity {
  double number;
  std::string_view unit;  // may be empty
};

// Splits "2.5 KiB" into 2.5 and "KiB". `what` names the quantity for messages.
Quantity split(std::string_view text, std::string_view what, std::string_view example) {
  const std::string_view s = trim(text);
  if (s.empty())
    throw UnitError("empty " + std::string(what) + "; expected a number and a unit, e.g. " +
                    quoted(example));
  std::size_t i = 0;
  if (s[0] == '-')
    throw UnitError(std::string(what) + " " + quoted(text) + " is negative; expected a value >= 0");
  if (s[0] == '+') i = 1;
  const std::size_t start = i;
  while (i < s.size() && is_digit(s[i]))
    ++i;
  std::size_t digits = i - start;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t frac = i;
    while (i < s.size() && is_digit(s[i]))
      ++i;
    digits += i - frac;
  }
  if (digits == 0)
    throw UnitError(quoted(text) + " is not a " + std::string(what) +
                    "; expected a number and a unit, e.g. " + quoted(example));
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    const std::size_t exp_start = j;
    while (j < s.size() && is_digit(s[j]))
      ++j;
    if (j > exp_start) i = j;  // otherwise the 'e' starts the unit and is reported there
  }
  double number = 0;
  const auto [ptr, ec] = std::from_chars(s.data() + start, s.data() + i, number);
  if (ec != std::errc() || ptr != s.data() + i || !std::isfinite(number))
    throw UnitError(std::string(what) + " " + quoted(text) + " is out of range");
  return {number, trim(s.substr(i))};
}

template <std::size_t N>
std::optional<Unit> find_unit(const std::array<Unit, N>& units, std::string_view name) {
  for (const Unit& u : units)
    if (u.name == name) return u;
  return std::nullopt;
}

template <std::size_t N>
std::string case_hint(const std::array<Unit, N>& units, std::string_view name) {
  for (const Unit& u : units)
    if (iequals(u.name, name)) return "did you mean '" + std::string(u.name) + "'? ";
  return {};
}

std::string unknown_unit(std::string_view what, std::string_view unit, std::string_view text,
                         std::string hint, std::string_view accepted) {
  return "unknown " + std::string(what) + " unit '" + std::string(unit) + "' in " + quoted(text) +
         "; " + hint + "expected one of: " + std::string(accepted);
}

}  // namespace

double parse_duration(std::string_view text) {
  const Quantity q = split(text, "duration", "250ms");
  if (q.unit.empty()) {
    if (q.number == 0) return 0;
    throw UnitError("duration " + quoted(text) + " has no unit; write e.g. " +
                    quoted(std::string(trim(text)) + "s") + " or " +
                    quoted(std::string(trim(text)) + "ms") +
                    " (units: " + std::string(kDurationUnits) + ")");
  }
  const auto unit = find_unit(kDuration, q.unit);
  if (!unit) {
    std::string hint = case_hint(kDuration, q.unit);
    if (hint.empty() && (q.unit == "m" || iequals(q.unit, "mins") || iequals(q.unit, "minute") ||
                         iequals(q.unit, "minutes")))
      hint = "did you mean 'min'? ";
    if (hint.empty() && (iequals(q.unit, "sec") || iequals(q.unit, "secs") ||
                         iequals(q.unit, "second") || iequals(q.unit, "seconds")))
      hint = "did you mean 's'? ";
    throw UnitError(unknown_unit("duration", q.unit, text, hint, kDurationUnits));
  }
  const double seconds = q.number * unit->factor;
  if (!(seconds <= kMaxDurationSeconds))
    throw UnitError("duration " + quoted(text) + " is too long; expected at most 1e8 s (3 years)");
  return seconds;
}

double parse_size(std::string_view text) {
  const Quantity q = split(text, "size", "2.5 KiB");
  if (q.unit.empty()) return q.number;  // bytes
  const auto unit = find_unit(kSize, q.unit);
  if (!unit) {
    std::string hint = case_hint(kSize, q.unit);
    if (q.unit.find("bit") != std::string_view::npos || q.unit == "b" || q.unit == "Kb" ||
        q.unit == "Mb" || q.unit == "Gb")
      hint = "sizes are in bytes (B, KiB, MB, ...), not bits; ";
    else if (q.unit.find('/') != std::string_view::npos)
      hint = "that is a rate; a size has no '/s'; ";
    throw UnitError(unknown_unit("size", q.unit, text, hint, kSizeUnits));
  }
  const double bytes = q.number * unit->factor;
  if (!std::isfinite(bytes)) throw UnitError("size " + quoted(text) + " is out of range");
  return bytes;
}

double parse_rate(std::string_view text) {
  const Quantity q = split(text, "rate", "20 Mbit/s");
  if (q.unit.empty()) {
    if (q.number == 0) return 0;
    throw UnitError("rate " + quoted(text) + " has no unit; write e.g. " +
                    quoted(std::string(trim(text)) + " Mbit/s") + " or " +
                    quoted(std::string(trim(text)) + " MB/s") +
                    " (units: " + std::string(kRateUnits) + ")");
  }
  const auto unit = find_unit(kRate, q.unit);
  if (!unit) {
    std::string hint;
    // "MBps" is megabytes per second (B, not b): "MB/s", never "Mbps" (megabits).
    if (q.unit.size() > 3 && q.unit.ends_with("Bps")) {
      const std::string bytes = std::string(q.unit.substr(0, q.unit.size() - 2)) + "/s";
      if (find_unit(kRate, bytes)) hint = "did you mean '" + bytes + "' (bytes per second)? ";
    } else if (q.unit == "Bps") {
      hint = "did you mean 'B/s' (bytes per second)? ";
    }
    if (hint.empty()) hint = case_hint(kRate, q.unit);
    if (hint.empty() && q.unit.find('/') == std::string_view::npos)
      hint = "a rate needs '/s' (bytes or bits per second), e.g. '20 Mbit/s'; ";
    throw UnitError(unknown_unit("rate", q.unit, text, hint, kRateUnits));
  }
  const double rate = q.number * unit->factor;
  if (!std::isfinite(rate)) throw UnitError("rate " + quoted(text) + " is out of range");
  return rate;
}

double parse_frequency(std::string_view text) {
  const std::string_view t = trim(text);
  const auto slash = t.find('/');
  const std::string_view number = trim(t.substr(0, slash));
  const std::string_view per = slash == std::string_view::npos ? "s" : trim(t.substr(slash + 1));
  double seconds = 0;  // of the unit after the slash
  if (per == "s") {
    seconds = 1;
  } else if (per == "min") {
    seconds = 60;
  } else if (per == "h") {
    seconds = 3600;
  } else {
    throw UnitError("rate " + quoted(text) + " has an unknown unit '/" + std::string(per) +
                    "'; expected a number per second, minute or hour, e.g. \"100/s\", " +
                    "\"6000/min\"");
  }
  double v = 0;
  const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
  if (number.empty() || ec != std::errc() || ptr != number.data() + number.size() ||
      !std::isfinite(v))
    throw UnitError("rate " + quoted(text) + " is not a number per second; expected e.g. " +
                    "\"100/s\" or \"6000/min\"");
  if (v < 0) throw UnitError("rate " + quoted(text) + " is negative; expected a value >= 0");
  return v / seconds;
}

// ---- formatting ----

namespace {

// `value` with digits after the point, trailing zeros removed: (1500, 1000) -> "1.5".
std::string fixed_decimal(std::int64_t value, std::int64_t unit, int decimals) {
  std::string out = std::to_string(value / unit);
  std::int64_t frac = value % unit;
  if (frac == 0) return out;
  std::string digits = std::to_string(frac);
  digits.insert(0, static_cast<std::size_t>(decimals) - digits.size(), '0');
  while (!digits.empty() && digits.back() == '0')
    digits.pop_back();
  return out + "." + digits;
}

// Shortest %g rendering (no exponent) of `value` that `parse` maps back onto `target`.
struct Candidate {
  std::string text;
  int digits = 99;  // length of the number: fewer characters read more easily
};

template <typename Parse>
Candidate shortest(double value, std::string_view sep, std::string_view unit, double target,
                   Parse parse) {
  for (int p = 1; p <= 17; ++p) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", p, value);
    const std::string number = buf;
    if (number.find_first_of("eEn") != std::string::npos) continue;  // exponent, inf, nan
    std::string text = number + std::string(sep) + std::string(unit);
    try {
      if (parse(text) == target) return {text, static_cast<int>(number.size())};
    } catch (const UnitError&) {
      return {};
    }
  }
  return {};
}

// Rounded for display: value in the largest unit that keeps it >= 1.
template <std::size_t N>
std::string approx(double value, const std::array<Unit, N>& units, int significant,
                   std::string_view sep) {
  Unit best = units[0];
  for (const Unit& u : units)
    if (std::abs(value) >= u.factor) best = u;
  const double v = value / best.factor;
  int before = 1;
  for (double x = std::abs(v); x >= 10; x /= 10)
    ++before;
  const int decimals = std::max(0, significant - before);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string number = buf;
  if (number.find('.') != std::string::npos) {
    while (number.back() == '0')
      number.pop_back();
    if (number.back() == '.') number.pop_back();
  }
  return number + std::string(sep) + std::string(best.name);
}

constexpr std::array kSizeDisplay{Unit{"B", 1.0, false}, Unit{"KiB", kKi, false},
                                  Unit{"MiB", kKi* kKi, false}, Unit{"GiB", kKi* kKi* kKi, false},
                                  Unit{"TiB", kKi* kKi* kKi* kKi, false}};
constexpr std::array kRateDisplay{Unit{"bit/s", 1.0 / 8, true}, Unit{"kbit/s", 1e3 / 8, true},
                                  Unit{"Mbit/s", 1e6 / 8, true}, Unit{"Gbit/s", 1e9 / 8, true}};

}  // namespace

std::string format_duration(sim::Duration d) {
  std::int64_t ns = d.count();
  if (ns == 0) return "0s";
  if (ns < 0) {
    std::string positive = format_duration(sim::Duration{-ns});
    positive.insert(positive.begin(), '-');  // not "-" + s: g++ 12 -O3 warns falsely (-Wrestrict)
    return positive;
  }
  constexpr std::int64_t kUs = 1000, kMs = 1000 * kUs, kS = 1000 * kMs, kMin = 60 * kS,
                         kH = 60 * kMin;
  if (ns % kH == 0) return std::to_string(ns / kH) + "h";
  if (ns % kMin == 0) return std::to_string(ns / kMin) + "min";
  if (ns >= kS) return fixed_decimal(ns, kS, 9) + "s";
  if (ns >= kMs) return fixed_decimal(ns, kMs, 6) + "ms";
  if (ns >= kUs) return fixed_decimal(ns, kUs, 3) + "us";
  return std::to_string(ns) + "ns";
}

namespace {

// Whole byte counts (every item's size) by integer arithmetic: in each unit, the value
// with at most 3 decimals if there is one. A million items print in well under a second.
Candidate whole_bytes(std::int64_t n, const Unit& u) {
  const auto f = static_cast<std::int64_t>(u.factor);
  std::int64_t scale = 1;
  for (int d = 0; d <= 3; ++d, scale *= 10) {
    if ((n * scale) % f != 0) continue;
    std::string number = std::to_string(n / f);
    if (d > 0) {
      std::string frac = std::to_string((n * scale / f) % scale);
      frac.insert(0, static_cast<std::size_t>(d) - frac.size(), '0');
      number += "." + frac;
    }
    std::string text = number + " " + std::string(u.name);
    if (parse_size(text) != static_cast<double>(n)) return {};
    return {text, static_cast<int>(number.size())};
  }
  return {};
}

}  // namespace

std::string format_size(double bytes, int significant_digits) {
  if (!std::isfinite(bytes)) return std::to_string(bytes) + " B";
  if (significant_digits > 0) return approx(bytes, kSizeDisplay, significant_digits, " ");
  if (bytes == 0) return "0 B";
  const bool whole = bytes >= 1 && bytes <= 1e15 && bytes == std::floor(bytes);
  Candidate best;
  for (const Unit& u : kSize) {
    if (u.name == "KB") continue;  // spelled kB
    Candidate c = whole ? whole_bytes(static_cast<std::int64_t>(bytes), u)
                        : shortest(bytes / u.factor, " ", u.name, bytes, parse_size);
    if (c.digits < best.digits || (c.digits == best.digits && c.text.size() < best.text.size()))
      best = c;
  }
  if (best.text.empty()) {  // no exact short form: full precision in bytes
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g B", bytes);
    return buf;
  }
  return best.text;
}

std::string format_rate(double bytes_per_s, int significant_digits) {
  if (!std::isfinite(bytes_per_s)) return std::to_string(bytes_per_s) + " B/s";
  if (significant_digits > 0) return approx(bytes_per_s, kRateDisplay, significant_digits, " ");
  if (bytes_per_s == 0) return "0 B/s";
  Candidate best;
  bool best_bits = false;
  for (const Unit& u : kRate) {
    if (u.name == "KB/s" || u.name.ends_with("ps")) continue;  // one spelling each
    Candidate c = shortest(bytes_per_s / u.factor, " ", u.name, bytes_per_s, parse_rate);
    // Fewest digits wins; on a tie bits (how links are sold), then the shorter text.
    const bool better =
        c.digits < best.digits ||
        (c.digits == best.digits &&
         ((u.bits && !best_bits) || (u.bits == best_bits && c.text.size() < best.text.size())));
    if (better) {
      best = c;
      best_bits = u.bits;
    }
  }
  if (best.text.empty()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g B/s", bytes_per_s);
    return buf;
  }
  return best.text;
}

std::string format_frequency(double per_s) {
  return fmt::format("{}/s", per_s);
}

}  // namespace model
