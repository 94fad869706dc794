// End-to-end: the figures of the run report mean what their names say.
#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace cli_test;

TEST_CASE("in order and as completed differ in time to result, not in per-request time",
          "[cli][latency]") {
  // Lanes: 4 s, 3 s, 2 s at once; then 1 s (2..3 s) and 0 s (at 3 s). Ends 4, 3, 2, 3, 3.
  const std::string path = source("tests/scenarios/loiter-reversed.toml");
  const Result json = loiter("run " + path + " --format json");
  REQUIRE(json.code == 0);
  const auto j = nlohmann::json::parse(json.out);
  const auto& in_order = j["strategies"][0];
  const auto& completed = j["strategies"][1];
  REQUIRE(in_order["name"] == "map-in-order");
  // Per request (end - start): 4, 3, 2, 1, 0 s in both.
  CHECK(in_order["per_request_s"] == completed["per_request_s"]);
  CHECK(in_order["per_request_s"]["p50"] == 2.0);
  CHECK(in_order["per_request_s"]["p99"] == 4.0);
  // In order, every result reaches the caller at 4 s; as completed at 4, 3, 2, 3, 3 s.
  CHECK(in_order["first_result_s"] == 4.0);
  CHECK(completed["first_result_s"] == 2.0);
  CHECK(in_order["time_to_result_s"]["p50"] == 4.0);
  CHECK(completed["time_to_result_s"]["p50"] == 3.0);
  CHECK(completed["time_to_result_s"]["p99"] == 4.0);
  // The text report names both figures and shows the difference.
  const Result text = loiter("run " + path);
  REQUIRE(text.code == 0);
  CHECK(text.out.find("per-request time") != std::string::npos);
  CHECK(text.out.find("time to result") != std::string::npos);
  CHECK(text.out.find("map-in-order     4.000s    2.000s    4.000s    4.000s    4.000s    4.000s  "
                      "  4.000s") != std::string::npos);
  CHECK(text.out.find("as-completed     2.000s    2.000s    4.000s    4.000s    3.000s    4.000s  "
                      "  4.000s") != std::string::npos);
}

TEST_CASE("speed-up is against a strategy of the run, named in the header", "[cli][speedup]") {
  const std::string path = source("scenarios/flags20.toml");
  // With a sequential strategy among those run: against it.
  const Result all = loiter("run " + path + " --format json");
  REQUIRE(all.code == 0);
  const auto j = nlohmann::json::parse(all.out);
  CHECK(j["speedup_baseline"] == "sequential");
  // Without one: against the first strategy run, which is 1.0x, and nothing else is simulated.
  const Result some = loiter("run " + path + " --strategy threads-20 --strategy async");
  REQUIRE(some.code == 0);
  CHECK(some.out.find("vs threads-20") != std::string::npos);
  const Result some_json =
      loiter("run " + path + " --strategy threads-20 --strategy async --format json");
  const auto k = nlohmann::json::parse(some_json.out);
  CHECK(k["speedup_baseline"] == "threads-20");
  CHECK(k["strategies"][0]["speedup"] == 1.0);
  const double ratio = k["strategies"][0]["makespan_s"].get<double>() /
                       k["strategies"][1]["makespan_s"].get<double>();
  CHECK(k["strategies"][1]["speedup"].get<double>() == Approx(ratio));
}

TEST_CASE("retries are counted with their reasons, and --log shows each failed attempt",
          "[cli][retries]") {
  const std::string path = source("tests/scenarios/retries.toml");
  const Result json = loiter("run " + path + " --format json");
  REQUIRE(json.code == 0);
  const auto st = nlohmann::json::parse(json.out)["strategies"][0];
  std::int64_t retries = 0, failed_attempts = 0;
  for (const auto& d : st["downloads"]) {
    retries += d["attempts"].get<std::int64_t>() - 1;
    // every attempt but a final success or 404 failed
    failed_attempts += d["attempts"].get<std::int64_t>() - (d["status"] == "ok" ? 1 : 0);
  }
  REQUIRE(retries > 0);
  CHECK(st["retries"]["count"] == retries);
  std::int64_t by_reason = 0, timeouts = 0, http503 = 0;
  for (const auto& [why, n] : st["retries"]["reasons"].items()) {
    by_reason += n.get<std::int64_t>();
    if (why == "timeout") timeouts = n.get<std::int64_t>();
    if (why == "HTTP 503") http503 = n.get<std::int64_t>();
  }
  CHECK(by_reason == retries);
  CHECK(timeouts > 0);
  CHECK(http503 > 0);
  const Result text = loiter("run " + path + " --log");
  REQUIRE(text.code == 0);
  const std::string line = std::to_string(retries) + " retries: " + std::to_string(http503) +
                           " x 503, " + std::to_string(timeouts) + " timeouts";
  CHECK(text.out.find(line) != std::string::npos);
  std::int64_t failed_lines = 0, retry_lines = 0;
  for (std::size_t at = 0; (at = text.out.find(" failed: ", at)) != std::string::npos; ++at)
    ++failed_lines;
  for (std::size_t at = 0; (at = text.out.find(": retrying (attempt ", at)) != std::string::npos;
       ++at)
    ++retry_lines;
  CHECK(failed_lines == failed_attempts);
  CHECK(retry_lines == retries);
  CHECK(text.out.find("retrying after a 0.100 s backoff") != std::string::npos);
  CHECK(text.out.find("retrying after a 0.200 s backoff") != std::string::npos);
}

