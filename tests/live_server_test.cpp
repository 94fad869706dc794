// The built-in test server over real HTTP: bodies, statuses, delays, bandwidth, workers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>
#include <vector>

#include "live/server_content.hpp"
#include "live/test_server.hpp"
#include "live_server_fetch.hpp"
#include "live_support.hpp"

using live::ServeOptions;
using live::TestServer;
using live_test::fetch;
using namespace std::chrono_literals;

namespace {

ServeOptions flags_options() {
  ServeOptions o;
  o.url_path = "/flags/{name}.gif";
  o.items = {{"cn", 1234}, {"br", 50 * 1024}, {"empty", 0}};
  return o;
}

}  // namespace

TEST_CASE("a known item comes back whole, with its size, type and deterministic bytes") {
  TestServer server(flags_options());
  server.start();
  REQUIRE(server.port() > 0);
  const auto got = fetch(server.base_url() + "/flags/cn.gif");
  REQUIRE(got.code == CURLE_OK);
  CHECK(got.status == 200);
  CHECK(got.content_length == 1234);
  CHECK(got.content_type == "image/gif");
  REQUIRE(got.body.size() == 1234);
  CHECK(got.body == live::synthetic_body("cn", 1234));
  CHECK(got.body != live::synthetic_body("br", 1234));
  const auto stats = server.stats();
  CHECK(stats.count(200) == 1);
  CHECK(stats.body_bytes == 1234);
}

TEST_CASE("an empty item and a HEAD request answer with Content-Length and no body") {
  TestServer server(flags_options());
  server.start();
  const auto empty = fetch(server.base_url() + "/flags/empty.gif");
  CHECK(empty.status == 200);
  CHECK(empty.content_length == 0);
  const auto head = fetch(server.base_url() + "/flags/br.gif", 10s, true);
  CHECK(head.code == CURLE_OK);
  CHECK(head.status == 200);
  CHECK(head.content_length == 50 * 1024);
  CHECK(head.body.empty());
}

TEST_CASE("unknown names, missing names and other path shapes are 404") {
  auto options = flags_options();
  options.missing = {"cn"};
  TestServer server(std::move(options));
  server.start();
  CHECK(fetch(server.base_url() + "/flags/xx.gif").status == 404);
  CHECK(fetch(server.base_url() + "/flags/cn.gif").status == 404);
  CHECK(fetch(server.base_url() + "/flags/br.gif").status == 200);
  CHECK(fetch(server.base_url() + "/cn").status == 404);
  CHECK(fetch(server.base_url() + "/").status == 404);
  CHECK(server.stats().count(404) == 4);
}

TEST_CASE("an error rule with rate 1 answers every request with its status") {
  auto options = flags_options();
  options.errors = {{503, 1.0}};
  TestServer server(std::move(options));
  server.start();
  for (int i = 0; i < 3; ++i)
    CHECK(fetch(server.base_url() + "/flags/cn.gif").status == 503);
  CHECK(server.stats().count(503) == 3);
  CHECK(server.stats().count(200) == 0);
}

TEST_CASE("error draws are seeded: the same seed gives the same statuses") {
  const auto statuses = [](std::uint64_t seed) {
    auto options = flags_options();
    options.errors = {{500, 0.3}, {503, 0.3}};
    options.seed = seed;
    TestServer server(std::move(options));
    server.start();
    const auto easy = live_test::make_easy();
    std::vector<long> out;
    for (int i = 0; i < 30; ++i) {
      out.push_back(live_test::fetch_with(easy.get(), server.base_url() + "/flags/cn.gif").status);
    }
    return out;
  };
  const auto a = statuses(7);
  CHECK(a == statuses(7));
  CHECK(std::count(a.begin(), a.end(), 200L) > 0);
  CHECK(std::count(a.begin(), a.end(), 200L) < 30);
}

TEST_CASE("a service delay holds the answer back at least that long") {
  auto options = flags_options();
  options.delay = 200ms;
  TestServer server(std::move(options));
  server.start();
  const auto got = fetch(server.base_url() + "/flags/cn.gif");
  CHECK(got.status == 200);
  CHECK(got.seconds >= 0.2);
  CHECK(got.seconds < 5);
}

