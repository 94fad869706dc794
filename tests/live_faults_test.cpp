// Faults in live mode, each against the built-in server or a bare loopback socket: every
// download gets exactly one outcome with the right status, the run completes, retries stay
// within their bounds, and a stop request ends a run promptly.
#include <catch2/catch.hpp>

#include <thread>

#include "live/test_server.hpp"
#include "live_support.hpp"

using live::ServeOptions;
using live::TestServer;
using model::Phase;
using model::Status;
using namespace live_test;

namespace {

ServeOptions serve_items(const model::Scenario& s) {
  ServeOptions o;
  for (const auto& it : s.workload.items)
    o.items[it.name] = it.bytes;
  return o;
}

// Every download has one outcome, all with `status`, each after `attempts` attempts.
void check_all(const model::StrategyResult& r, std::size_t n, Status status, int attempts) {
  REQUIRE(r.downloads.size() == n);
  CHECK(count(r, status) == static_cast<std::int64_t>(n));
  for (const auto& o : r.downloads) {
    CHECK(o.status == status);
    CHECK(o.attempts == attempts);
    CHECK(o.end >= o.start);
  }
}

Phase last_phase(const model::StrategyResult& r, std::uint32_t id) {
  const auto& o = r.downloads[id];
  REQUIRE(o.span_count > 0);
  return r.spans[o.span_begin + o.span_count - 1].phase;
}

}  // namespace

TEST_CASE("live fault: nobody listening is a connection error, retried within the bounds") {
  auto scenario = items_scenario(3, 100);
  scenario.client.retries = 2;
  ClosedPort closed;
  const auto got = run_live(scenario, sequential(),
                            "http://127.0.0.1:" + std::to_string(closed.port()) + "/{name}");
  check_all(got.result, 3, Status::error, 3);
  CHECK(got.stats.transfers == 9);
  for (const auto& o : got.result.downloads) {
    CHECK(o.http_status == 0);
    CHECK_THAT(o.error, Catch::Contains("connect", Catch::CaseSensitive::No));
    // Two backoffs between three attempts, each at least the scenario's backoff.
    int backoffs = 0;
    for (std::uint32_t i = 0; i < o.span_count; ++i) {
      const auto& s = got.result.spans[o.span_begin + i];
      if (s.phase == Phase::backoff) {
        ++backoffs;
        CHECK(s.end - s.start >= scenario.client.backoff);
      }
    }
    CHECK(backoffs == 2);
  }
}

TEST_CASE("live fault: 404 is not found and never retried") {
  auto scenario = items_scenario(3, 100);
  scenario.client.retries = 2;
  auto options = serve_items(scenario);
  options.missing = {"a", "b", "c"};
  TestServer server(options);
  live_test::start(server);
  const auto got = run_live(scenario, async_of(3), server.base_url() + "/{name}");
  check_all(got.result, 3, Status::not_found, 1);
  for (const auto& o : got.result.downloads) {
    CHECK(o.http_status == 404);
    CHECK(o.bytes == 0);
  }
  CHECK(server.stats().count(404) == 3);
}

TEST_CASE("live fault: 500 is an error, retried exactly `retries` times") {
  auto scenario = items_scenario(3, 100);
  scenario.client.retries = 2;
  auto options = serve_items(scenario);
  options.errors = {{500, 1.0}};
  TestServer server(options);
  live_test::start(server);
  const auto got = run_live(scenario, async_of(2), server.base_url() + "/{name}");
  check_all(got.result, 3, Status::error, 3);
  for (const auto& o : got.result.downloads) {
    CHECK(o.http_status == 500);
    CHECK(o.error == "HTTP 500");
    CHECK(o.bytes == 0);
  }
  CHECK(server.stats().count(500) == 9);
}

TEST_CASE("live fault: a stall past the timeout is a timeout; the transfer is let go") {
  auto scenario = items_scenario(2, 100);
  scenario.client.timeout = 150ms;
  scenario.client.retries = 1;
  auto options = serve_items(scenario);
  options.stall_rate = 1;
  options.stall_limit = 5s;
  TestServer server(options);
  live_test::start(server);
  const auto got = run_live(scenario, async_of(2), server.base_url() + "/{name}");
  check_all(got.result, 2, Status::timeout, 2);
  CHECK(got.stats.transfers == 4);
  for (const auto& o : got.result.downloads) {
    CHECK(o.http_status == 0);
    CHECK(o.end - o.start >= 300ms);                        // two attempts of 150 ms, and a backoff
    CHECK(last_phase(got.result, o.id) == Phase::service);  // waiting for an answer
  }
}

