// Retries as client libraries do them: jitter bounds and determinism, retry_on, Retry-After.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "model/retry_policy.hpp"
#include "model/strategy_run.hpp"
#include "model_support.hpp"

using namespace model_test;
using model::Status;
using std::chrono::milliseconds;

namespace {

model::Client client_with(model::Jitter j) {
  model::Client c;
  c.backoff = milliseconds(100);
  c.backoff_max = std::chrono::seconds(10);
  c.jitter = j;
  return c;
}

// Answers each attempt with the statuses given in turn (the last one repeats) after 10 ms;
// a 503 or 429 carries `retry_after` when set.
class ScriptedTransport : public model::Transport {
 public:
  ScriptedTransport(sim::Simulation& s, std::vector<int> statuses,
                    std::optional<sim::Duration> retry_after)
      : sim_(s), statuses_(std::move(statuses)), retry_after_(retry_after) {}
  sim::Process<model::AttemptResult> attempt(const model::Job&,
                                             model::PhaseRecorder& rec) override {
    rec.begin(model::Phase::service);
    co_await sim_.timeout(milliseconds(10));
    rec.end();
    const int status = statuses_[std::min(calls_++, statuses_.size() - 1)];
    model::AttemptResult r;
    r.http_status = status;
    if (status == 0) {
      r.status = Status::error;
      r.error = "connection refused";
    } else if (status != 200) {
      r.status = Status::error;
      r.error = "HTTP " + std::to_string(status);
      if (status == 503 || status == 429) r.retry_after = retry_after_;
    }
    co_return r;
  }

 private:
  sim::Simulation& sim_;
  std::vector<int> statuses_;
  std::optional<sim::Duration> retry_after_;
  std::size_t calls_ = 0;
};

model::StrategyResult scripted(const model::Scenario& s, std::vector<int> statuses,
                               std::optional<sim::Duration> retry_after = std::nullopt) {
  const auto jobs = model::make_jobs(s, 1);
  sim::Simulation sim;
  ScriptedTransport t(sim, std::move(statuses), retry_after);
  return model::run_strategy(sim, t, s, sequential(), jobs, 1, false).result;
}

}  // namespace

TEST_CASE("jitter none waits the exponential backoff, capped", "[model][retry]") {
  auto c = client_with(model::Jitter::none);
  c.backoff_max = milliseconds(500);
  CHECK(model::backoff_delay(c, 1, 0, 0) == milliseconds(100));
  CHECK(model::backoff_delay(c, 1, 0, 1) == milliseconds(200));
  CHECK(model::backoff_delay(c, 1, 0, 2) == milliseconds(400));
  CHECK(model::backoff_delay(c, 1, 0, 3) == milliseconds(500));
}

TEST_CASE("full jitter draws from 0 up to b, equal jitter from b/2 up to b", "[model][retry]") {
  const auto full = client_with(model::Jitter::full);
  const auto equal = client_with(model::Jitter::equal);
  std::set<sim::Duration::rep> seen_full, seen_equal;
  for (std::uint32_t d = 0; d < 500; ++d) {
    for (int retry = 0; retry < 4; ++retry) {
      const sim::Duration b = milliseconds(100) * (1 << retry);
      const auto f = model::backoff_delay(full, 7, d, retry);
      const auto e = model::backoff_delay(equal, 7, d, retry);
      CHECK(f >= sim::Duration::zero());
      CHECK(f < b);
      CHECK(e >= b / 2);
      CHECK(e < b);
      if (retry == 0) {
        seen_full.insert(f.count());
        seen_equal.insert(e.count());
      }
    }
  }
  // Spread over the whole range, not one value: the mean of 500 uniform draws is near b/2.
  CHECK(seen_full.size() > 450);
  CHECK(seen_equal.size() > 450);
  double sum = 0;
  for (std::uint32_t d = 0; d < 500; ++d)
    sum += sim::to_seconds(model::backoff_delay(full, 7, d, 0));
  CHECK(sum / 500 == Approx(0.05).margin(0.006));
}

