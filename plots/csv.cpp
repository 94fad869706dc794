// CSV export: one row per download and phase span, seconds with nine fixed decimals.
#include <fmt/format.h>
#include <algorithm>
#include <cstdlib>
#include <iterator>

#include "plots/plots.hpp"

namespace plots {
namespace {

// RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside.
std::string field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

// Exact decimal seconds from integer nanoseconds ("1.500000000", "-0.000000001").
std::string seconds(sim::Duration d) {
  const std::int64_t ns = d.count();
  const std::uint64_t mag =
      ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  return fmt::format("{}{}.{:09}", ns < 0 ? "-" : "", mag / 1'000'000'000u, mag % 1'000'000'000u);
}

}  // namespace

void write_downloads_csv(const std::vector<model::StrategyResult>& results, const Sink& sink,
                         const std::vector<std::string>& hosts) {
  const bool by_host = !hosts.empty();
  sink(std::string("strategy,id,name,") + (by_host ? "host," : "") +
       "lane,status,http_status,attempts,bytes,phase,attempt,start_s,end_s,consumed_s\n");
  std::string rows;  // one download's, handed on at once
  auto o = std::back_inserter(rows);
  for (const auto& r : results) {
    const std::string strategy = field(r.name);
    for (const auto& d : r.downloads) {
      rows.clear();
      const std::string host = by_host && d.host < hosts.size() ? field(hosts[d.host]) + ","
                               : by_host                        ? ","
                                                                : "";
      const std::string head =
          fmt::format("{},{},{},{}{},{},{},{},{},", strategy, d.id, field(d.name), host, d.lane,
                      model::to_string(d.status), d.http_status, d.attempts, d.bytes);
      const std::size_t begin = std::min<std::size_t>(d.span_begin, r.spans.size());
      const std::size_t end = std::min<std::size_t>(begin + d.span_count, r.spans.size());
      if (begin == end) {  // no spans recorded: still one row, spanning the whole download
        fmt::format_to(o, "{},,{},{},{}\n", head, seconds(d.start), seconds(d.end),
                       seconds(d.consumed));
      }
      for (std::size_t k = begin; k < end; ++k) {
        const model::PhaseSpan& s = r.spans[k];
        fmt::format_to(o, "{}{},{},{},{},{}\n", head, model::to_string(s.phase), s.attempt,
                       seconds(s.start), seconds(s.end), seconds(d.consumed));
      }
      sink(rows);
    }
  }
}

std::string downloads_csv(const std::vector<model::StrategyResult>& results) {
  std::string out;
  write_downloads_csv(results, [&](std::string_view piece) { out += piece; });
  return out;
}

}  // namespace plots
