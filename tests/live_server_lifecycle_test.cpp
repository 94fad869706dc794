// The built-in test server's start and stop: bad options, busy ports, stalls, idle
// keep-alive clients, idempotent stop, and the injected faults clients must survive.
#include <catch2/catch.hpp>

#include <thread>

#include "live/server_content.hpp"
#include "live/test_server.hpp"
#include "live_server_fetch.hpp"

using live::ServeOptions;
using live::TestServer;
using live_test::fetch;
using namespace std::chrono_literals;

namespace {

ServeOptions one_item(std::int64_t size = 50 * 1024) {
  ServeOptions o;
  o.items = {{"a", size}};
  return o;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("bad options are refused with a message naming the option") {
  auto rate = one_item();
  rate.stall_rate = 1.5;
  CHECK_THROWS_WITH(TestServer(rate), Catch::Contains("stall_rate"));
  auto status = one_item();
  status.errors = {{200, 0.5}};
  CHECK_THROWS_WITH(TestServer(status), Catch::Contains("200"));
  auto shape = one_item();
  shape.url_path = "/flags/cn.gif";
  CHECK_THROWS_WITH(TestServer(shape), Catch::Contains("{name}"));
  auto dir = one_item();
  dir.directory = "/no/such/directory/here";
  CHECK_THROWS_WITH(TestServer(dir), Catch::Contains("/no/such/directory/here"));
}

TEST_CASE("a busy port is an error, not a silent second listener") {
  TestServer first(one_item());
  first.start();
  auto options = one_item();
  options.port = first.port();
  TestServer second(options);
  CHECK_THROWS_WITH(second.start(), Catch::Contains(std::to_string(first.port())));
  CHECK(fetch(first.base_url() + "/a").status == 200);
}

TEST_CASE("stop is idempotent, and fine before start") {
  TestServer never_started(one_item());
  never_started.stop();
  never_started.stop();
  TestServer server(one_item());
  server.start();
  const auto url = server.base_url() + "/a";
  CHECK(fetch(url).status == 200);
  server.stop();
  server.stop();
  CHECK(fetch(url, 2s).code == CURLE_COULDNT_CONNECT);
}

TEST_CASE("the destructor stops a running server, even with an idle keep-alive client") {
  const auto easy = live_test::make_easy();
  std::chrono::steady_clock::time_point start;
  {
    TestServer server(one_item());
    server.start();
    CHECK(live_test::fetch_with(easy.get(), server.base_url() + "/a").status == 200);
    start = std::chrono::steady_clock::now();
  }  // the keep-alive connection is still open in `easy`
  CHECK(seconds_since(start) < 2);
}

TEST_CASE("a stalled request gets no answer; the client times out and stop is prompt") {
  auto options = one_item();
  options.stall_rate = 1.0;
  TestServer server(options);
  server.start();
  const auto got = fetch(server.base_url() + "/a", 300ms);
  CHECK(got.code == CURLE_OPERATION_TIMEDOUT);
  CHECK(got.seconds >= 0.25);  // curl may fire its own timer a hair early
  CHECK(server.stats().stalled == 1);
  const auto start = std::chrono::steady_clock::now();
  server.stop();
  CHECK(seconds_since(start) < 2);
}

TEST_CASE("a stall frees its worker when the client gives up") {
  auto options = one_item();
  options.workers = 1;
  options.stall_rate = 1.0;
  TestServer server(options);
  server.start();
  // The client gives up after 1 s (generous: under sanitizers a request can take a while to
  // reach its handler); then the only worker must be free for the next request.
  CHECK(fetch(server.base_url() + "/a", 1s).code == CURLE_OPERATION_TIMEDOUT);
  CHECK(fetch(server.base_url() + "/a", 1s).code == CURLE_OPERATION_TIMEDOUT);
  // Both requests reached the worker and stalled (the count may land just after the client
  // left, so wait for it, at most 5 s).
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (server.stats().stalled < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  CHECK(server.stats().stalled == 2);
}

TEST_CASE("stop wakes a stall whose client is still waiting; the client gets no answer") {
  auto options = one_item();
  options.stall_rate = 1.0;
  TestServer server(options);
  server.start();
  live_test::Fetched got;
  std::jthread client([&] { got = fetch(server.base_url() + "/a", 10s); });
  while (server.stats().stalled == 0)
    std::this_thread::sleep_for(10ms);
  const auto start = std::chrono::steady_clock::now();
  server.stop();
  CHECK(seconds_since(start) < 2);
  client.join();
  CHECK(got.code == CURLE_GOT_NOTHING);
  CHECK(got.seconds < 5);
}

TEST_CASE("stop ends a slow body promptly") {
  auto options = one_item(1024 * 1024);
  options.bandwidth = 10 * 1024;  // would take 100 s
  TestServer server(options);
  server.start();
  live_test::Fetched got;
  std::jthread client([&] { got = fetch(server.base_url() + "/a", 10s); });
  while (server.stats().body_bytes == 0)
    std::this_thread::sleep_for(10ms);
  const auto start = std::chrono::steady_clock::now();
  server.stop();
  CHECK(seconds_since(start) < 2);
  client.join();
  CHECK(got.code != CURLE_OK);
}

TEST_CASE("fault: truncation sends less than Content-Length, then closes") {
  auto options = one_item(10000);
  options.faults.truncate_rate = 1.0;
  TestServer server(options);
  server.start();
  const auto got = fetch(server.base_url() + "/a");
  CHECK(got.code == CURLE_PARTIAL_FILE);
  CHECK(got.content_length == 10000);
  CHECK(got.body.size() == 5000);
  CHECK(got.body == live::synthetic_body("a", 10000).substr(0, 5000));
  CHECK(server.stats().truncations == 1);
}

TEST_CASE("fault: a reset aborts the connection mid-body") {
  auto options = one_item(200 * 1024);
  options.faults.reset_rate = 1.0;
  TestServer server(options);
  server.start();
  const auto got = fetch(server.base_url() + "/a");
  CHECK(got.code == CURLE_RECV_ERROR);
  CHECK(got.body.size() < 200 * 1024);
  CHECK(server.stats().resets == 1);
}

TEST_CASE("fault: a drip sends the whole body slowly") {
  auto options = one_item(2000);
  options.faults.drip_rate = 1.0;
  options.faults.drip_bandwidth = 4000;  // 0.5 s
  TestServer server(options);
  server.start();
  const auto got = fetch(server.base_url() + "/a");
  CHECK(got.code == CURLE_OK);
  CHECK(got.body == live::synthetic_body("a", 2000));
  CHECK(got.seconds >= 0.45);
  CHECK(server.stats().drips == 1);
}
