// TCP's slow start against times worked out by hand: the textbook's latency for a body of O
// bytes over a link of rate R with segments of S bytes and an initial window of W1 segments
// (Kurose and Ross 3.7): O/R plus, for each round after which bytes remain, the stall
// [S/R + RTT - W_k S/R]+ while the sender waits for the round's first acknowledgement; and,
// with no bandwidth limit, the short-flow latency of Cardwell, Savage and Anderson (INFOCOM
// 2000, no loss, no delayed ACKs): d = W1 (2^n - 1) segments take n round trips.
#include <algorithm>
#include <chrono>
#include <vector>

#include <catch2/catch.hpp>

#include "model/sim_transport.hpp"
#include "model/tcp.hpp"
#include "model_support.hpp"

using namespace model_test;
using namespace std::chrono_literals;
using model::Distribution;

namespace {

constexpr double kSegment = 1448;  // body bytes per segment (Linux, 1500 B MTU, timestamps)
constexpr double kFirst = 10 * kSegment;

// The body's rate on a link of `bits` per second: 1448 of each 1514 bytes on the wire.
double body_rate(double bits) {
  return bits / 8 * 1448 / 1514;
}

// The textbook's latency from the first byte (windows doubling from 10 segments, at most
// `cap` bytes), written out as its sum of stalls.
double textbook(double bytes, double rate, double rtt, double cap = 4.0 * (1 << 20)) {
  double window = kFirst, sent = 0, stalls = 0;
  while (sent + window < bytes) {
    sent += window;
    stalls += std::max(0.0, kSegment / rate + rtt - window / rate);
    window = std::min(2 * window, cap);
  }
  return bytes / rate + stalls;
}

// One download of `bytes` on a new connection: handshake (1 RTT), request and first byte
// (1 RTT), then the body. Returns the time from the request's first byte back to the end.
double body_of(std::int64_t bytes, double rtt, double bits) {
  auto s = items(1, bytes);
  s.network.rtt = Distribution::constant(rtt);
  s.network.bandwidth = bits / 8;
  const auto r = run_one(s, sequential()).result;
  REQUIRE(r.downloads[0].status == model::Status::ok);
  return seconds(r.downloads[0].end) - 2 * rtt;
}

}  // namespace

