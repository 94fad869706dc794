// The Gantt by host (see by_host in plots.hpp).
#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "plots/plots.hpp"

namespace plots {

namespace {

bool on_connection(model::Phase p) {
  using model::Phase;
  return p == Phase::connect || p == Phase::request || p == Phase::server_queue ||
         p == Phase::service || p == Phase::transfer;
}

}  // namespace

model::StrategyResult by_host(const model::StrategyResult& r,
                              const std::vector<std::string>& hosts) {
  model::StrategyResult out;
  out.name = r.name;
  out.kind = r.kind;
  out.detail = r.detail + "; lanes: each host's connections";
  out.live = r.live;
  out.summary = r.summary;
  out.explanation = r.explanation;
  out.events = r.events;
  out.downloads = r.downloads;
  const std::size_t host_count = std::max<std::size_t>(hosts.size(), 1);
  // When each download held a connection: its first to its last span on one.
  struct Held {
    model::Time from = sim::kTimeMax, to{0};
  };
  std::vector<Held> held(r.downloads.size());
  std::vector<std::vector<std::size_t>> of_host(host_count);
  for (std::size_t i = 0; i < r.downloads.size(); ++i) {
    const model::Outcome& o = r.downloads[i];
    for (std::uint32_t k = 0; k < o.span_count && o.span_begin + k < r.spans.size(); ++k) {
      const model::PhaseSpan& s = r.spans[o.span_begin + k];
      if (!on_connection(s.phase)) continue;
      held[i].from = std::min(held[i].from, s.start);
      held[i].to = std::max(held[i].to, s.end);
    }
    if (held[i].from == sim::kTimeMax) held[i] = {o.end, o.end};  // never had one
    of_host[o.host < host_count ? o.host : 0].push_back(i);
  }
  // Per host, by start: the first lane free by then, else a new one (as few lanes as the
  // most connections held at once).
  int offset = 0;
  for (std::size_t h = 0; h < host_count; ++h) {
    std::vector<std::size_t>& mine = of_host[h];
    std::stable_sort(mine.begin(), mine.end(),
                     [&](std::size_t a, std::size_t b) { return held[a].from < held[b].from; });
    std::vector<model::Time> free_at;
    for (const std::size_t i : mine) {
      std::size_t lane = 0;
      while (lane < free_at.size() && free_at[lane] > held[i].from)
        ++lane;
      if (lane == free_at.size()) free_at.push_back(held[i].to);
      free_at[lane] = held[i].to;
      // On its connection from the first byte sent: no wait for a lane or a connection, and
      // no consumption drawn (the caller's order is the strategy's Gantt).
      model::Outcome& o = out.downloads[i];
      o.lane = offset + static_cast<int>(lane);
      o.submitted = o.start = held[i].from;
      o.consumed = o.end = std::max(held[i].to, held[i].from);
    }
    const std::string name = h < hosts.size() ? hosts[h] : std::string("server");
    for (std::size_t k = 0; k < free_at.size(); ++k)
      out.lane_names.push_back(k == 0 ? name : fmt::format("{} #{}", name, k + 1));
    offset += static_cast<int>(free_at.size());
  }
  out.lanes = std::max(1, offset);
  if (out.lane_names.empty()) out.lane_names.push_back("server");
  // Only the spans on a connection, download by download.
  for (model::Outcome& o : out.downloads) {
    const std::uint32_t begin = o.span_begin, count = o.span_count;
    o.span_begin = static_cast<std::uint32_t>(out.spans.size());
    for (std::uint32_t k = 0; k < count && begin + k < r.spans.size(); ++k)
      if (on_connection(r.spans[begin + k].phase)) out.spans.push_back(r.spans[begin + k]);
    o.span_count = static_cast<std::uint32_t>(out.spans.size()) - o.span_begin;
  }
  return out;
}

}  // namespace plots
