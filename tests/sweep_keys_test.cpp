// Tests for model/scenario_keys: numeric scenario keys by name, values with units, ranges.
#include <catch2/catch.hpp>
#include <string>

#include "model/scenario_keys.hpp"
#include "model/scenario_load.hpp"

using Catch::Matchers::Contains;
using model::KeyError;

namespace {

model::Scenario flags20() {
  return model::load_scenario(std::string(LOITER_SOURCE_DIR) + "/scenarios/flags20.toml");
}

std::vector<double> range(const model::Scenario& s, const std::string& key, const std::string& r) {
  return model::parse_key_range(model::find_key(s, key), r).values;
}

std::string error_of(const model::Scenario& s, const std::string& key, const std::string& r) {
  try {
    (void)range(s, key, r);
  } catch (const KeyError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("a scenario lists its keys, strategy keys by strategy name", "[sweep][keys]") {
  const auto s = flags20();
  std::vector<std::string> names;
  for (const auto& k : model::scenario_keys(s))
    names.push_back(k.name);
  for (const char* expected :
       {"network.rtt", "network.rtt.scale", "network.bandwidth", "server.workers", "server.service",
        "client.timeout", "client.retries", "strategy.threads-20.workers",
        "strategy.async.max_concurrency"}) {
    INFO(expected);
    CHECK(std::find(names.begin(), names.end(), expected) != names.end());
  }
  // Only keys that exist: flags20 lists items, so there is no workload.count; sequential has
  // no workers; one pool, so no wildcard.
  for (const char* absent : {"workload.count", "strategy.sequential.workers", "strategy.*.workers"})
    CHECK(std::find(names.begin(), names.end(), absent) == names.end());
}

TEST_CASE("an unknown key names itself, a near miss and every valid key", "[sweep][keys]") {
  const auto s = flags20();
  try {
    (void)model::find_key(s, "strategy.threads.workers");
    FAIL("no error");
  } catch (const KeyError& e) {
    const std::string m = e.what();
    CHECK_THAT(m, Contains("'strategy.threads.workers'"));
    CHECK_THAT(m, Contains("did you mean 'strategy.threads-20.workers'?"));
    CHECK_THAT(m, Contains("valid keys: network.rtt,"));
    CHECK_THAT(m, Contains("strategy.async.max_concurrency"));
  }
}

TEST_CASE("lists, linear and geometric ranges", "[sweep][keys]") {
  const auto s = flags20();
  const std::string w = "strategy.threads-20.workers";
  CHECK(range(s, w, "1,2,4,8") == std::vector<double>{1, 2, 4, 8});
  CHECK(range(s, w, "8, 2") == std::vector<double>{8, 2});  // the order given
  CHECK(range(s, w, "1..5") == std::vector<double>{1, 2, 3, 4, 5});
  CHECK(range(s, w, "1..10+3") == std::vector<double>{1, 4, 7, 10});
  CHECK(range(s, w, "1..9+3") == std::vector<double>{1, 4, 7});
  const auto g = model::parse_key_range(model::find_key(s, w), "1..1024x2");
  CHECK(g.geometric);
  CHECK(g.values == std::vector<double>{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});
  // counts are rounded and repeats dropped
  CHECK(range(s, w, "1..10x1.5") == std::vector<double>{1, 2, 3, 5, 8});
  CHECK(range(s, w, "24") == std::vector<double>{24});
}

TEST_CASE("values and ranges carry units", "[sweep][keys]") {
  const auto s = flags20();
  const auto rtt = range(s, "network.rtt", "10ms..50ms+10ms");
  REQUIRE(rtt.size() == 5);
  CHECK(rtt[0] == Approx(0.010));
  CHECK(rtt[4] == Approx(0.050));
  CHECK(range(s, "network.rtt", "50ms,0.2s") == std::vector<double>{0.05, 0.2});
  CHECK(range(s, "network.bandwidth", "1Mbit/s..100Mbit/sx10") ==
        std::vector<double>{125e3, 1.25e6, 12.5e6});
  CHECK(range(s, "network.bandwidth", "unlimited") == std::vector<double>{0});
  CHECK(range(s, "server.stall_rate", "0,1%,0.05") == std::vector<double>{0, 0.01, 0.05});
  const auto k = model::find_key(s, "network.rtt");
  for (const char* text : {"50ms", "1.5s", "250us", "2min"}) {
    const double v = model::parse_key_value(k, text);
    CHECK(model::format_key_value(k, v) == text);
  }
  const auto bw = model::find_key(s, "network.bandwidth");
  CHECK(model::format_key_value(bw, model::parse_key_value(bw, "20 Mbit/s")) == "20 Mbit/s");
}

TEST_CASE("bad ranges name the key and the accepted forms", "[sweep][keys]") {
  const auto s = flags20();
  const std::string w = "strategy.threads-20.workers";
  CHECK_THAT(error_of(s, w, "8..1"), Contains(w) && Contains("backwards"));
  CHECK_THAT(error_of(s, w, "1..8x1"), Contains(w) && Contains("above 1"));
  CHECK_THAT(error_of(s, w, "1..8x"), Contains(w) && Contains("factor"));
  CHECK_THAT(error_of(s, w, "0..8"), Contains(w) && Contains("out of range"));
  CHECK_THAT(error_of(s, w, "2.5"), Contains(w) && Contains("whole number"));
  CHECK_THAT(error_of(s, w, "a..b"), Contains(w) && Contains("whole number"));
  CHECK_THAT(error_of(s, w, "1,,2"), Contains(w) && Contains("empty value"));
  CHECK_THAT(error_of(s, w, "1,2,1"), Contains(w) && Contains("twice"));
  CHECK_THAT(error_of(s, w, "1..8,9"), Contains(w) && Contains("mixes"));
  CHECK_THAT(error_of(s, w, "1..100001"), Contains(w) && Contains("out of range"));
  CHECK_THAT(error_of(s, w, "1..20000+1"), Contains(w));
  CHECK_THAT(error_of(s, w, ""), Contains(w) && Contains("1..1024x2"));
  CHECK_THAT(error_of(s, "network.rtt", "10ms..50ms"), Contains("network.rtt") && Contains("step"));
  CHECK_THAT(error_of(s, "network.rtt", "50"), Contains("network.rtt") && Contains("unit"));
  CHECK_THAT(error_of(s, "network.rtt", "0ms..1sx2"), Contains("starts above 0"));
  CHECK_THAT(error_of(s, "server.stall_rate", "1.5"), Contains("out of range"));
  CHECK_THAT(error_of(s, "client.timeout", "0s"), Contains("above 0s"));
}

TEST_CASE("setting a key changes the scenario", "[sweep][keys]") {
  auto s = flags20();
  model::apply_setting(s, "strategy.threads-20.workers=7");
  CHECK(s.strategies[1].workers == 7);
  model::apply_setting(s, "server.workers = 3");
  CHECK(s.server.workers == 3);
  // A distribution set to a value becomes that constant.
  model::apply_setting(s, "network.rtt=50ms");
  CHECK(s.network.rtt.kind() == model::Distribution::Kind::constant);
  CHECK(s.network.rtt.a() == Approx(0.05));
  // .scale keeps the shape: a lognormal's median scales, its sigma stays.
  auto t = flags20();
  const model::Distribution before = t.server.service;
  REQUIRE(before.kind() == model::Distribution::Kind::lognormal);
  model::apply_setting(t, "server.service.scale=2");
  CHECK(t.server.service.kind() == model::Distribution::Kind::lognormal);
  CHECK(t.server.service.a() == Approx(2 * before.a()));
  CHECK(t.server.service.b() == before.b());
  CHECK(t.server.service.mean() == Approx(2 * before.mean()));
  model::apply_setting(t, "network.bandwidth=unlimited");
  CHECK(t.network.bandwidth == 0);
  model::apply_setting(t, "client.timeout=2s");
  CHECK(t.client.timeout == std::chrono::seconds(2));
  CHECK_THROWS_WITH(model::apply_setting(t, "client.backoff=1min"), Contains("backoff_max"));
  CHECK_THROWS_WITH(model::apply_setting(t, "server.workers"), Contains("KEY=VALUE"));
}

TEST_CASE("a wildcard key sets every pool", "[sweep][keys]") {
  auto s = model::load_scenario(std::string(LOITER_SOURCE_DIR) + "/scenarios/loiter.toml");
  model::apply_setting(s, "strategy.*.workers=5");
  for (const auto& st : s.strategies)
    CHECK(st.workers == 5);
}