TEST_CASE("live fault: a connection reset mid-body is an error") {
  auto scenario = items_scenario(2, 200'000);
  scenario.client.retries = 1;
  auto options = serve_items(scenario);
  options.faults.reset_rate = 1;
  TestServer server(options);
  live_test::start(server);
  const auto got = run_live(scenario, async_of(2), server.base_url() + "/{name}");
  check_all(got.result, 2, Status::error, 2);
  for (const auto& o : got.result.downloads) {
    CHECK(o.http_status == 200);
    CHECK(o.bytes < 200'000);
  }
  CHECK(server.stats().resets == 4);
}

TEST_CASE("live fault: a body shorter than its Content-Length is an error") {
  auto scenario = items_scenario(2, 50'000);
  auto options = serve_items(scenario);
  options.faults.truncate_rate = 1;
  TestServer server(options);
  live_test::start(server);
  const auto got = run_live(scenario, sequential(), server.base_url() + "/{name}");
  check_all(got.result, 2, Status::error, 1);
  for (const auto& o : got.result.downloads) {
    CHECK(o.bytes < 50'000);
    CHECK_THAT(o.error, Catch::Contains("remaining") || Catch::Contains("partial"));
  }
  CHECK(server.stats().truncations == 2);
}

TEST_CASE("live fault: a body over the size cap is an error, announced or not") {
  live::CurlOptions curl;
  curl.max_body = 1 << 20;
  SECTION("Content-Length over the cap: refused before the body") {
    auto scenario = items_scenario(2, 3 << 20);
    TestServer server(serve_items(scenario));
    live_test::start(server);
    const auto got = run_live(scenario, sequential(), server.base_url() + "/{name}", curl);
    check_all(got.result, 2, Status::error, 1);
    for (const auto& o : got.result.downloads)
      CHECK_THAT(o.error, Catch::Contains("larger than the cap of 1 MiB"));
  }
  SECTION("no Content-Length: cut off at the cap while streaming") {
    auto scenario = items_scenario(2, 0);
    CannedServer server("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", 3 << 20, 4);
    const auto got = run_live(scenario, sequential(), server.url(), curl);
    check_all(got.result, 2, Status::error, 1);
    for (const auto& o : got.result.downloads) {
      CHECK_THAT(o.error, Catch::Contains("larger than the cap of 1 MiB"));
      CHECK(o.bytes <= (1 << 20));
    }
  }
}

TEST_CASE("live fault: a slow drip ends at the timeout, in the transfer phase") {
  auto scenario = items_scenario(2, 4000);
  scenario.client.timeout = 400ms;
  auto options = serve_items(scenario);
  options.faults.drip_rate = 1;
  options.faults.drip_bandwidth = 2000;  // 2 s for the body
  TestServer server(options);
  live_test::start(server);
  const auto got = run_live(scenario, async_of(2), server.base_url() + "/{name}");
  check_all(got.result, 2, Status::timeout, 1);
  for (const auto& o : got.result.downloads) {
    CHECK(o.end - o.start >= 400ms);
    CHECK(last_phase(got.result, o.id) == Phase::transfer);
  }
  CHECK(server.stats().drips == 2);
}

TEST_CASE("live fault: a stop request cuts transfers off after the grace and starts no more") {
  auto scenario = items_scenario(6, 100);
  scenario.client.retries = 3;
  auto options = serve_items(scenario);
  options.delay = 5s;
  TestServer server(options);
  live_test::start(server);
  live::LiveStop stop;
  live::CurlOptions curl;
  curl.stop = &stop;
  curl.stop_grace = 200ms;
  std::thread stopper([&stop] {
    std::this_thread::sleep_for(300ms);
    stop.request();
  });
  const auto got = run_live(scenario, async_of(2), server.base_url() + "/{name}", curl);
  stopper.join();
  // Two transfers were in flight and were cut off (errors); the other four never started
  // (not errors: not started); no retries.
  REQUIRE(got.result.downloads.size() == 6);
  CHECK(count(got.result, Status::error) == 2);
  CHECK(count(got.result, Status::not_started) == 4);
  CHECK(got.stats.transfers == 2);
  CHECK(got.stats.aborted == 2);
  for (const auto& o : got.result.downloads) {
    CHECK(o.attempts == 1);
    CHECK(o.end >= o.start);
    CHECK_THAT(o.error,
               Catch::StartsWith(o.status == Status::error ? "interrupted" : "not started"));
  }
  CHECK(got.result.summary.makespan < 5s);  // nobody waited for the 5 s answers
}

TEST_CASE("live fault: read_timeout (a libcurl low-speed limit) ends a stall, not a slow drip") {
  auto scenario = items_scenario(1, 3000);
  scenario.client.read_timeout = 1s;
  scenario.client.timeout = 10s;
  auto stalled = serve_items(scenario);
  stalled.stall_rate = 1;
  stalled.stall_limit = 8s;
  {
    TestServer server(stalled);
    live_test::start(server);
    const auto got = run_live(scenario, async_of(1), server.base_url() + "/{name}");
    check_all(got.result, 1, Status::timeout, 1);
    const auto& o = got.result.downloads[0];
    CHECK(o.end - o.start >= 1s);
    CHECK(o.end - o.start < 5s);  // the read timeout, not the 10 s one
    CHECK_THAT(o.error,
               Catch::Matchers::StartsWith("no data for 1.000 s (read_timeout; libcurl: "));
  }
  // 3000 bytes at 2000 B/s: 1.5 s of a body that keeps coming.
  auto drip = serve_items(scenario);
  drip.faults.drip_rate = 1;
  drip.faults.drip_bandwidth = 2000;
  TestServer server(drip);
  live_test::start(server);
  const auto got = run_live(scenario, async_of(1), server.base_url() + "/{name}");
  check_all(got.result, 1, Status::ok, 1);
}
