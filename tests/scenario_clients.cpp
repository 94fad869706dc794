// Clients in scenario files: [client] as the default, [clients.NAME] tables, bundled library
// profiles named by strategies, the old network.keep_alive (read, with a warning), their
// mistakes at path:line:col, and --set reaching every client's keys.
#include <catch2/catch.hpp>
#include <string>

#include "model/scenario_clients.hpp"
#include "model/scenario_keys.hpp"
#include "model/scenario_load.hpp"
#include "model/scenario_warnings.hpp"
#include "model/simulate.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

std::string with(const std::string& clients, const std::string& strategy_extra = "",
                 const std::string& network = "") {
  return "[workload]\n"                               // 1
         "items = [{ name = \"a\", size = 1000 }]\n"  // 2
         "[network]\n"                                // 3
         "rtt = \"50ms\"\n" +                         // 4
         network +
         clients +
         "[[strategy]]\n"
         "name = \"s\"\n"
         "kind = \"async\"\n" +
         strategy_extra;
}

model::Scenario load(const std::string& text) {
  return model::parse_scenario(text, "c.toml");
}

std::string error_of(const std::string& text) {
  try {
    load(text);
  } catch (const model::ScenarioError& e) {
    return e.what();
  }
  FAIL("expected a ScenarioError");
  return {};
}

}  // namespace

TEST_CASE("clients: [client] is the default, [clients.NAME] starts from it", "[clients]") {
  const auto s =
      load(with("[client]\n"
                "cpu = \"2ms\"\n"
                "keep_alive = true\n"
                "[clients.fast]\n"
                "max_connections = 10\n"
                "when_full = \"open_extra\"\n"
                "read_timeout = \"2s\"\n",
                "client = \"fast\"\n"));
  CHECK(s.client.keep_alive);
  CHECK(s.client.max_connections == 0);
  const model::Client& fast = s.client_of(s.strategies[0]);
  CHECK(&fast == &s.clients.at("fast"));
  CHECK(fast.keep_alive);  // from [client]
  CHECK(fast.cpu.a() == Approx(0.002));
  CHECK(fast.max_connections == 10);
  CHECK(fast.when_full == model::Client::WhenFull::open_extra);
  CHECK(sim::to_seconds(*fast.read_timeout) == Approx(2));
}

TEST_CASE("clients: a strategy names a bundled profile", "[clients][profiles]") {
  const auto s = load(with("[client]\ncpu = \"7ms\"\n", "client = \"httpx\"\n"));
  const model::Client& c = s.client_of(s.strategies[0]);
  CHECK(c.keep_alive);
  CHECK(c.max_connections == 100);
  CHECK(c.max_idle == 20);
  CHECK(sim::to_seconds(*c.idle_timeout) == Approx(5));
  CHECK(sim::to_seconds(*c.pool_timeout) == Approx(5));
  CHECK_FALSE(c.timeout.has_value());
  // A named client built on a profile, with one key of its own.
  const auto t = load(
      with("[clients.mine]\nprofile = \"go-net-http\"\nmax_idle = 8\n", "client = \"mine\"\n"));
  const model::Client& m = t.client_of(t.strategies[0]);
  CHECK(m.max_idle == 8);
  CHECK(sim::to_seconds(*m.idle_timeout) == Approx(90));
}

TEST_CASE("clients: every bundled profile loads", "[clients][profiles]") {
  const std::vector<std::string> expected = {"aiohttp",         "curl-parallel", "cxx-threads",
                                             "go-net-http",     "httpx",         "requests",
                                             "requests-session"};
  std::vector<std::string> names;
  for (const auto& p : model::bundled_profiles())
    names.emplace_back(p.name);
  CHECK(names == expected);
  for (const auto& name : names) {
    INFO(name);
    const auto s = load(with("", "client = \"" + name + "\"\n"));
    CHECK(s.clients.count(name) == 1);
  }
  const auto req = load(with("", "client = \"requests-session\"\n")).clients.at("requests-session");
  CHECK(req.max_per_host == 10);
  CHECK(req.when_full == model::Client::WhenFull::open_extra);
}

