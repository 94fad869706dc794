// Tests for model/scenario_warnings: legal but suspicious settings, each reported at the
// place its key was written (in the file or on the command line), and none for sound ones.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "model/scenario_keys.hpp"
#include "model/scenario_load.hpp"
#include "model/scenario_warnings.hpp"
#include "model/units.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// A sound scenario of 4 items on a 50 ms path to a 100 ms server; `extra` is added per section.
std::string scenario(const std::string& network = "", const std::string& server = "",
                     const std::string& client = "", const std::string& strategies = "") {
  return "[workload]\n"
         "items = [{ name = \"a\", size = 1000 }, { name = \"b\", size = 1000 },\n"
         "         { name = \"c\", size = 1000 }, { name = \"d\", size = 1000 }]\n"
         "[network]\n"
         "rtt = \"50ms\"\n"
         "bandwidth = \"10 Mbit/s\"\n" +
         network +
         "[server]\n"
         "service = \"100ms\"\n" +
         server + "[client]\n" + client +
         "[[strategy]]\n"
         "name = \"seq\"\n"
         "kind = \"sequential\"\n" +
         strategies;
}

std::vector<model::Warning> warnings(const std::string& toml) {
  return model::scenario_warnings(model::parse_scenario(toml, "w.toml"));
}

}  // namespace

TEST_CASE("warnings: a sound scenario has none", "[warnings]") {
  CHECK(warnings(scenario()).empty());
  CHECK(warnings(scenario("", "", "timeout = \"2s\"\n", "")).empty());
}

TEST_CASE("warnings: a timeout shorter than any attempt can take", "[warnings]") {
  // A new connection per request: DNS 0 + TCP 50 ms + request and first byte 50 ms + 100 ms.
  const auto w = warnings(scenario("", "", "timeout = \"150ms\"\n"));
  REQUIRE(w.size() == 1);
  CHECK(w[0].where == "w.toml:10:11");
  CHECK_THAT(w[0].text(), StartsWith("w.toml:10:11: warning: client.timeout = 150ms"));
  CHECK_THAT(w[0].message, Contains("(200ms"));
  CHECK(warnings(scenario("", "", "timeout = \"201ms\"\n")).empty());
  // A kept-alive connection needs no handshake: 150 ms is the least an attempt takes.
  CHECK(warnings(scenario("", "", "keep_alive = true\ntimeout = \"150ms\"\n")).empty());
  CHECK(warnings(scenario("", "", "keep_alive = true\ntimeout = \"149ms\"\n")).size() == 1);
  // The smallest RTT a uniform draw can give, not its mean.
  std::string spread = scenario("", "", "timeout = \"150ms\"\n");
  spread.replace(spread.find("rtt = \"50ms\""), 12,
                 "rtt = { dist = \"uniform\", low = \"10ms\", high = \"90ms\" }");
  CHECK(warnings(spread).empty());
  spread.replace(spread.find("10ms"), 4, "80ms");  // 2 x 80 ms + 100 ms > 150 ms
  CHECK(warnings(spread).size() == 1);
}

TEST_CASE("warnings: least_attempt_seconds counts DNS, handshakes and TLS", "[warnings]") {
  const model::Scenario s =
      model::parse_scenario(scenario("tls = true\ntls_rtts = 2\ndns = \"20ms\"\n"), "w.toml");
  CHECK(model::least_attempt_seconds(s, true) == Approx(0.05 + 0.1));
  CHECK(model::least_attempt_seconds(s, false) == Approx(0.02 + 3 * 0.05 + 0.05 + 0.1));
}

TEST_CASE("warnings: a stall rate with no timeout", "[warnings]") {
  const auto w = warnings(scenario("", "stall_rate = 0.3\n"));
  REQUIRE(w.size() == 1);
  CHECK(w[0].where == "w.toml:9:14");
  CHECK_THAT(w[0].message, Contains("no client.timeout"));
  CHECK(warnings(scenario("", "stall_rate = 0.3\n", "timeout = \"5s\"\n")).empty());
}

TEST_CASE("warnings: error rates adding up to more than 1", "[warnings]") {
  const auto w = warnings(
      scenario("", "errors = [{ status = 503, rate = 0.6 }, { status = 500, rate = 0.5 }]\n"));
  REQUIRE(w.size() == 1);
  CHECK(w[0].where == "w.toml:9:10");
  CHECK_THAT(w[0].message, Contains("add up to 1.1"));
  CHECK(warnings(scenario("",
                          "errors = [{ status = 503, rate = 0.5 }, { status = 500, rate = "
                          "0.5 }]\n"))
            .empty());
}

