// Many hosts: each download on its host's path and server, the client's pool per host and
// max_connections across hosts, and the DNS cache, against schedules computed by hand.
#include <catch2/catch.hpp>

#include "model/scenario_load.hpp"
#include "model/scenario_print.hpp"
#include "model_support.hpp"

using namespace model_test;
using Catch::Matchers::Contains;
using model::Distribution;

namespace {

model::Host host(const char* name, double rtt, double service) {
  model::Host h;
  h.name = name;
  h.network.rtt = Distribution::constant(rtt);
  h.server.service = Distribution::constant(service);
  return h;
}

// Items 0..n-1 with no body, item i on hosts[i].
model::Scenario on_hosts(std::vector<model::Host> hosts, const std::vector<std::uint32_t>& on) {
  auto s = items(static_cast<int>(on.size()), 0);
  s.hosts = std::move(hosts);
  for (std::size_t i = 0; i < on.size(); ++i)
    s.workload.items[i].host = on[i];
  return s;
}

double end_of(const model::StrategyResult& r, std::uint32_t id) {
  for (const auto& o : r.downloads)
    if (o.id == id) return seconds(o.end);
  FAIL("no download " << id);
  return 0;
}

}  // namespace

TEST_CASE("each download takes its own host's round trip and service", "[model][hosts]") {
  // a: rtt 0.1, service 0.3: connect 0.1 + the request's round trip 0.1 + 0.3 = 0.5.
  // b: rtt 0.2, service 0.2: connect 0.2 + 0.2 + 0.2 = 0.6.
  auto s = on_hosts({host("a", 0.1, 0.3), host("b", 0.2, 0.2)}, {0, 1, 0});
  const auto r = run_one(s, sequential()).result;
  CHECK(end_of(r, 0) == Approx(0.5).margin(1e-9));
  CHECK(end_of(r, 1) == Approx(0.5 + 0.6).margin(1e-9));
  CHECK(end_of(r, 2) == Approx(0.5 + 0.6 + 0.5).margin(1e-9));
  CHECK(r.downloads[1].host == 1);
  CHECK(seconds(r.summary.lower_bound) == Approx(1.6).margin(1e-9));
}

TEST_CASE("a host limit binds per host, max_connections across hosts", "[model][hosts]") {
  // slow: 1 s a request, fast: 0.1 s; no round trip. Items: slow, slow, fast, fast.
  auto s = on_hosts({host("slow", 0, 1.0), host("fast", 0, 0.1)}, {0, 0, 1, 1});
  s.client.max_per_host = 1;
  SECTION("per host only: the fast host is not held up by the slow one") {
    const auto r = run_one(s, async(0)).result;
    CHECK(end_of(r, 0) == Approx(1.0).margin(1e-9));
    CHECK(end_of(r, 1) == Approx(2.0).margin(1e-9));
    CHECK(end_of(r, 2) == Approx(0.1).margin(1e-9));
    CHECK(end_of(r, 3) == Approx(0.2).margin(1e-9));
    CHECK(seconds(r.summary.lower_bound) == Approx(2.0).margin(1e-9));
  }
  SECTION("one connection in use in all: hosts take turns in the order they asked") {
    // slow#0 0-1; fast#2 waits for the one place, gets it at 1 (it asked first), ends 1.1;
    // slow#1, which got the slow host's connection at 1, then has it: 1.1-2.1; fast#3 2.1-2.2.
    s.client.max_connections = 1;
    const auto r = run_one(s, async(0)).result;
    CHECK(end_of(r, 0) == Approx(1.0).margin(1e-9));
    CHECK(end_of(r, 2) == Approx(1.1).margin(1e-9));
    CHECK(end_of(r, 1) == Approx(2.1).margin(1e-9));
    CHECK(end_of(r, 3) == Approx(2.2).margin(1e-9));
    CHECK(seconds(r.summary.lower_bound) <= seconds(r.summary.makespan));
    CHECK(seconds(r.summary.lower_bound) == Approx(2.2).margin(1e-9));
  }
}

TEST_CASE("pool_timeout bounds the wait for the host's connection and the place in all together",
          "[model][hosts]") {
  // slow#0 holds the slow host's one connection and the one place 0-1; fast#2 asked for the
  // place first and has it 1-1.1; slow#1 got the host's connection at 1 and would get the
  // place at 1.1, 1.1 s after it asked: past pool_timeout = 1.05 s, so it times out at 1.05.
  auto s = on_hosts({host("slow", 0, 1.0), host("fast", 0, 0.1)}, {0, 0, 1});
  s.client.max_per_host = 1;
  s.client.max_connections = 1;
  s.client.pool_timeout = sim::from_seconds(1.05);
  const auto r = run_one(s, async(0)).result;
  CHECK(end_of(r, 0) == Approx(1.0).margin(1e-9));
  CHECK(end_of(r, 2) == Approx(1.1).margin(1e-9));
  CHECK(r.downloads[1].status == model::Status::timeout);
  CHECK(end_of(r, 1) == Approx(1.05).margin(1e-9));
}

