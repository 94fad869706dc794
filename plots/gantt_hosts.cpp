// The Gantt by host and by connection (see by_host and by_connection in plots.hpp).
#include <algorithm>
#include <map>
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

// `r` with each download in group[i] (names[g] its lanes' name), packed into lanes per group.
model::StrategyResult packed(const model::StrategyResult& r, const std::vector<std::size_t>& group,
                             const std::vector<std::string>& names, const std::string& lanes_are) {
  model::StrategyResult out;
  out.name = r.name;
  out.kind = r.kind;
  out.detail = r.detail + "; lanes: " + lanes_are;
  out.live = r.live;
  out.summary = r.summary;
  out.explanation = r.explanation;
  out.events = r.events;
  out.downloads = r.downloads;
  // When each download held a connection: its first to its last span on one.
  struct Held {
    model::Time from = sim::kTimeMax, to{0};
  };
  std::vector<Held> held(r.downloads.size());
  std::vector<std::vector<std::size_t>> of_group(names.size());
  for (std::size_t i = 0; i < r.downloads.size(); ++i) {
    const model::Outcome& o = r.downloads[i];
    for (std::uint32_t k = 0; k < o.span_count && o.span_begin + k < r.spans.size(); ++k) {
      const model::PhaseSpan& s = r.spans[o.span_begin + k];
      if (!on_connection(s.phase)) continue;
      held[i].from = std::min(held[i].from, s.start);
      held[i].to = std::max(held[i].to, s.end);
    }
    if (held[i].from == sim::kTimeMax) held[i] = {o.end, o.end};  // never had one
    of_group[group[i]].push_back(i);
  }
  // Per group, by start: the first lane free by then, else a new one (as few lanes as the
  // most connections, or streams, held at once).
  int offset = 0;
  for (std::size_t g = 0; g < names.size(); ++g) {
    std::vector<std::size_t>& mine = of_group[g];
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
    for (std::size_t k = 0; k < free_at.size(); ++k)
      out.lane_names.push_back(k == 0 ? names[g] : fmt::format("{} #{}", names[g], k + 1));
    offset += static_cast<int>(free_at.size());
  }
  out.lanes = std::max(1, offset);
  if (out.lane_names.empty()) out.lane_names.push_back(names.empty() ? "server" : names[0]);
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

}  // namespace

model::StrategyResult by_host(const model::StrategyResult& r,
                              const std::vector<std::string>& hosts) {
  const std::size_t host_count = std::max<std::size_t>(hosts.size(), 1);
  std::vector<std::size_t> group;
  for (const model::Outcome& o : r.downloads)
    group.push_back(o.host < host_count ? o.host : 0);
  std::vector<std::string> names = hosts;
  if (names.empty()) names.push_back("server");
  return packed(r, group, names, "each host's connections");
}

model::StrategyResult by_connection(const model::StrategyResult& r,
                                    const std::vector<std::string>& hosts) {
  // Connections in the order they were opened; downloads that never had one last.
  std::map<std::uint32_t, std::size_t> index;
  bool none = false;
  for (const model::Outcome& o : r.downloads) {
    if (o.connection == 0)
      none = true;
    else
      index.emplace(o.connection, 0);
  }
  std::vector<std::string> names;
  std::vector<std::uint32_t> host_of;
  for (auto& [id, g] : index) {
    g = names.size();
    names.push_back(fmt::format("conn {}", id));
  }
  host_of.assign(names.size(), 0);
  if (none) names.push_back("no connection");
  std::vector<std::size_t> group;
  for (const model::Outcome& o : r.downloads) {
    group.push_back(o.connection == 0 ? names.size() - 1 : index[o.connection]);
    if (o.connection != 0) host_of[group.back()] = o.host;
  }
  if (hosts.size() > 1) {
    for (std::size_t g = 0; g < host_of.size(); ++g)
      if (host_of[g] < hosts.size()) names[g] = hosts[host_of[g]] + " " + names[g];
  }
  return packed(r, group, names, "each connection's streams");
}

}  // namespace plots
