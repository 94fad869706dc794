// End-to-end: a run whose events run out with downloads unfinished says so, download by download.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "cli_support.hpp"

using namespace cli_test;

TEST_CASE("stalls with no timeout are reported as stalled, never as downloaded", "[cli][stall]") {
  const std::string path = source("tests/scenarios/stall-no-timeout.toml");
  const Result json = loiter("run " + path + " --format json");
  REQUIRE(json.code == 0);
  const auto j = nlohmann::json::parse(json.out);
  REQUIRE(j["strategies"].size() == 2);
  for (const auto& st : j["strategies"]) {
    INFO(st["name"]);
    std::set<std::string> names;
    std::int64_t stalled = 0;
    for (const auto& d : st["downloads"]) {
      CHECK(!d["name"].get<std::string>().empty());
      names.insert(d["name"].get<std::string>());
      CHECK(d["end_s"].get<double>() >= d["start_s"].get<double>());
      CHECK(d["consumed_s"].get<double>() >= d["end_s"].get<double>());
      if (d["status"] == "stalled") {
        ++stalled;
        CHECK(d.contains("error"));
      }
    }
    CHECK(names.size() == 10);
    CHECK(stalled > 0);
    CHECK(st["outcomes"]["stalled"] == stalled);
    std::int64_t total = 0;
    for (const auto& [k, v] : st["outcomes"].items())
      total += v.get<std::int64_t>();
    CHECK(total == 10);
    CHECK(st["outcomes"]["ok"].get<std::int64_t>() < 10);
    CHECK(st["makespan_s"].get<double>() >= st["lower_bound_s"].get<double>());
  }
  const Result text = loiter("run " + path);
  REQUIRE(text.code == 0);
  CHECK(text.out.find("stalled") != std::string::npos);
  CHECK(text.out.find("10 downloaded") == std::string::npos);
  CHECK(text.out.find("sequential  never finishes: ") != std::string::npos);
  CHECK(text.out.find("no client.timeout to end the wait") != std::string::npos);
  // A run that never finishes has no makespan, speed-up or distance from its bound to show.
  const std::string row = text.out.substr(text.out.find("\nasync "), 80);
  INFO(row);
  CHECK(row.find(" never ") != std::string::npos);
  CHECK(row.find('%') == std::string::npos);
  const Result csv = loiter("run " + path + " --format csv");
  REQUIRE(csv.code == 0);
  CHECK(csv.out.find(",stalled,") != std::string::npos);
}