TEST_CASE("the DNS cache: one lookup per host per run", "[model][hosts]") {
  auto s = items(3, 0);
  s.network.dns = Distribution::constant(0.05);
  s.network.rtt = Distribution::constant(0.1);
  SECTION("sequential: only the first connection looks the name up") {
    const auto r = run_one(s, sequential()).result;
    // 0.05 + connect 0.1 + request 0.1, then 0.2 each.
    CHECK(seconds(r.summary.makespan) == Approx(0.25 + 0.2 + 0.2).margin(1e-9));
  }
  SECTION("at once: all three wait for the one lookup") {
    const auto r = run_one(s, async(0)).result;
    for (const auto& o : r.downloads)
      CHECK(seconds(o.end) == Approx(0.25).margin(1e-9));
  }
  SECTION("without the cache every connection looks it up") {
    s.client.dns_cache = false;
    const auto r = run_one(s, sequential()).result;
    CHECK(seconds(r.summary.makespan) == Approx(3 * 0.25).margin(1e-9));
  }
  SECTION("per host: a second host makes its own lookup") {
    s.hosts = {host("a", 0.1, 0), host("b", 0.1, 0)};
    for (auto& h : s.hosts)
      h.network.dns = Distribution::constant(0.05);
    s.workload.items[2].host = 1;
    const auto r = run_one(s, sequential()).result;
    CHECK(end_of(r, 1) == Approx(0.45).margin(1e-9));
    CHECK(end_of(r, 2) == Approx(0.45 + 0.25).margin(1e-9));
  }
}

