// The libcurl transport under the model's own strategy code, against the built-in server:
// outcomes, libcurl's phases, connection reuse as the scenario says, saved bodies.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "live/server_content.hpp"
#include "live/test_server.hpp"
#include "live_support.hpp"

using live::ServeOptions;
using live::TestServer;
using model::Phase;
using model::Status;
using namespace live_test;
namespace fs = std::filesystem;

namespace {

ServeOptions serve_items(const model::Scenario& s) {
  ServeOptions o;
  for (const auto& it : s.workload.items)
    o.items[it.name] = it.bytes;
  return o;
}

std::vector<model::PhaseSpan> spans_of(const model::StrategyResult& r, std::uint32_t id) {
  const auto& o = r.downloads[id];
  return {r.spans.begin() + o.span_begin, r.spans.begin() + o.span_begin + o.span_count};
}

}  // namespace

TEST_CASE("live: the strategy code fetches every item over HTTP, with libcurl's phases") {
  const auto scenario = items_scenario(6, 3000);
  auto options = serve_items(scenario);
  options.delay = 30ms;
  TestServer server(options);
  live_test::start(server);
  const auto got = run_live(scenario, async_of(3), server.base_url() + "/{name}");
  const auto& r = got.result;
  CHECK(r.live);
  CHECK(r.lanes == 3);
  REQUIRE(r.downloads.size() == 6);
  CHECK(count(r, Status::ok) == 6);
  CHECK(server.stats().count(200) == 6);
  CHECK(got.stats.transfers == 6);
  for (const auto& o : r.downloads) {
    CHECK(o.status == Status::ok);
    CHECK(o.http_status == 200);
    CHECK(o.bytes == 3000);
    CHECK(o.attempts == 1);
    CHECK(o.end > o.start);
    const auto spans = spans_of(r, o.id);
    // Connect, request, server (the 30 ms service), transfer; in time order, inside the download.
    std::vector<Phase> phases;
    for (const auto& s : spans) {
      phases.push_back(s.phase);
      if (s.phase != Phase::queued) CHECK(s.start >= o.start);  // queued: from submission
      CHECK(s.end <= o.end);
    }
    CHECK(std::is_sorted(spans.begin(), spans.end(),
                         [](const auto& a, const auto& b) { return a.start < b.start; }));
    CHECK(std::find(phases.begin(), phases.end(), Phase::connect) != phases.end());
    const auto server_span = std::find_if(spans.begin(), spans.end(),
                                          [](const auto& s) { return s.phase == Phase::service; });
    REQUIRE(server_span != spans.end());
    CHECK(server_span->end > server_span->start);
    // The server sleeps 30 ms between reading the request and answering, so from the moment
    // the request could leave (the request phase's start: the connection is up) to the first
    // byte of the answer (the service phase's end) is 30 ms at least, however loaded the
    // machine is. The service phase alone has no such floor: libcurl stamps its start
    // (pretransfer) after it has sent the request, by which time the server's sleep may have
    // begun.
    const auto request_span = std::find_if(spans.begin(), spans.end(),
                                           [](const auto& s) { return s.phase == Phase::request; });
    REQUIRE(request_span != spans.end());
    CHECK(request_span < server_span);
    CHECK(server_span->end - request_span->start >= 30ms);
  }
  // The first three ran together, the next three after them (3 lanes, 30 ms each).
  CHECK(r.summary.makespan >= 60ms);
}

TEST_CASE("live: keep-alive reuses one connection; without it every request opens its own") {
  auto scenario = items_scenario(5, 100);
  TestServer server(serve_items(scenario));
  live_test::start(server);
  const std::string url = server.base_url() + "/{name}";
  SECTION("keep-alive off: a new connection per request") {
    scenario.client.keep_alive = false;
    const auto got = run_live(scenario, sequential(), url);
    CHECK(count(got.result, Status::ok) == 5);
    CHECK(got.stats.new_connections == 5);
  }
  SECTION("keep-alive on: one connection for all") {
    scenario.client.keep_alive = true;
    const auto got = run_live(scenario, sequential(), url);
    CHECK(count(got.result, Status::ok) == 5);
    CHECK(got.stats.new_connections == 1);
    // Reused connections have no connect phase.
    for (std::uint32_t id = 1; id < 5; ++id) {
      for (const auto& s : spans_of(got.result, id))
        CHECK(s.phase != Phase::connect);
    }
  }
}

TEST_CASE("live: --save keeps successful bodies under its folder only, with safe names") {
  auto scenario = items_scenario(0, 0);
  scenario.workload.items = {{"cn", 1234}, {"../up", 10}, {"a/b", 20}, {".hidden", 5}, {"gone", 7}};
  auto options = serve_items(scenario);
  options.missing = {"gone"};
  TestServer server(options);
  live_test::start(server);
  const fs::path base =
      fs::temp_directory_path() / ("loiter-live-save-" + std::to_string(getpid()));
  fs::remove_all(base);
  const fs::path dir = base / "bodies";
  fs::create_directories(dir);
  live::CurlOptions curl;
  curl.save_dir = dir;
  const auto got = run_live(scenario, async_of(2), server.base_url() + "/{name}", curl);
  CHECK(count(got.result, Status::ok) == 4);
  CHECK(count(got.result, Status::not_found) == 1);
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(base))
    names.push_back(fs::relative(e.path(), base).string());
  std::sort(names.begin(), names.end());
  // Only the four bodies, all directly in the folder; no 404 body, no temporary leftovers.
  // A name changed to be safe carries its download's id, so it cannot take another's file.
  CHECK(names == std::vector<std::string>{"bodies", "bodies/_._up~1", "bodies/_hidden~3",
                                          "bodies/a_b~2", "bodies/cn"});
  std::ifstream in(dir / "cn", std::ios::binary);
  const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(body == live::synthetic_body("cn", 1234));
  CHECK(fs::file_size(dir / "_._up~1") == 10);
  fs::remove_all(base);
}
