// The Gantt by host: a crawl's downloads regrouped into each host's connections.
#include <catch2/catch.hpp>

#include <map>

#include "model/scenario_load.hpp"
#include "model/simulate.hpp"
#include "plots/plots.hpp"

TEST_CASE("by host: a host's lanes are the connections it had at once, never overlapping") {
  const model::Scenario s = model::load_scenario(LOITER_SOURCE_DIR "/scenarios/crawl.toml");
  std::vector<std::string> hosts;
  for (const model::Host& h : s.hosts)
    hosts.push_back(h.name);
  const auto jobs = model::make_jobs(s, s.seed);
  for (const model::Strategy& st : s.strategies) {
    INFO(st.name);
    const auto r = model::simulate_strategy(s, st, jobs, s.seed, false).result;
    const model::StrategyResult g = plots::by_host(r, hosts);
    REQUIRE(g.downloads.size() == r.downloads.size());
    REQUIRE(static_cast<int>(g.lane_names.size()) == g.lanes);
    // At most the client's per-host cap of lanes per host, and every host has one.
    const int cap = s.client_of(st).max_per_host;
    std::map<std::string, int> lanes_of;
    for (int lane = 0; lane < g.lanes; ++lane) {
      const std::string& name = g.lane_names[static_cast<std::size_t>(lane)];
      ++lanes_of[name.substr(0, name.find(" #"))];
    }
    CHECK(lanes_of.size() == hosts.size());
    for (const auto& [host, n] : lanes_of) {
      INFO(host);
      CHECK(n <= cap);
    }
    // Each download is on a lane of its own host, and no two on one lane overlap.
    std::map<int, std::vector<std::pair<model::Time, model::Time>>> on_lane;
    for (const model::Outcome& o : g.downloads) {
      const std::string& name = g.lane_names[static_cast<std::size_t>(o.lane)];
      CHECK(name.substr(0, name.find(" #")) == hosts[o.host]);
      if (o.span_count == 0) continue;
      model::Time from = sim::kTimeMax, to{0};
      for (std::uint32_t k = 0; k < o.span_count; ++k) {
        const model::PhaseSpan& sp = g.spans[o.span_begin + k];
        CHECK(sp.phase != model::Phase::pool);
        from = std::min(from, sp.start);
        to = std::max(to, sp.end);
      }
      on_lane[o.lane].push_back({from, to});
    }
    for (auto& [lane, spans] : on_lane) {
      std::sort(spans.begin(), spans.end());
      for (std::size_t k = 1; k < spans.size(); ++k)
        CHECK(spans[k].first >= spans[k - 1].second);
    }
  }
}

TEST_CASE("by connection: an HTTP/2 connection's lanes are its streams at once") {
  model::Scenario s = model::load_scenario(LOITER_SOURCE_DIR "/scenarios/http2.toml");
  const model::Strategy* h2 = nullptr;
  for (const model::Strategy& st : s.strategies)
    if (s.client_of(st).http2) h2 = &st;
  REQUIRE(h2 != nullptr);
  s.client_of(*h2).max_streams = 30;  // 200 requests at once: 7 connections
  const auto jobs = model::make_jobs(s, s.seed);
  const auto r = model::simulate_strategy(s, *h2, jobs, s.seed, false).result;
  const model::StrategyResult g = plots::by_connection(r, {});
  REQUIRE(g.downloads.size() == r.downloads.size());
  REQUIRE(static_cast<int>(g.lane_names.size()) == g.lanes);
  std::map<std::string, int> lanes_of;
  for (const std::string& name : g.lane_names)
    ++lanes_of[name.substr(0, name.find(" #"))];
  CHECK(lanes_of.size() == 7);
  for (const auto& [conn, n] : lanes_of) {
    INFO(conn);
    CHECK(n <= 30);
  }
  // Each download on a lane of its own connection.
  for (const model::Outcome& o : g.downloads) {
    const std::string& name = g.lane_names[static_cast<std::size_t>(o.lane)];
    CHECK(name.substr(0, name.find(" #")) == "conn " + std::to_string(o.connection));
  }
}