namespace {

// The number of steps (H commands) of a strategy's line in timeline.svg.
int timeline_steps(const std::string& svg, const std::string& strategy) {
  const std::size_t at = svg.find("class=\"completion\" data-strategy=\"" + strategy + "\"");
  REQUIRE(at != std::string::npos);
  const std::size_t d = svg.find(" d=\"", at);
  const std::string path = svg.substr(d, svg.find('"', d + 4) - d);
  return static_cast<int>(std::count(path.begin(), path.end(), 'H'));
}

}  // namespace

TEST_CASE("the timeline can count results as the caller consumed them", "[cli][report]") {
  // Sleeps 4, 3, 2, 1, 0 s on 3 workers: downloads end at 2, 3, 3, 3 and 4 s (three steps) for
  // both strategies; in order, the caller gets nothing before the 4 s sleep ends, then all five.
  const std::string path = source("tests/scenarios/loiter-reversed.toml");
  const auto done = fresh_dir("timeline-completed"), seen = fresh_dir("timeline-consumed");
  REQUIRE(loiter("run " + path + " --out " + done.string()).code == 0);
  REQUIRE(loiter("run " + path + " --timeline consumed --out " + seen.string()).code == 0);
  const std::string completed = read_file(done / "timeline.svg");
  const std::string consumed = read_file(seen / "timeline.svg");
  CHECK(timeline_steps(completed, "map-in-order") == 3);
  CHECK(timeline_steps(completed, "as-completed") == 3);
  CHECK(timeline_steps(consumed, "map-in-order") == 1);
  CHECK(timeline_steps(consumed, "as-completed") == 3);
  CHECK(consumed.find("results consumed by the caller over time") != std::string::npos);
  CHECK(loiter("run " + path + " --timeline seen").code == 2);
}

TEST_CASE("every report says what bound each strategy; --explain and the JSON give the figures",
          "[cli][explain]") {
  // slow-server.toml: 4 server workers. One at a time, the single lane binds; 8 at once, the
  // server's 4 workers do.
  const std::string path = source("scenarios/slow-server.toml");
  const Result text = loiter("run " + path);
  REQUIRE(text.code == 0);
  CHECK(text.out.find("sequential  bound by its 1 lane (busy 100%") != std::string::npos);
  CHECK(text.out.find("async-8     bound by the server workers (4 workers busy") !=
        std::string::npos);
  CHECK(text.out.find("more concurrency will not help") != std::string::npos);
  CHECK(text.out.find("<- binds") == std::string::npos);  // the table only with --explain

  const Result table = loiter("run " + path + " --explain");
  REQUIRE(table.code == 0);
  CHECK(table.out.find("strategy    constraint      capacity") != std::string::npos);
  CHECK(table.out.find("async-8     server workers  4 workers") != std::string::npos);
  const auto binds = std::count_if(
      table.out.begin(), table.out.end(),
      [&, i = std::size_t{0}](char) mutable { return table.out.compare(i++, 8, "<- binds") == 0; });
  CHECK(binds == 3);  // one per strategy

  const Result json = loiter("run " + path + " --format json");
  REQUIRE(json.code == 0);
  const auto j = nlohmann::json::parse(json.out);
  for (const auto& st : j["strategies"]) {
    INFO(st["name"]);
    REQUIRE(st.contains("explain"));
    CHECK(st["explain"]["verdict"].get<std::string>().rfind("bound by ", 0) == 0);
    int n = 0;
    for (const auto& k : st["explain"]["constraints"]) {
      n += k["binds"].get<bool>() ? 1 : 0;
      if (!k["busy"].is_null()) CHECK(k["busy"].get<double>() >= 0);
      if (!k["busy"].is_null()) CHECK(k["busy"].get<double>() <= 1);
    }
    CHECK(n == 1);
  }
  CHECK(j["strategies"][2]["explain"]["constraints"][1]["name"] == "server workers");
  CHECK(j["strategies"][2]["explain"]["constraints"][1]["binds"] == true);

  // The Gantt draws the server's workers in use under each panel's lanes, with the same figure.
  const auto out = fresh_dir("explain-usage");
  REQUIRE(loiter("run " + path + " --out " + out.string()).code == 0);
  const std::string gantt = read_file(out / "gantt.svg");
  std::size_t at = 0;
  for (const auto& st : j["strategies"]) {
    INFO(st["name"]);
    at = gantt.find("class=\"usage\" data-resource=\"server workers\"", at);
    REQUIRE(at != std::string::npos);
    const std::size_t busy = gantt.find("data-busy=\"", at) + 11;
    CHECK(std::stod(gantt.substr(busy, 5)) ==
          Approx(st["explain"]["constraints"][1]["busy"].get<double>()).margin(0.0005));
    ++at;
  }
}