TEST_CASE("generated items are spread over the hosts by weight", "[model][hosts]") {
  model::Scenario s;
  s.workload.kind = model::Workload::Kind::generated;
  s.workload.count = 20'000;
  s.workload.size = Distribution::constant(1000);
  s.hosts = {host("heavy", 0, 0), host("light", 0, 0)};
  s.hosts[0].weight = 3;
  std::size_t heavy = 0;
  for (const auto& j : model::make_jobs(s, 7))
    heavy += j.host == 0;
  // Binomial(20000, 0.75): sd 61; 5 sd either side.
  CHECK(heavy > 15'000 - 310);
  CHECK(heavy < 15'000 + 310);
  // The sizes do not depend on the hosts.
  model::Scenario one = s;
  one.hosts.clear();
  const auto a = model::make_jobs(s, 7), b = model::make_jobs(one, 7);
  for (std::size_t i = 0; i < a.size(); ++i)
    REQUIRE(a[i].bytes == b[i].bytes);
}

namespace {

const std::string kRest = "[[strategy]]\nname = \"s\"\nkind = \"sequential\"\n";

model::ScenarioError error_of(const std::string& text) {
  try {
    model::parse_scenario(text + kRest, "crawl.toml");
  } catch (const model::ScenarioError& e) {
    return e;
  }
  FAIL("expected a ScenarioError for:\n" << text);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("[[host]] tables: read, numbered, printed back the same", "[scenario][hosts]") {
  const std::string text =
      "[workload]\nitems = [{ name = \"a\", size = \"1 KiB\", host = \"shop-2\" },\n"
      "         { name = \"b\", size = \"1 KiB\", host = \"cdn\" }]\n"
      "[server]\nworkers = 4\nservice = \"10ms\"\n"
      "[[host]]\nname = \"shop-{n}\"\ncount = 3\nrtt = \"80ms\"\nworkers = 1\n"
      "[[host]]\nname = \"cdn\"\nweight = 5\nerrors = [{ status = 503, rate = 0.1 }]\n";
  const model::Scenario s = model::parse_scenario(text + kRest, "crawl.toml");
  REQUIRE(s.hosts.size() == 4);
  CHECK(s.hosts[1].name == "shop-2");
  CHECK(s.hosts[2].server.workers == 1);
  CHECK(s.hosts[3].server.workers == 4);  // [server]'s
  model::Rng rng = model::Rng::derive(1, 1);
  CHECK(s.hosts[3].server.service.sample_within(rng, 1) == Approx(0.01));
  CHECK(s.hosts[3].server.errors.size() == 1);
  CHECK(s.hosts[3].weight == 5);
  CHECK(s.workload.items[0].host == 1);
  CHECK(s.workload.items[1].host == 3);
  const std::string printed = model::print_scenario(s);
  CHECK(model::print_scenario(model::parse_scenario(printed, "crawl.toml")) == printed);
}

TEST_CASE("[[host]] mistakes name the line, the column and what was expected",
          "[scenario][hosts]") {
  const std::string items = "[workload]\ncount = 3\nsize = \"1 KiB\"\n";
  auto e = error_of(items + "[[host]]\nname = \"a\"\n[[host]]\nname = \"a\"\n");
  CHECK(e.line() == 7);
  CHECK_THAT(e.what(), Contains("duplicate host name \"a\" (first at line 5)"));
  e = error_of(items + "[[host]]\nname = \"a\"\nper_connection = \"10 Mbit/s\"\n");
  CHECK(e.line() == 6);
  CHECK_THAT(e.what(), Contains("shared by every host; expected network.per_connection"));
  e = error_of(items + "[[host]]\nname = \"a\"\nbandwidth = \"fast\"\n");
  CHECK(e.line() == 6);
  CHECK_THAT(e.what(), Contains("host[0].bandwidth"));
  e = error_of(items + "[[host]]\nname = \"a-{n}\"\n");
  CHECK_THAT(e.what(), Contains("has {n} but no count"));
  e = error_of(items + "[[host]]\nname = \"a\"\ncount = 2\n");
  CHECK_THAT(e.what(), Contains("has no {n}"));
  e = error_of(items + "[[host]]\nname = \"a\"\nweight = 0\n");
  CHECK_THAT(e.what(), Contains("host[0].weight 0 is out of range"));
  e = error_of(
      "[workload]\nitems = [{ name = \"x\", size = 1, host = \"shop\" }]\n"
      "[[host]]\nname = \"shops\"\n");
  CHECK(e.line() == 2);
  CHECK_THAT(e.what(), Contains("workload.items[0].host \"shop\" is not one of the [[host]] "
                                "tables; did you mean 'shops'?"));
  e = error_of("[workload]\nitems = [{ name = \"x\", size = 1 }]\n[[host]]\nname = \"a\"\n");
  CHECK_THAT(e.what(), Contains("has no host, and the scenario has [[host]] tables"));
  e = error_of("[workload]\nitems = [{ name = \"x\", size = 1, host = \"a\" }]\n");
  CHECK_THAT(e.what(), Contains("the scenario has no [[host]] tables"));
}

TEST_CASE(
    "a host's own bandwidth caps its connections together; the rest of the link goes to "
    "the others",
    "[model][hosts]") {
  // No TCP rounds, no header bytes: the link is 10 MB/s of body. Host a's server sends at most
  // 1 MB/s, to two downloads of 1 MB; host b's two downloads are 4.5 MB each. Water-filling:
  // a's two get 0.5 MB/s each, b's two share the other 9 MB/s and end at 1 s; a's then have
  // 0.5 MB left each, still at its cap: they end at 2 s.
  auto s = on_hosts({host("a", 0, 0), host("b", 0, 0)}, {0, 0, 1, 1});
  s.network.tcp = false;
  s.network.overhead = 0;
  s.network.bandwidth = 10e6;
  s.hosts[0].bandwidth = 1e6;
  for (auto& it : s.workload.items)
    it.bytes = 1'000'000;
  s.workload.items[2].bytes = s.workload.items[3].bytes = 4'500'000;
  auto r = run_one(s, async(0)).result;
  CHECK(end_of(r, 0) == Approx(2.0).margin(1e-6));
  CHECK(end_of(r, 1) == Approx(2.0).margin(1e-6));
  CHECK(end_of(r, 2) == Approx(1.0).margin(1e-6));
  CHECK(end_of(r, 3) == Approx(1.0).margin(1e-6));
  // No download can beat a's 2 MB at 1 MB/s.
  CHECK(seconds(r.summary.lower_bound) == Approx(2.0).margin(1e-6));
  // A cap above the fair share changes nothing: 2.5 MB/s each, a's end at 0.4 s; b's then
  // share the link (5 MB/s each) for their last 3.5 MB: 0.4 + 0.7 s.
  s.hosts[0].bandwidth = 6e6;
  r = run_one(s, async(0)).result;
  CHECK(end_of(r, 0) == Approx(0.4).margin(1e-6));
  CHECK(end_of(r, 2) == Approx(1.1).margin(1e-6));
  // Read from a scenario file, printed back.
  const auto f = model::parse_scenario(
      "[workload]\ncount = 4\nsize = \"1 KiB\"\n[[host]]\nname = \"a\"\nbandwidth = \"8 "
      "Mbit/s\"\n[[host]]\nname = \"b\"\n[[strategy]]\nname = \"s\"\nkind = \"async\"\n",
      "h.toml");
  CHECK(f.hosts[0].bandwidth == Approx(1e6));
  CHECK(f.hosts[1].bandwidth == 0);
  CHECK(f.network.bandwidth == 0);
  CHECK_THAT(model::print_scenario(f), Contains("bandwidth = \"8 Mbit/s\""));
}

TEST_CASE("every {n} of a host name is its number, so the printed scenario reads back",
          "[scenario][hosts]") {
  // Found by fuzz_scenario: only the first {n} was replaced, and the printed name kept one.
  const auto s = model::parse_scenario(
      "[workload]\ncount = 4\nsize = \"1 KiB\"\n[[host]]\nname = \"a-{n}.b-{n}.example\"\ncount = "
      "2\n[[strategy]]\nname = \"s\"\nkind = \"async\"\n",
      "h.toml");
  REQUIRE(s.hosts.size() == 2);
  CHECK(s.hosts[0].name == "a-1.b-1.example");
  CHECK(s.hosts[1].name == "a-2.b-2.example");
  const std::string printed = model::print_scenario(s);
  CHECK(model::print_scenario(model::parse_scenario(printed, "h.toml")) == printed);
}