TEST_CASE("warnings: more workers or concurrency than items", "[warnings]") {
  const std::string pool = "[[strategy]]\nname = \"t8\"\nkind = \"pool\"\nworkers = 8\n";
  const std::string async = "[[strategy]]\nname = \"a6\"\nkind = \"async\"\nmax_concurrency = 6\n";
  const auto w = warnings(scenario("", "", "", pool + async));
  REQUIRE(w.size() == 2);
  CHECK(w[0].where == "w.toml:16:11");
  CHECK_THAT(w[0].message, Contains("'t8' has 8 workers for 4 downloads: the extra 4 do nothing"));
  CHECK(w[1].where == "w.toml:20:19");
  CHECK_THAT(w[1].message, Contains("max_concurrency = 6 for 4 downloads"));
  const std::string fits =
      "[[strategy]]\nname = \"t4\"\nkind = \"pool\"\nworkers = 4\n"
      "[[strategy]]\nname = \"a0\"\nkind = \"async\"\nmax_concurrency = 0\n";
  CHECK(warnings(scenario("", "", "", fits)).empty());
}

TEST_CASE("warnings: a scenario where every phase takes no time", "[warnings]") {
  const std::string nothing =
      "[workload]\nitems = [{ name = \"a\", size = 1000 }]\n"
      "[[strategy]]\nname = \"seq\"\nkind = \"sequential\"\n";
  const auto w = warnings(nothing);
  REQUIRE(w.size() == 1);
  CHECK(w[0].where == "w.toml:1:1");
  CHECK_THAT(w[0].message, Contains("measures nothing"));
  CHECK(warnings("[workload]\nsleeps = [\"0s\", \"0s\"]\n[[strategy]]\nname = \"s\"\n"
                 "kind = \"sequential\"\n")
            .size() == 1);
  CHECK(warnings("[workload]\nsleeps = [\"0s\", \"1s\"]\n[[strategy]]\nname = \"s\"\n"
                 "kind = \"sequential\"\n")
            .empty());
  // A link with a limit makes the transfer take time.
  CHECK(warnings("[workload]\nitems = [{ name = \"a\", size = 1000 }]\n"
                 "[network]\nbandwidth = \"1 Mbit/s\"\n"
                 "[[strategy]]\nname = \"seq\"\nkind = \"sequential\"\n")
            .empty());
}

TEST_CASE("warnings: a bandwidth written as zero means unlimited", "[warnings]") {
  for (const char* zero : {"\"0 Mbit/s\"", "\"0\"", "0"}) {
    INFO(zero);
    const auto w = warnings(scenario(std::string("per_connection = ") + zero + "\n"));
    REQUIRE(w.size() == 1);
    CHECK(w[0].where == "w.toml:7:18");
    CHECK_THAT(w[0].message, Contains("write \"unlimited\""));
  }
  CHECK(warnings(scenario("per_connection = \"unlimited\"\n")).empty());
}

TEST_CASE("warnings: a setting from --set is reported at the option", "[warnings]") {
  model::Scenario s = model::parse_scenario(scenario(), "w.toml");
  model::apply_setting(s, "client.timeout=10ms");
  model::apply_setting(s, "server.stall_rate=0.1");
  const auto w = model::scenario_warnings(s);
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0].text(), StartsWith("--set client.timeout=10ms: warning: client.timeout = 10ms"));
  model::apply_setting(s, "client.timeout=none");
  const auto stall = model::scenario_warnings(s);
  REQUIRE(stall.size() == 1);
  CHECK_THAT(stall[0].text(), StartsWith("--set server.stall_rate=0.1: warning:"));
  model::apply_setting(s, "network.bandwidth=0");
  CHECK(model::scenario_warnings(s).back().where == "--set network.bandwidth=0");
}

TEST_CASE("setting keys takes booleans and client.timeout = none as files do", "[warnings][keys]") {
  model::Scenario s = model::parse_scenario(scenario("", "", "timeout = \"1s\"\n"), "w.toml");
  model::apply_setting(s, "network.keep_alive=true");
  CHECK(s.client.keep_alive);
  model::apply_setting(s, "network.tls = true");
  CHECK(s.network.tls);
  model::apply_setting(s, "network.keep_alive=false");
  CHECK_FALSE(s.client.keep_alive);
  CHECK_THROWS_WITH(model::apply_setting(s, "network.keep_alive=yes"),
                    Contains("not a boolean; expected true or false"));
  REQUIRE(s.client.timeout);
  model::apply_setting(s, "client.timeout=none");
  CHECK_FALSE(s.client.timeout);
}

TEST_CASE("a rate in MBps suggests MB/s (megabytes), not Mbps", "[warnings][units]") {
  CHECK_THROWS_WITH(model::parse_rate("10 MBps"), Contains("did you mean 'MB/s'"));
  CHECK_THROWS_WITH(model::parse_rate("10 KiBps"), Contains("did you mean 'KiB/s'"));
  CHECK_THROWS_WITH(model::parse_rate("10 Bps"), Contains("did you mean 'B/s'"));
  CHECK(model::parse_rate("10 Mbps") == Approx(10e6 / 8));
}