TEST_CASE("slow start: bodies on a new connection take the textbook's rounds", "[model][tcp]") {
  for (double rtt : {0.05, 0.2}) {
    for (double bits : {10e6, 1e9}) {
      const double rate = body_rate(bits);
      for (std::int64_t bytes : {14'480, 30'000, 100'000, 10'000'000}) {
        INFO(bytes << " B, RTT " << rtt << " s, " << bits << " bit/s");
        CHECK(body_of(bytes, rtt, bits) == Approx(textbook(bytes, rate, rtt)).margin(1e-6));
      }
    }
  }
  // Worked out: 30 KB at 10 Mbit/s and 50 ms. The first window (14,480 B) takes 12.1 ms on
  // the link; its first ACK is back after 1.2 ms + 50 ms; the other 15,520 B then take 13.0 ms.
  const double rate = body_rate(10e6);
  CHECK(body_of(30'000, 0.05, 10e6) == Approx(kSegment / rate + 0.05 + 15'520 / rate).margin(1e-6));
  // 14,480 B fit the first window: one round, the bytes alone.
  CHECK(body_of(14'480, 0.2, 10e6) == Approx(14'480 / rate).margin(1e-6));
  // 10 MB at 1 Gbit/s and 50 ms: the window stops at its 4 MiB cap, below the
  // bandwidth-delay product (5.98 MB), so every one of the 9 rounds before the last stalls.
  CHECK(body_of(10'000'000, 0.05, 1e9) > 9 * 0.05);
}

TEST_CASE("slow start without a bandwidth limit: W1 (2^n - 1) segments take n round trips",
          "[model][tcp]") {
  for (int n = 1; n <= 8; ++n) {
    const auto segments = static_cast<std::int64_t>(10 * ((1 << n) - 1));
    const std::int64_t bytes = segments * 1448;
    for (double rtt : {0.05, 0.2}) {
      auto s = items(1, bytes);
      s.network.rtt = Distribution::constant(rtt);
      const auto r = run_one(s, sequential()).result;
      INFO(segments << " segments, RTT " << rtt);
      // The handshake, then n rounds from the request: the first arrives with the first byte.
      CHECK(seconds(r.downloads[0].end) == Approx(rtt + n * rtt).margin(1e-6));
      // One segment more needs one round more.
      s.workload.items[0].bytes = bytes + 1;
      CHECK(seconds(run_one(s, sequential()).result.downloads[0].end) ==
            Approx(rtt + (n + 1) * rtt).margin(1e-6));
    }
  }
}

TEST_CASE("warm connections keep their window; after an idle RTO they start again",
          "[model][tcp]") {
  // Two 100 KB bodies one after the other on one kept-alive connection, RTT 200 ms, no limit
  // on bandwidth: the first takes 3 rounds (14,480 + 28,960 + 57,920 B), 2 round trips after
  // its first byte; its window is then 114,480 B, so the second needs no stall at all.
  auto s = items(2, 100'000);
  s.network.rtt = Distribution::constant(0.2);
  s.client.keep_alive = true;
  auto r = run_one(s, sequential()).result;
  const double first = seconds(r.downloads[0].end);
  CHECK(first == Approx(0.2 + 0.2 + 2 * 0.2).margin(1e-9));  // connect, request, 2 stalls
  CHECK(seconds(r.downloads[1].end) - first == Approx(0.2).margin(1e-9));  // request only

  // The second arrives 2 s after the first ended: idle longer than an RTO (200 ms + 200 ms),
  // the window is the initial one again (RFC 5681 4.1), and the 2 stalls come back.
  s.workload.arrivals.kind = model::Arrivals::Kind::listed;
  s.workload.items[0].at = 0s;
  s.workload.items[1].at = sim::from_seconds(first + 2.0);
  r = run_one(s, sequential()).result;
  CHECK(seconds(r.downloads[1].end) - (first + 2.0) == Approx(0.2 + 2 * 0.2).margin(1e-9));
  // Arriving 0.1 s after, its body starts 0.3 s after the last one was sent (the request's
  // round trip in between): less than an RTO, still warm.
  s.workload.items[1].at = sim::from_seconds(first + 0.1);
  r = run_one(s, sequential()).result;
  CHECK(seconds(r.downloads[1].end) - (first + 0.1) == Approx(0.2).margin(1e-9));
  // 0.25 s after: 0.45 s without sending, the window starts again.
  s.workload.items[1].at = sim::from_seconds(first + 0.25);
  r = run_one(s, sequential()).result;
  CHECK(seconds(r.downloads[1].end) - (first + 0.25) == Approx(0.2 + 2 * 0.2).margin(1e-9));
  // idle_restart = false keeps the window however long the connection rested.
  s.network.idle_restart = false;
  s.workload.items[1].at = sim::from_seconds(first + 2.0);
  r = run_one(s, sequential()).result;
  CHECK(seconds(r.downloads[1].end) - (first + 2.0) == Approx(0.2).margin(1e-9));
}

TEST_CASE("tcp = false, init_cwnd and max_window change the rounds", "[model][tcp]") {
  auto s = items(1, 100'000);
  s.network.rtt = Distribution::constant(0.1);
  const auto end = [&] { return seconds(run_one(s, sequential()).result.downloads[0].end); };
  CHECK(end() == Approx(0.1 + 0.1 + 2 * 0.1).margin(1e-9));
  s.network.init_cwnd = 4;  // 5,792 B, then 11,584, 23,168, 46,336, 92,672: 5 rounds
  CHECK(end() == Approx(0.1 + 0.1 + 4 * 0.1).margin(1e-9));
  s.network.init_cwnd = 10;
  s.network.max_window = 20'000;  // 14,480 then 20,000 a round: 6 rounds for 100 KB
  CHECK(end() == Approx(0.1 + 0.1 + 5 * 0.1).margin(1e-9));
  s.network.tcp = false;  // the body at once (no bandwidth limit)
  CHECK(end() == Approx(0.2).margin(1e-9));
}

TEST_CASE("slow start: the lower bound counts a new connection's rounds and still holds",
          "[model][tcp]") {
  // 20 bodies of 100 KB at once over a new connection each, 10 Mbit/s, RTT 100 ms.
  auto s = items(20, 100'000);
  s.network.rtt = Distribution::constant(0.1);
  s.network.bandwidth = 1.25e6;
  const auto r = run_one(s, async(0)).result;
  const double alone = 0.2 + textbook(100'000, body_rate(10e6), 0.1);
  const double link = 20 * 100'000 / body_rate(10e6);
  CHECK(seconds(r.summary.lower_bound) == Approx(std::max(alone, link)).margin(1e-6));
  CHECK(r.summary.makespan >= r.summary.lower_bound);
  // Sharing the link slows each round: every body ends after its time alone.
  for (const auto& o : r.downloads)
    CHECK(seconds(o.end) >= alone - 1e-9);
}
