// sweep.csv: one row per point, replication and strategy; its numbers written exactly.
#include "sweep/sweep_file_parts.hpp"

#include <charconv>

#include <fmt/format.h>

#include "sweep/sweep_files.hpp"

namespace sweep {

// Nanoseconds as seconds, exactly: 1160234567 -> "1.160234567", 4000000000 -> "4".
std::string ns_text(std::int64_t ns) {
  const bool negative = ns < 0;
  const std::uint64_t v =
      negative ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  std::string out = (negative ? "-" : "") + std::to_string(v / 1'000'000'000);
  std::string frac = fmt::format("{:09}", v % 1'000'000'000);
  while (!frac.empty() && frac.back() == '0')
    frac.pop_back();
  return frac.empty() ? out : out + "." + frac;
}

bool parse_ns(std::string_view s, std::int64_t& out) {
  bool negative = false;
  if (!s.empty() && s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  const auto dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (whole.empty() || frac.size() > 9 || (dot != std::string_view::npos && frac.empty()))
    return false;
  std::int64_t w = 0, f = 0;
  auto r1 = std::from_chars(whole.data(), whole.data() + whole.size(), w);
  if (r1.ec != std::errc() || r1.ptr != whole.data() + whole.size() || w > 9'000'000'000)
    return false;
  if (!frac.empty()) {
    auto r2 = std::from_chars(frac.data(), frac.data() + frac.size(), f);
    if (r2.ec != std::errc() || r2.ptr != frac.data() + frac.size()) return false;
    for (std::size_t i = frac.size(); i < 9; ++i)
      f *= 10;
  }
  out = (w * 1'000'000'000 + f) * (negative ? -1 : 1);
  return true;
}

// Shortest text that reads back as the same double.
std::string exact(double v) {
  return fmt::format("{}", v);
}

// ---------------------------------------------------------------- CSV

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Splits CSV text into records of fields (RFC 4180 quoting). Returns false on a bad quote.
bool csv_records(const std::string& text, std::vector<std::vector<std::string>>& records) {
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || was_quoted) return false;
      quoted = was_quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n') {
      record.push_back(std::move(field));
      records.push_back(std::move(record));
      record.clear();
      field.clear();
      was_quoted = false;
    } else if (c != '\r') {
      field += c;
    }
  }
  if (quoted) return false;
  if (!field.empty() || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return true;
}

std::vector<std::string> csv_header(const SweepMeta& meta) {
  std::vector<std::string> h = {"point", "replication", "seed"};
  for (const SweepAxis& a : meta.axes)
    h.push_back(a.key);
  for (const char* c : {"strategy", "makespan_s", "throughput_per_s", "p95_s", "lower_bound_s",
                        "downloads", "ok", "failed", "binds", "command"})
    h.emplace_back(c);
  return h;
}

std::string sweep_csv(const SweepMeta& meta, const std::vector<SweepRow>& rows) {
  std::string out;
  const auto header = csv_header(meta);
  for (std::size_t i = 0; i < header.size(); ++i)
    out += (i ? "," : "") + csv_field(header[i]);
  out += "\n";
  for (const SweepRow& r : rows) {
    const auto c = meta.coordinates(r.point);
    const std::string& strategy = meta.strategies[r.strategy];
    out += fmt::format("{},{},{}", r.point, r.replication, r.seed);
    for (std::size_t i = 0; i < meta.axes.size(); ++i)
      out += "," + exact(meta.axes[i].values[c[i]]);
    out += fmt::format(",{},{},{},{},{},{},{},{},{},{}\n", csv_field(strategy),
                       ns_text(r.makespan_ns), exact(r.throughput_per_s), ns_text(r.p95_ns),
                       ns_text(r.lower_bound_ns), r.downloads, r.ok, r.failed, csv_field(r.binds),
                       csv_field(rerun_command(meta, r.point, r.replication, strategy)));
  }
  return out;
}

}  // namespace sweep
