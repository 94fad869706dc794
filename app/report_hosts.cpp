#include "app/report_hosts.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

namespace app {

namespace {

double secs(model::Duration d) {
  return sim::to_seconds(d);
}

}  // namespace

std::vector<HostFigures> host_figures(const model::StrategyResult& r, std::size_t hosts) {
  std::vector<HostFigures> out(std::max<std::size_t>(hosts, 1));
  const auto at = [&](std::uint32_t host) -> HostFigures& {
    return out[host < out.size() ? host : 0];
  };
  model::Time first = sim::kTimeMax;
  for (const model::Outcome& o : r.downloads)
    first = std::min(first, o.submitted);
  std::vector<std::vector<model::Duration>> times(out.size());
  for (const model::Outcome& o : r.downloads) {
    HostFigures& h = at(o.host);
    ++h.downloads;
    if (o.status != model::Status::ok) ++h.failed;
    h.last_end = std::max(h.last_end, o.end - first);
    times[o.host < out.size() ? o.host : 0].push_back(o.end - o.start);
  }
  // Spans name their download by id; downloads are in id order with their host.
  std::vector<std::uint32_t> host_of(r.downloads.size(), 0);
  for (const model::Outcome& o : r.downloads)
    if (o.id < host_of.size()) host_of[o.id] = o.host;
  for (const model::PhaseSpan& s : r.spans) {
    if (s.phase != model::Phase::pool || s.download >= host_of.size()) continue;
    at(host_of[s.download]).pool_wait += s.end - s.start;
  }
  for (std::size_t h = 0; h < out.size(); ++h) {
    std::vector<model::Duration>& t = times[h];
    if (t.empty()) continue;
    const std::size_t rank = (t.size() + 1) / 2 - 1;  // nearest rank of the 50th percentile
    std::nth_element(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(rank), t.end());
    out[h].median = t[rank];
  }
  return out;
}

std::string host_table(const std::vector<model::StrategyResult>& results,
                       const std::vector<std::string>& hosts, std::size_t name_w,
                       std::size_t shown) {
  if (hosts.size() < 2 || results.empty()) return "";
  std::size_t host_w = 4;
  for (const std::string& h : hosts)
    host_w = std::max(host_w, h.size());
  std::string out = fmt::format(
      "\nby host ({} hosts; for each strategy the {} whose last download ended latest)\n",
      hosts.size(), std::min(shown, hosts.size()));
  out += fmt::format("{:<{}}  {:<{}}  {:>9}  {:>6}  {:>9}  {:>9}  {:>15}\n", "strategy", name_w,
                     "host", host_w, "downloads", "failed", "last end", "p50", "pool wait, sum");
  for (const model::StrategyResult& r : results) {
    const std::vector<HostFigures> f = host_figures(r, hosts.size());
    std::vector<std::size_t> order(f.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return f[a].last_end > f[b].last_end; });
    for (std::size_t k = 0; k < order.size() && k < shown; ++k) {
      const HostFigures& h = f[order[k]];
      out += fmt::format("{:<{}}  {:<{}}  {:>9}  {:>6}  {:>8.3f}s  {:>8.3f}s  {:>14.3f}s\n",
                         k == 0 ? r.name : "", name_w, hosts[order[k]], host_w, h.downloads,
                         h.failed, secs(h.last_end), secs(h.median), secs(h.pool_wait));
    }
  }
  return out;
}

nlohmann::ordered_json hosts_json(const model::StrategyResult& r,
                                  const std::vector<std::string>& hosts) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  const std::vector<HostFigures> f = host_figures(r, hosts.size());
  for (std::size_t h = 0; h < hosts.size(); ++h) {
    out.push_back({{"name", hosts[h]},
                   {"downloads", f[h].downloads},
                   {"failed", f[h].failed},
                   {"last_end_s", secs(f[h].last_end)},
                   {"per_request_p50_s", secs(f[h].median)},
                   {"pool_wait_s", secs(f[h].pool_wait)}});
  }
  return out;
}

}  // namespace app