TEST_CASE("clients: an unknown client lists the known ones, with did-you-mean", "[clients]") {
  const std::string e =
      error_of(with("[clients.fast]\nmax_connections = 4\n", "client = \"htpx\"\n"));
  CHECK_THAT(e, StartsWith("c.toml:10:10: strategy 's': no client named \"htpx\"; did you mean "
                           "'httpx'? "));
  CHECK_THAT(e, Contains("(this file has: fast)"));
  CHECK_THAT(e, Contains("aiohttp, curl-parallel, cxx-threads, go-net-http, httpx, requests, "
                         "requests-session"));
  const std::string p = error_of(with("[clients.x]\nprofile = \"aiohtp\"\n", "client = \"x\"\n"));
  CHECK_THAT(p, StartsWith("c.toml:6:11: clients.x.profile: no bundled profile \"aiohtp\"; did "
                           "you mean 'aiohttp'?"));
}

TEST_CASE("clients: the new keys are checked where they are written", "[clients]") {
  CHECK_THAT(error_of(with("[client]\nwhen_full = \"block\"\n")),
             StartsWith("c.toml:6:13: client.when_full: unknown value \"block\"; expected "
                        "\"wait\""));
  CHECK_THAT(error_of(with("[clients.a]\nwhen_full = \"open-extra\"\n")),
             Contains("did you mean 'open_extra'?"));
  CHECK_THAT(error_of(with("[client]\nmax_conections = 4\n")),
             StartsWith("c.toml:6:1: unknown key 'max_conections' in [client]; did you mean "
                        "'max_connections'?"));
  CHECK_THAT(error_of(with("[client]\nmax_idle = -1\n")), StartsWith("c.toml:6:12:"));
  CHECK_THAT(error_of(with("[clients.a]\nread_timeout = \"0s\"\n")),
             StartsWith("c.toml:6:16: clients.a.read_timeout must be positive"));
  CHECK_THAT(error_of(with("[clients.a]\nretries = 1000\n")), StartsWith("c.toml:6:11:"));
  CHECK_THAT(error_of(with("[clients.a]\ntimeout = \"0s\"\n")),
             Contains("clients.a.timeout must be positive"));
  CHECK_THAT(error_of(with("[client]\nprofile = \"httpx\"\n")),
             StartsWith("c.toml:6:11: [client] is the default client and cannot take a profile"));
  // "none" turns a limit off.
  CHECK_FALSE(load(with("[client]\nidle_timeout = \"none\"\n")).client.idle_timeout.has_value());
}

TEST_CASE("clients: network.keep_alive is still read, with a warning naming client.keep_alive",
          "[clients][warnings]") {
  const auto s = load(with("", "", "keep_alive = true\n"));
  CHECK(s.client.keep_alive);
  const auto w = model::scenario_warnings(s);
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0].text(), StartsWith("c.toml:5:14: warning: network.keep_alive is read as "
                                     "client.keep_alive = true"));
  // [client] keep_alive wins over the old key, and written there it warns of nothing.
  CHECK_FALSE(
      load(with("[client]\nkeep_alive = false\n", "", "keep_alive = true\n")).client.keep_alive);
  CHECK(model::scenario_warnings(load(with("[client]\nkeep_alive = true\n"))).empty());
}

TEST_CASE("clients: --set reaches the pool and timeout keys of every client", "[clients][keys]") {
  auto s = load(with("[clients.fast]\nmax_connections = 4\n", "client = \"fast\"\n"));
  model::apply_setting(s, "clients.fast.max_connections=16");
  model::apply_setting(s, "client.max_idle=3");
  model::apply_setting(s, "clients.fast.read_timeout=250ms");
  model::apply_setting(s, "clients.fast.when_full=open_extra");
  model::apply_setting(s, "client.keep_alive=true");
  model::apply_setting(s, "clients.fast.pool_timeout=none");
  CHECK(s.clients.at("fast").max_connections == 16);
  CHECK(s.client.max_idle == 3);
  CHECK(sim::to_seconds(*s.clients.at("fast").read_timeout) == Approx(0.25));
  CHECK(s.clients.at("fast").when_full == model::Client::WhenFull::open_extra);
  CHECK(s.client.keep_alive);
  // The old key reaches the default client too.
  model::apply_setting(s, "network.keep_alive=false");
  CHECK_FALSE(s.client.keep_alive);
  CHECK_THROWS_WITH(model::apply_setting(s, "clients.slow.max_idle=3"),
                    Contains("unknown key 'clients.slow.max_idle'"));
  // A sweep's range over a named client's cap.
  const auto k = model::find_key(s, "clients.fast.max_connections");
  CHECK(model::parse_key_range(k, "1..8x2").values == std::vector<double>{1, 2, 4, 8});
}

