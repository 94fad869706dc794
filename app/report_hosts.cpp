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
  const model::Tally& t = r.tally;
  for (std::size_t h = 0; h < out.size() && h < t.hosts.size(); ++h) {
    const model::HostTally& th = t.hosts[h];
    HostFigures& f = out[h];
    f.downloads = static_cast<std::size_t>(th.downloads);
    f.failed = static_cast<std::size_t>(th.failed);
    if (th.downloads > 0) f.last_end = th.last_end - t.first_arrival;
    f.pool_wait = th.pool_wait;
    f.median = th.median;
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
