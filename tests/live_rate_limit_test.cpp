// The built-in server's rate limit for real: the same token bucket as the simulation, a real
// Retry-After header, and the live client honouring it.
#include <catch2/catch.hpp>

#include "live/serve_options.hpp"
#include "live_server_fetch.hpp"
#include "live_support.hpp"

using namespace live_test;
using model::Status;

TEST_CASE("live: the server answers over its budget with the status and Retry-After",
          "[live][rate]") {
  live::ServeOptions o;
  o.items = {{"a", 10}};
  o.workers = 0;
  o.rate_limit = {0.5, 2, 429, std::chrono::seconds(3)};  // one token per 2 s, 2 saved up
  live::TestServer server(o);
  start(server);
  auto easy = make_easy();
  const std::string url = server.base_url() + "/a";
  CHECK(fetch_with(easy.get(), url).status == 200);
  CHECK(fetch_with(easy.get(), url).status == 200);
  const Fetched third = fetch_with(easy.get(), url);
  CHECK(third.status == 429);
  const auto after = live::retry_after_of(easy.get());
  REQUIRE(after.has_value());
  CHECK(*after == std::chrono::seconds(3));
  CHECK(server.stats().rate_limited == 1);
  CHECK(server.stats().count(200) == 2);
}

TEST_CASE("live: an answer without Retry-After has none", "[live][rate]") {
  live::ServeOptions o;
  o.items = {{"a", 10}};
  live::TestServer server(o);
  start(server);
  auto easy = make_easy();
  CHECK(fetch_with(easy.get(), server.base_url() + "/a").status == 200);
  CHECK_FALSE(live::retry_after_of(easy.get()).has_value());
}

TEST_CASE("live: rate-limited downloads wait the server's Retry-After, as simulated",
          "[live][rate]") {
  // 4 downloads at once against 2 tokens (2 a second back): 2 answered 429 with
  // "Retry-After: 1", retried 1 s later (not after the client's 20 ms backoff), then served.
  auto s = items_scenario(4, 1000);
  s.client.retries = 2;
  s.server.workers = 0;
  s.server.rate_limit = {2, 2, 429, std::chrono::seconds(1)};
  auto options = live::serve_options_from(s);
  live::TestServer server(options);
  start(server);
  const auto live_run = run_live(s, async_of(4), server.base_url() + "/{name}");
  const auto jobs = model::make_jobs(s, s.seed);
  const auto simulated = model::simulate_strategy(s, async_of(4), jobs, s.seed, false).result;
  for (const auto* r : {&live_run.result, &simulated}) {
    CHECK(count(*r, Status::ok) == 4);
    REQUIRE(r->failed_attempts.size() == 2);
    for (const auto& f : r->failed_attempts) {
      CHECK(f.http_status == 429);
      CHECK(f.backoff == std::chrono::seconds(1));
    }
  }
  CHECK(server.stats().rate_limited == 2);
  CHECK(live_run.wall_seconds > 0.99);
  CHECK(live_run.wall_seconds < 3.0);
}

TEST_CASE("live: the client's own rate limit spaces its requests under the server's",
          "[live][rate][client_rate]") {
  // The server allows 10/s with 2 saved up; 5 downloads at once would find 3 refused. The
  // client's limit at 10/s, burst 1, sends one every 100 ms on the wall clock: none refused.
  auto s = items_scenario(5, 1000);
  s.server.workers = 0;
  s.server.rate_limit = {10, 2, 429, std::nullopt};
  s.client.rate_limit = {10, 1, false};
  auto options = live::serve_options_from(s);
  live::TestServer server(options);
  start(server);
  const auto live_run = run_live(s, async_of(5), server.base_url() + "/{name}");
  CHECK(count(live_run.result, Status::ok) == 5);
  CHECK(server.stats().rate_limited == 0);
  std::vector<sim::Time> token(5, sim::Time{-1});
  for (const auto& sp : live_run.result.spans)
    if (sp.phase == model::Phase::rate_limit) token.at(sp.download) = sp.end;
  CHECK(token[0] == sim::Time{-1});  // the first has its token at once
  for (std::uint32_t i = 1; i < 5; ++i) {
    INFO("download " << i);
    CHECK(token[i] >= std::chrono::milliseconds(100) * i);
    CHECK(token[i] < std::chrono::milliseconds(100) * i + std::chrono::milliseconds(80));
  }
  CHECK(live_run.wall_seconds > 0.39);
}