TEST_CASE("clients: two strategies with different clients in one run", "[clients][model]") {
  std::string text =
      "[workload]\n"
      "count = 6\n"
      "size = 0\n"
      "[network]\n"
      "rtt = \"100ms\"\n"
      "[server]\n"
      "service = \"200ms\"\n"
      "[clients.two]\n"
      "keep_alive = true\n"
      "max_connections = 2\n"
      "[[strategy]]\n"
      "name = \"fresh\"\n"
      "kind = \"async\"\n"
      "[[strategy]]\n"
      "name = \"capped\"\n"
      "kind = \"async\"\n"
      "client = \"two\"\n";
  const auto runs = model::simulate(load(text), {});
  REQUIRE(runs.size() == 2);
  CHECK(sim::to_seconds(runs[0].result.summary.makespan) == Approx(0.4));
  CHECK(sim::to_seconds(runs[1].result.summary.makespan) == Approx(1.0));
}

TEST_CASE("clients: pool keys that can change nothing are warned of where written",
          "[clients][warnings]") {
  auto w = model::scenario_warnings(load(with("[client]\nmax_idle = 2\nidle_timeout = \"1s\"\n")));
  REQUIRE(w.size() == 2);
  CHECK_THAT(w[0].text(), StartsWith("c.toml:6:12: warning: client.max_idle applies to "
                                     "kept-alive connections, but client.keep_alive is false"));
  CHECK_THAT(w[1].text(), StartsWith("c.toml:7:16: warning: client.idle_timeout applies"));
  CHECK(model::scenario_warnings(
            load(with("[client]\nkeep_alive = true\nmax_idle = 2\nidle_timeout = \"1s\"\n")))
            .empty());
  w = model::scenario_warnings(load(with("[clients.x]\npool_timeout = \"1s\"\n")));
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0].text(), StartsWith("c.toml:6:16: warning: clients.x.pool_timeout = 1s: no "
                                     "request ever waits for a connection"));
  CHECK(model::scenario_warnings(
            load(with("[clients.x]\npool_timeout = \"1s\"\nmax_connections = 4\n")))
            .empty());
  // A bundled profile's own keys are not the file's: httpx has a pool_timeout and a cap.
  CHECK(model::scenario_warnings(load(with("", "client = \"httpx\"\n"))).empty());
}

TEST_CASE("clients: a named client's timeout is checked too; a read timeout ends a stall",
          "[clients][warnings]") {
  const auto w =
      model::scenario_warnings(load(with("[clients.x]\ntimeout = \"10ms\"\n", "client = \"x\"\n")));
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0].text(), StartsWith("c.toml:6:11: warning: clients.x.timeout = 10ms is shorter"));
  const std::string stall = "[server]\nstall_rate = 0.1\n";
  CHECK(model::scenario_warnings(load(with(stall))).size() == 1);
  CHECK(model::scenario_warnings(load(with(stall + "[client]\nread_timeout = \"2s\"\n"))).empty());
  CHECK(model::scenario_warnings(load(with(stall, "client = \"aiohttp\"\n"))).empty());
}

TEST_CASE("clients: --set reaches the CPU and GIL keys", "[clients][keys]") {
  auto s = load(with("[clients.fast]\ncpu = \"1ms\"\n", "client = \"fast\"\n"));
  model::apply_setting(s, "clients.fast.cpu_before=3ms");
  model::apply_setting(s, "clients.fast.cpu_per_byte=0.5ns");
  model::apply_setting(s, "clients.fast.startup=2s");
  model::apply_setting(s, "clients.fast.switch_interval=10ms");
  model::apply_setting(s, "clients.fast.gil=false");
  model::apply_setting(s, "clients.fast.cpu_on=ok");
  const model::Client& c = s.clients.at("fast");
  CHECK(c.cpu_before.a() == Approx(0.003));
  CHECK(c.cpu_per_byte == Approx(0.5e-9));
  CHECK(sim::to_seconds(c.startup) == Approx(2.0));
  CHECK(sim::to_seconds(c.switch_interval) == Approx(0.010));
  CHECK_FALSE(c.gil);
  CHECK(c.cpu_on == model::Client::CpuOn::ok);
  model::apply_setting(s, "client.gil=0");
  CHECK_FALSE(s.client.gil);
  model::apply_setting(s, "client.gil=true");
  CHECK(s.client.gil);
  CHECK_THROWS_WITH(model::apply_setting(s, "client.cpu_on=always"),
                    Contains("expected answer or ok"));
  CHECK_THROWS_WITH(model::apply_setting(s, "client.switch_interval=0s"), Contains("out of range"));
}