TEST_CASE("jittered waits are the same for the same seed, on any thread", "[model][retry]") {
  const auto c = client_with(model::Jitter::full);
  std::vector<sim::Duration> here, there, other_seed;
  for (std::uint32_t d = 0; d < 50; ++d)
    here.push_back(model::backoff_delay(c, 42, d, 1));
  std::thread([&] {
    for (std::uint32_t d = 0; d < 50; ++d)
      there.push_back(model::backoff_delay(c, 42, d, 1));
  }).join();
  for (std::uint32_t d = 0; d < 50; ++d)
    other_seed.push_back(model::backoff_delay(c, 43, d, 1));
  CHECK(here == there);
  CHECK(here != other_seed);
}

TEST_CASE("a simulated retry waits the jittered backoff drawn for its download and attempt",
          "[model][retry]") {
  auto s = items(3, 100);
  s.client.retries = 2;
  s.client.jitter = model::Jitter::equal;
  const auto r = scripted(s, {503, 503, 200});
  const auto& f = r.failed_attempts;
  REQUIRE(f.size() == 2);
  CHECK(f[0].backoff == model::backoff_delay(s.client, 1, 0, 0));
  CHECK(f[1].backoff == model::backoff_delay(s.client, 1, 0, 1));
  CHECK(f[0].backoff != milliseconds(100));  // drawn, not the plain backoff
  // 10 ms, backoff 0, 10 ms, backoff 1, 10 ms; then the other two items at 10 ms each.
  const sim::Duration first_end = milliseconds(30) + f[0].backoff + f[1].backoff;
  CHECK(r.downloads[0].end == sim::Time{0} + first_end);
}

TEST_CASE("Retry-After replaces the backoff, exactly", "[model][retry]") {
  auto s = items(1, 100);
  s.client.retries = 3;
  s.client.jitter = model::Jitter::full;
  const auto r = scripted(s, {503, 429, 200}, std::chrono::milliseconds(2500));
  REQUIRE(r.failed_attempts.size() == 2);
  CHECK(r.failed_attempts[0].backoff == milliseconds(2500));
  CHECK(r.failed_attempts[1].backoff == milliseconds(2500));
  CHECK(r.downloads[0].status == Status::ok);
  CHECK(r.downloads[0].end == sim::Time{0} + milliseconds(10 + 2500 + 10 + 2500 + 10));
}

TEST_CASE("retry_on: listed statuses, errors and timeouts are retried, others are not",
          "[model][retry]") {
  auto s = items(1, 100);
  s.client.retries = 1;
  SECTION("the default retries 503 and connection errors, not 501") {
    CHECK(scripted(s, {503, 200}).downloads[0].status == Status::ok);
    CHECK(scripted(s, {0, 200}).downloads[0].status == Status::ok);
    const auto r = scripted(s, {501, 200});
    CHECK(r.downloads[0].status == Status::error);
    CHECK(r.downloads[0].attempts == 1);
    REQUIRE(r.failed_attempts.size() == 1);
    CHECK_FALSE(r.failed_attempts[0].retried);
  }
  SECTION("a list without \"errors\" gives up on a refused connection") {
    s.client.retry_on = model::RetryOn{{501}, false, true};
    CHECK(scripted(s, {501, 200}).downloads[0].status == Status::ok);
    CHECK(scripted(s, {0, 200}).downloads[0].attempts == 1);
    CHECK(scripted(s, {503, 200}).downloads[0].attempts == 1);
  }
}

TEST_CASE("retry_on without \"timeouts\" gives up after the first timeout", "[model][retry]") {
  auto s = items(1, 100);
  s.client.retries = 2;
  s.client.timeout = milliseconds(5);  // every scripted attempt takes 10 ms
  CHECK(scripted(s, {200}).downloads[0].attempts == 3);
  s.client.retry_on.timeouts = false;
  const auto r = scripted(s, {200});
  CHECK(r.downloads[0].status == Status::timeout);
  CHECK(r.downloads[0].attempts == 1);
}