TEST_CASE("a delay sampler is drawn once per request") {
  auto options = flags_options();
  int draws = 0;
  options.delay_sampler = [&draws] {
    ++draws;
    return std::chrono::nanoseconds(50ms);
  };
  TestServer server(std::move(options));
  server.start();
  CHECK(fetch(server.base_url() + "/flags/cn.gif").seconds >= 0.05);
  CHECK(fetch(server.base_url() + "/flags/xx.gif").seconds >= 0.05);
  server.stop();
  CHECK(draws == 2);
}

TEST_CASE("a bandwidth cap paces the body") {
  auto options = flags_options();
  options.bandwidth = 100 * 1024;  // 50 KiB at 100 KiB/s: 0.5 s
  TestServer server(std::move(options));
  server.start();
  const auto got = fetch(server.base_url() + "/flags/br.gif");
  REQUIRE(got.code == CURLE_OK);
  CHECK(got.body == live::synthetic_body("br", 50 * 1024));
  CHECK(got.seconds >= 0.45);
  CHECK(got.seconds < 5);
}

TEST_CASE("keep-alive: a client reuses its connection") {
  TestServer server(flags_options());
  server.start();
  const auto easy = live_test::make_easy();
  const auto first = live_test::fetch_with(easy.get(), server.base_url() + "/flags/cn.gif");
  const auto second = live_test::fetch_with(easy.get(), server.base_url() + "/flags/br.gif");
  CHECK(first.status == 200);
  CHECK(second.status == 200);
  CHECK(first.new_connections == 1);
  CHECK(second.new_connections == 0);
  long reconnects = 0;  // httplib's default would close after 5 requests
  for (int i = 0; i < 10; ++i) {
    reconnects +=
        live_test::fetch_with(easy.get(), server.base_url() + "/flags/cn.gif").new_connections;
  }
  CHECK(reconnects == 0);
}

TEST_CASE("workers bound the requests in service; the rest queue") {
  auto options = flags_options();
  options.workers = 4;
  options.delay = 200ms;
  TestServer server(std::move(options));
  server.start();
  std::vector<long> statuses(16);
  const auto start = std::chrono::steady_clock::now();
  {
    std::vector<std::jthread> clients;
    for (std::size_t i = 0; i < statuses.size(); ++i) {
      clients.emplace_back(
          [&, i] { statuses[i] = fetch(server.base_url() + "/flags/cn.gif").status; });
    }
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  CHECK(std::count(statuses.begin(), statuses.end(), 200L) == 16);
  const auto stats = server.stats();
  CHECK(stats.max_in_service <= 4);
  CHECK(stats.max_in_service >= 2);
  CHECK(stats.in_service == 0);
  CHECK(took.count() >= 0.8);  // 16 requests / 4 workers * 200 ms
  CHECK(took.count() < 5);
}

TEST_CASE("other methods are refused with 405") {
  TestServer server(flags_options());
  server.start();
  const auto easy = live_test::make_easy();
  curl_easy_setopt(easy.get(), CURLOPT_CUSTOMREQUEST, "DELETE");
  CHECK(live_test::fetch_with(easy.get(), server.base_url() + "/flags/cn.gif").status == 405);
}

TEST_CASE("a burst of connections is accepted without dropped SYNs") {
  TestServer server(flags_options());
  live_test::start(server);  // one request alone first: the library's lazy set-up is ordered
  std::vector<double> connect_seconds(40);
  std::vector<long> statuses(connect_seconds.size());
  {
    std::vector<std::jthread> clients;
    for (std::size_t i = 0; i < connect_seconds.size(); ++i) {
      clients.emplace_back([&, i] {  // no Catch2 assertions in these threads: not thread-safe
        const auto easy = live_test::make_easy();
        statuses[i] = live_test::fetch_with(easy.get(), server.base_url() + "/flags/cn.gif").status;
        curl_easy_getinfo(easy.get(), CURLINFO_CONNECT_TIME, &connect_seconds[i]);
      });
    }
  }
  CHECK(std::count(statuses.begin(), statuses.end(), 200L) == 40);
  // A dropped SYN is retransmitted after 1 s; a listen backlog too small for the burst shows.
  CHECK(*std::max_element(connect_seconds.begin(), connect_seconds.end()) < 0.9);
}
