// The server's rate limit: a token bucket's admitted times, and what the simulation does with
// the requests over its budget (answered at once, retried after the Retry-After).
#include <catch2/catch.hpp>

#include "model/token_bucket.hpp"
#include "model_support.hpp"

using namespace model_test;
using model::Status;
using std::chrono::milliseconds;

TEST_CASE("a token bucket admits exactly the requests its budget allows", "[model][rate]") {
  // 10 tokens a second (one per 100 ms), 3 saved up, full at the start. Hand-computed: three
  // at 0 take the saved tokens; at 50 ms half a token has come back (no); at 250 ms 2.5 (yes,
  // 1.5 left); at 260 ms 1.6 (yes, 0.6 left); at 290 ms 0.9 (no); at 1 s full again.
  model::TokenBucket bucket(10, 3);
  CHECK(bucket.period() == milliseconds(100));
  const std::vector<std::pair<int, bool>> arrivals = {
      {0, true},    {0, true},    {0, true},     {0, false},   {0, false},
      {50, false},  {250, true},  {260, true},   {290, false}, {1000, true},
      {1000, true}, {1000, true}, {1000, false}, {1100, true}};
  for (const auto& [at, admitted] : arrivals) {
    INFO("request at " << at << " ms");
    CHECK(bucket.take(milliseconds(at)) == admitted);
  }
}

TEST_CASE("a burst of 1 admits one request per period, no sooner", "[model][rate]") {
  model::TokenBucket bucket(50, 1);  // 50/s: every 20 ms
  CHECK(bucket.take(milliseconds(0)));
  CHECK_FALSE(bucket.take(milliseconds(19)));
  CHECK(bucket.take(milliseconds(20)));
  CHECK_FALSE(bucket.take(milliseconds(39)));
  CHECK(bucket.take(milliseconds(45)));
  CHECK_FALSE(bucket.take(milliseconds(64)));
  CHECK(bucket.take(milliseconds(65)));
}

TEST_CASE(
    "requests over the server's rate limit are answered at once and retried after "
    "Retry-After",
    "[model][rate]") {
  // 10 downloads at once; 3 tokens, 3 a second back (the bucket is full again after 1 s);
  // the 429s say "Retry-After: 1": 3 get through at 0, 3 at 1 s, 3 at 2 s, the last at 3 s.
  auto s = items(10, 1000);
  s.server.service = model::Distribution::constant(0.2);
  s.server.rate_limit = {3, 3, 429, std::chrono::seconds(1)};
  s.client.retries = 5;
  const auto r = run_one(s, async(0)).result;
  for (const auto& o : r.downloads) {
    INFO(o.name);
    CHECK(o.status == Status::ok);
    const int round = static_cast<int>(o.id) / 3;
    CHECK(o.attempts == round + 1);
    CHECK(o.end == milliseconds(1000 * round + 200));
  }
  std::size_t limited = 0;
  for (const auto& f : r.failed_attempts) {
    CHECK(f.http_status == 429);
    CHECK(f.backoff == std::chrono::seconds(1));
    CHECK(f.at == milliseconds(1000 * f.attempt));  // answered at once: no service time
    ++limited;
  }
  CHECK(limited == 7 + 4 + 1);
}

TEST_CASE("without Retry-After the rate-limited retry waits the client's backoff",
          "[model][rate]") {
  auto s = items(2, 1000);
  s.server.rate_limit = {1, 1, 503, std::nullopt};  // one a second, 503, no header
  s.client.retries = 1;
  s.client.backoff = milliseconds(300);
  const auto r = run_one(s, async(0)).result;
  REQUIRE(r.failed_attempts.size() == 2);
  CHECK(r.failed_attempts[0].http_status == 503);
  CHECK(r.failed_attempts[0].backoff == milliseconds(300));
  CHECK_FALSE(r.failed_attempts[1].retried);
  // At 300 ms the bucket has 0.3 of a token: the retry is refused again and given up.
  CHECK(r.downloads[1].status == Status::error);
  CHECK(r.downloads[1].attempts == 2);
}
