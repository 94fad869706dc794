// Chrome trace JSON: metadata per strategy and lane, one complete event per phase span.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "plots/plots.hpp"
#include "plots_support.hpp"

using namespace plots_test;
using nlohmann::json;

TEST_CASE("the loiter trace has one complete event per working phase span") {
  const model::StrategyResult r = loiter_demo();
  const json trace = json::parse(plots::chrome_trace_json({r}));
  REQUIRE(trace.contains("traceEvents"));
  std::vector<json> complete, begins, ends;
  std::map<std::string, std::vector<json>> meta;
  for (const json& e : trace["traceEvents"]) {
    const std::string ph = e["ph"];
    if (ph == "X") complete.push_back(e);
    if (ph == "b") begins.push_back(e);
    if (ph == "e") ends.push_back(e);
    if (ph == "M") meta[e["name"]].push_back(e);
  }
  REQUIRE(complete.size() == 5);  // five sleeps
  for (const json& e : complete) {
    const int id = e["args"]["id"];
    const model::PhaseSpan& s = r.spans[r.downloads[static_cast<std::size_t>(id)].span_begin +
                                        r.downloads[static_cast<std::size_t>(id)].span_count - 1];
    CHECK(e["name"] == "sleep");
    CHECK(e["pid"] == 1);
    CHECK(e["tid"] == r.downloads[static_cast<std::size_t>(id)].lane);
    CHECK(e["ts"].get<double>() == Approx(s.start.count() / 1000.0));
    CHECK(e["dur"].get<double>() == Approx((s.end - s.start).count() / 1000.0));
    CHECK(e["args"]["item"] == r.downloads[static_cast<std::size_t>(id)].name);
    CHECK(e["args"]["status"] == "ok");
    CHECK(e["args"]["attempt"] == 0);
  }
  // Job 4 waited a second for a worker: an async slice, since waits overlap.
  REQUIRE(begins.size() == 1);
  REQUIRE(ends.size() == 1);
  CHECK(begins[0]["ts"] == 0);
  CHECK(ends[0]["ts"].get<double>() == Approx(1e6));
  CHECK(begins[0]["id"] == ends[0]["id"]);

  REQUIRE(meta["process_name"].size() == 1);
  CHECK(meta["process_name"][0]["args"]["name"] == "pool (3 threads, in order)");
  REQUIRE(meta["thread_name"].size() == 3);
  CHECK(meta["thread_name"][2]["args"]["name"] == "worker 2");
}

TEST_CASE("each strategy is its own process, and sub-microsecond times keep their decimals") {
  model::StrategyResult a = loiter_demo();
  model::StrategyResult b = flags_like(20, 4);
  b.spans[0].start = sim::Time{1234567};  // 1234.567 us
  const json trace = json::parse(plots::chrome_trace_json({a, b}));
  std::set<int> pids;
  std::size_t x_events = 0;
  bool found = false;
  for (const json& e : trace["traceEvents"]) {
    pids.insert(e["pid"].get<int>());
    if (e["ph"] == "X") ++x_events;
    if (e["ph"] == "X" && e["pid"] == 2 && e["args"]["id"] == 0 && e["name"] == "connect") {
      CHECK(e["ts"].get<double>() == 1234.567);
      found = true;
    }
  }
  CHECK(found);
  CHECK(pids == std::set<int>{1, 2});
  std::size_t working = 0;
  for (const auto* r : {&a, &b}) {
    for (const auto& s : r->spans)
      working += s.phase != model::Phase::queued;
  }
  CHECK(x_events == working);
  CHECK(plots::chrome_trace_json({a, b}) == plots::chrome_trace_json({a, b}));
}

TEST_CASE("a large run's trace is a sample: first and last downloads, an in-flight counter") {
  const model::StrategyResult r = flags_like(50, 4);
  bool sampled = true;
  const json full = json::parse(plots::chrome_trace_json({r}, 50, &sampled));
  CHECK_FALSE(sampled);
  const json trace = json::parse(plots::chrome_trace_json({r}, 20, &sampled));
  CHECK(sampled);
  std::set<int> ids, all_ids;
  int counters = 0;
  for (const json& e : trace["traceEvents"]) {
    if (e["ph"] == "X") ids.insert(e["args"]["id"].get<int>());
    if (e["ph"] != "C") continue;
    ++counters;
    // The counter is the downloads between start and end at that instant.
    const double t = e["ts"].get<double>();
    int in_flight = 0;
    for (const auto& d : r.downloads)
      in_flight += sim::to_seconds(d.start) * 1e6 <= t && t < sim::to_seconds(d.end) * 1e6 ? 1 : 0;
    CHECK(e["args"]["downloads"] == in_flight);
  }
  for (const json& e : full["traceEvents"])
    if (e["ph"] == "X") all_ids.insert(e["args"]["id"].get<int>());
  CHECK(all_ids.size() == 50);
  CHECK(counters == 2001);
  std::set<int> expected;
  for (int i = 0; i < 10; ++i) {
    expected.insert(i);
    expected.insert(40 + i);
  }
  CHECK(ids == expected);
}
