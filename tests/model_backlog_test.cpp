// The server's accept queue: SYNs dropped when it is full, retried as Linux does.
#include <catch2/catch.hpp>

#include "model/scenario_keys.hpp"
#include "model_support.hpp"

using namespace model_test;
using model::Status;
using std::chrono::milliseconds;

namespace {

// `n` downloads at once, 100 ms RTT, 200 ms of service, unlimited workers, a new connection
// per request.
model::Scenario burst(int n, int backlog) {
  auto s = items(n, 1000);
  s.network.rtt = model::Distribution::constant(0.1);
  s.server.service = model::Distribution::constant(0.2);
  s.server.backlog = backlog;
  return s;
}

}  // namespace

TEST_CASE("20 connections at once to a backlog of 5: 6 are queued, 14 retry their SYN after 1 s",
          "[model][backlog]") {
  // Hand-computed: SYNs reach the server at 50 ms; Linux queues backlog + 1 = 6. Those finish
  // at 100 (handshake) + 50 (request) + 200 (service) + 50 (answer) = 400 ms. The other 14 SYNs
  // are dropped; their retransmissions leave at 1 s, arrive at 1.05 s and are answered: each
  // finishes 1 s later, at 1.4 s, with one attempt and a connect phase of 1.1 s.
  const auto r = run_one(burst(20, 5), async(0)).result;
  int first = 0, retried = 0;
  for (const auto& o : r.downloads) {
    INFO(o.name);
    CHECK(o.status == Status::ok);
    CHECK(o.attempts == 1);
    if (o.end == milliseconds(400)) {
      ++first;
    } else {
      CHECK(o.end == milliseconds(1400));
      ++retried;
    }
  }
  CHECK(first == 6);
  CHECK(retried == 14);
  // The first six are the first six to connect (submission order).
  for (std::uint32_t id = 0; id < 6; ++id)
    CHECK(r.downloads[id].end == milliseconds(400));
  CHECK(r.summary.makespan == milliseconds(1400));
}

TEST_CASE("no backlog, or one large enough, drops nothing", "[model][backlog]") {
  for (int backlog : {0, 19, 100}) {
    INFO("backlog " << backlog);
    const auto r = run_one(burst(20, backlog), async(0)).result;
    CHECK(r.summary.makespan == milliseconds(400));
  }
  // 20 fit in a backlog of 19 (Linux queues one more); 21 do not.
  CHECK(run_one(burst(21, 19), async(0)).result.summary.makespan == milliseconds(1400));
}

TEST_CASE("connections spread in time never overflow the queue", "[model][backlog]") {
  // A pool of 20 threads with a backlog of 1: only the first 20 connect at once.
  const auto r = run_one(burst(40, 1), pool(20)).result;
  int late = 0;
  for (const auto& o : r.downloads)
    late += o.end > milliseconds(800) ? 1 : 0;
  // 2 at 400 ms, 18 retried (1.4 s); the two lanes free at 400 ms connect the next two at
  // once, which fit the queue (2): they finish at 800 ms, not a second later.
  CHECK(r.downloads[20].end == milliseconds(800));
  CHECK(r.downloads[21].end == milliseconds(800));
  CHECK(late == 36);
}

TEST_CASE("a SYN dropped with no retries left fails the connection", "[model][backlog]") {
  auto s = burst(3, 1);
  s.server.syn_retries = 0;  // connect() gives up one RTO (1 s) after the dropped SYN
  const auto r = run_one(s, async(0)).result;
  CHECK(r.downloads[0].status == Status::ok);
  CHECK(r.downloads[1].status == Status::ok);
  const auto& o = r.downloads[2];
  CHECK(o.status == Status::error);
  CHECK(o.http_status == 0);
  CHECK_THAT(o.error, Catch::Contains("accept queue was full"));
  CHECK(o.end == milliseconds(1050));  // SYN at 50 ms, 1 s of waiting
}

TEST_CASE("server.backlog is a key --set and --vary can change", "[model][backlog]") {
  auto s = burst(20, 0);
  s.strategies = {async(0)};
  model::apply_setting(s, "server.backlog=5");
  CHECK(s.server.backlog == 5);
  CHECK(run_one(s, async(0)).result.summary.makespan == milliseconds(1400));
  CHECK_THROWS_AS(model::apply_setting(s, "server.backlog=70000"), model::KeyError);
}
