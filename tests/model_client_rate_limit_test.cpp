// The client's own rate limit: the admission times its token bucket reserves, the buckets it
// keys by host, and the wait each attempt spends in the rate_limit phase.
#include <catch2/catch.hpp>

#include "model/client_rate_limit.hpp"
#include "model/token_bucket.hpp"
#include "model_support.hpp"

using namespace model_test;
using model::Phase;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

TEST_CASE("a reserved token is due when the bucket has it, exactly", "[model][rate][client_rate]") {
  // 10/s (one token per 100 ms), 3 saved up: five requests at 0 are admitted at 0, 0, 0, then
  // one period apart. By 1 s the bucket is full again: three at once, the fourth 100 ms later.
  model::TokenBucket bucket(10, 3);
  const std::vector<std::pair<int, int>> requests = {{0, 0},       {0, 0},       {0, 0},
                                                     {0, 100},     {0, 200},     {1000, 1000},
                                                     {1000, 1000}, {1000, 1000}, {1000, 1100}};
  for (const auto& [at, due] : requests) {
    INFO("request at " << at << " ms");
    CHECK(bucket.reserve(milliseconds(at)) == milliseconds(due));
  }
}

TEST_CASE("reserved tokens keep to whole periods with no drift", "[model][rate][client_rate]") {
  // 3/s: a period of 333333333 ns (1/3 s rounded); burst 1: one token at a time.
  model::TokenBucket bucket(3, 1);
  REQUIRE(bucket.period() == nanoseconds(333'333'333));
  CHECK(bucket.reserve(nanoseconds(0)) == nanoseconds(0));
  CHECK(bucket.reserve(nanoseconds(0)) == nanoseconds(333'333'333));
  CHECK(bucket.reserve(nanoseconds(0)) == nanoseconds(666'666'666));
  // A request after its token was due is admitted when it comes.
  CHECK(bucket.reserve(milliseconds(5000)) == milliseconds(5000));
  CHECK(bucket.reserve(milliseconds(5100)) == nanoseconds(5'333'333'333));
  // A reserved token is spent: take() finds none until the next is due.
  CHECK_FALSE(bucket.take(nanoseconds(5'666'666'665)));
  CHECK(bucket.take(nanoseconds(5'666'666'666)));
}

TEST_CASE("the limiter keys its buckets by host only when per_host", "[model][rate][client_rate]") {
  model::ClientRateLimit limit{10, 1, false};
  model::ClientRateLimiter shared(limit);
  CHECK(shared.wait(milliseconds(0), "a") == milliseconds(0));
  CHECK(shared.wait(milliseconds(0), "b") == milliseconds(100));  // one bucket for every host
  CHECK(shared.wait(milliseconds(30), "a") == milliseconds(170));
  limit.per_host = true;
  model::ClientRateLimiter per_host(limit);
  CHECK(per_host.wait(milliseconds(0), "a") == milliseconds(0));
  CHECK(per_host.wait(milliseconds(0), "b") == milliseconds(0));  // a bucket each
  CHECK(per_host.wait(milliseconds(0), "a") == milliseconds(100));
  model::ClientRateLimiter none(model::ClientRateLimit{});
  CHECK_FALSE(none.active());
  CHECK(none.wait(milliseconds(0), "a") == milliseconds(0));
  CHECK(model::host_of("https://example.com:8080/flags/{name}.gif") == "example.com:8080");
  CHECK(model::host_of("http://127.0.0.1?x") == "127.0.0.1");
}

TEST_CASE("20 downloads at 10/s, burst 1, through async-20 start their requests 100 ms apart",
          "[model][rate][client_rate]") {
  auto s = items(20, 1000);
  s.network.rtt = model::Distribution::constant(0.02);
  s.client.rate_limit = {10, 1, false};
  const auto r = run_one(s, async(20)).result;
  REQUIRE(r.downloads.size() == 20);
  for (const auto& o : r.downloads) {
    INFO(o.name);
    const sim::Time due = milliseconds(100) * o.id;
    CHECK(o.start == sim::Time{0});  // every one has its slot at once: the wait is the token's
    sim::Time waited_until{0}, connect_start{-1};
    for (std::uint32_t k = o.span_begin; k < o.span_begin + o.span_count; ++k) {
      const model::PhaseSpan& sp = r.spans[k];
      if (sp.phase == Phase::rate_limit) {
        CHECK(sp.start == sim::Time{0});
        waited_until = sp.end;
      }
      if (sp.phase == Phase::connect) connect_start = sp.start;
    }
    CHECK(waited_until == due);
    CHECK(connect_start == due);
    CHECK(o.end == due + milliseconds(40));  // handshake, then the request's round trip
  }
}

TEST_CASE("every attempt takes a token, retries included", "[model][rate][client_rate]") {
  auto s = items(1, 1000);
  s.server.errors = {{503, 1.0}};
  s.client.retries = 2;
  s.client.backoff = milliseconds(0);
  s.client.backoff_max = milliseconds(0);
  s.client.rate_limit = {10, 1, false};
  const auto r = run_one(s, sequential()).result;
  REQUIRE(r.failed_attempts.size() == 3);
  for (const auto& f : r.failed_attempts) {
    INFO("attempt " << f.attempt);
    CHECK(f.at == milliseconds(100) * f.attempt);
  }
  int waits = 0;
  for (const auto& sp : r.spans)
    if (sp.phase == Phase::rate_limit) {
      CHECK(sp.end - sp.start == milliseconds(100));
      ++waits;
    }
  CHECK(waits == 2);
}

TEST_CASE("the token comes before the pool: a request waiting for one holds no connection",
          "[model][rate][client_rate]") {
  // One connection, kept alive; 5/s with a burst of 2. The second request has its token at 0
  // and waits in the pool for the first's connection (done at 100 ms); the third's token is
  // due at 200 ms, when the connection is idle again: no pool wait at all.
  auto s = items(3, 1000);
  s.network.rtt = model::Distribution::constant(0.05);
  s.client.keep_alive = true;
  s.client.max_connections = 1;
  s.client.rate_limit = {5, 2, false};
  const auto r = run_one(s, async(3)).result;
  auto in = [&](std::uint32_t id, Phase p) {
    sim::Duration total{0};
    for (const auto& sp : r.spans)
      if (sp.download == id && sp.phase == p) total += sp.end - sp.start;
    return total;
  };
  CHECK(in(1, Phase::rate_limit) == milliseconds(0));
  CHECK(in(1, Phase::pool) == milliseconds(100));
  CHECK(in(2, Phase::rate_limit) == milliseconds(200));
  CHECK(in(2, Phase::pool) == milliseconds(0));
  CHECK(r.downloads[2].end == milliseconds(250));
}

TEST_CASE("the lower bound counts the client's tokens", "[model][rate][client_rate][bound]") {
  // 20 downloads at 10/s, burst 1: the last token is due at 1.9 s and its download then takes
  // 40 ms (handshake and request): no strategy finishes sooner, and async-20 does just that.
  auto s = items(20, 1000);
  s.network.rtt = model::Distribution::constant(0.02);
  s.client.rate_limit = {10, 1, false};
  const auto r = run_one(s, async(20)).result;
  CHECK(r.summary.lower_bound == milliseconds(1940));
  CHECK(r.summary.makespan == milliseconds(1940));
}
