// HTTP/2: a host's requests as streams on one connection, one handshake, one TCP window shared
// by the streams a round at a time, max_streams and max_connections, against schedules
// computed by hand. Segments carry 1,448 body bytes; the first window is 10 of them.
#include <algorithm>
#include <set>

#include <catch2/catch.hpp>

#include "model/scenario_load.hpp"
#include "model/scenario_print.hpp"
#include "model_support.hpp"

using namespace model_test;
using Catch::Matchers::Contains;
using model::Distribution;

namespace {

constexpr std::int64_t kSegment = 1448;

model::Scenario h2(int n, std::int64_t bytes, double rtt) {
  auto s = items(n, bytes);
  s.network.rtt = Distribution::constant(rtt);
  s.client.http2 = true;
  s.client.keep_alive = true;
  return s;
}

std::vector<double> ends(const model::StrategyResult& r) {
  std::vector<double> out;
  for (const auto& o : r.downloads)
    out.push_back(seconds(o.end));
  return out;
}

std::set<std::uint32_t> connections(const model::StrategyResult& r) {
  std::set<std::uint32_t> out;
  for (const auto& o : r.downloads)
    out.insert(o.connection);
  return out;
}

double body_rate(double bits) {
  return bits / 8 * 1448 / 1514;
}

}  // namespace

TEST_CASE("HTTP/2: ten requests share one connection and its first window", "[model][http2]") {
  // One handshake (0.1 s), the requests' round trip (0.1 s); each body is one segment, and
  // the first window holds ten: every body arrives with the first round.
  auto s = h2(10, kSegment, 0.1);
  auto r = run_one(s, async(0)).result;
  for (const double end : ends(r))
    CHECK(end == Approx(0.2).margin(1e-9));
  CHECK(connections(r) == std::set<std::uint32_t>{1});
  // HTTP/1.1 with keep-alive opens ten connections for the same schedule.
  s.client.http2 = false;
  r = run_one(s, async(0)).result;
  CHECK(connections(r).size() == 10);
}

TEST_CASE("HTTP/2: the streams share one window, where ten connections have ten",
          "[model][http2]") {
  // Ten bodies of ten segments (14,480 B, less than a frame: each is one DATA frame) through
  // one window of 14,480, 28,960, 57,920 and then 115,840 B: the first round carries the first
  // body, the second two, the third four, the fourth the last three, a round trip apart.
  auto s = h2(10, 10 * kSegment, 0.1);
  auto r = run_one(s, async(0)).result;
  const std::vector<double> expected{0.2, 0.3, 0.3, 0.4, 0.4, 0.4, 0.4, 0.5, 0.5, 0.5};
  for (std::size_t i = 0; i < expected.size(); ++i)
    CHECK(ends(r)[i] == Approx(expected[i]).margin(1e-9));
  // Ten HTTP/1.1 connections: each body fits its own first window.
  s.client.http2 = false;
  r = run_one(s, async(0)).result;
  for (const double end : ends(r))
    CHECK(end == Approx(0.2).margin(1e-9));
}

TEST_CASE("HTTP/2: a round sends a frame of each stream in turn", "[model][http2]") {
  // At 10 Mbit/s, bodies of 20,000 and 1,448 B. The first round (14,480 B) is most of the
  // first body's first frame (16,384 B), cut by the window. The second, one ACK time (a
  // segment alone, then the round trip) after the first began: the rest of that frame
  // (1,904 B), the second body's only frame (1,448 B), then the first body's last (3,616 B).
  auto s = h2(2, 20'000, 0.05);
  s.workload.items[1].bytes = kSegment;
  s.network.bandwidth = 10e6 / 8;
  const double rate = body_rate(10e6);
  const double second_round = 0.1 + kSegment / rate + 0.05;
  const auto r = run_one(s, async(0)).result;
  CHECK(seconds(r.downloads[1].end) == Approx(second_round + 3'352 / rate).margin(1e-6));
  CHECK(seconds(r.downloads[0].end) == Approx(second_round + 6'968 / rate).margin(1e-6));
  // Two bodies of 30,000 B: frames of 16,384 B in turn. The first round is 14,480 B of the
  // first; the second round (28,960 B) ends its frame (1,904 B), the second's first frame
  // (16,384 B), then 10,672 B of the first's last frame (13,616 B): the third round ends it
  // (2,944 B) and then the second (13,616 B).
  s.workload.items[0].bytes = 30'000;
  s.workload.items[1].bytes = 30'000;
  const auto t = run_one(s, async(0)).result;
  const double third_round = second_round + kSegment / rate + 0.05;
  CHECK(seconds(t.downloads[0].end) == Approx(third_round + 2'944 / rate).margin(1e-6));
  CHECK(seconds(t.downloads[1].end) == Approx(third_round + (2'944 + 13'616) / rate).margin(1e-6));
}

TEST_CASE("HTTP/2: one stream takes the textbook's rounds, as one HTTP/1.1 connection does",
          "[model][http2]") {
  for (double rtt : {0.05, 0.2}) {
    for (double bits : {10e6, 1e9}) {
      for (std::int64_t bytes : {14'480, 30'000, 100'000, 10'000'000}) {
        auto s = h2(1, bytes, rtt);
        s.network.bandwidth = bits / 8;
        const double two = seconds(run_one(s, sequential()).result.downloads[0].end);
        s.client.http2 = false;
        const double one = seconds(run_one(s, sequential()).result.downloads[0].end);
        INFO(bytes << " B, RTT " << rtt << " s, " << bits << " bit/s");
        CHECK(two == Approx(one).margin(1e-6));
      }
    }
  }
}

TEST_CASE("HTTP/2: max_streams opens a second connection, each with its own handshake",
          "[model][http2]") {
  auto s = h2(10, kSegment, 0.1);
  s.client.max_streams = 4;
  const auto r = run_one(s, async(0)).result;
  for (const double end : ends(r))
    CHECK(end == Approx(0.2).margin(1e-9));
  std::vector<std::uint32_t> on;
  for (const auto& o : r.downloads)
    on.push_back(o.connection);
  CHECK(on == std::vector<std::uint32_t>{1, 1, 1, 1, 2, 2, 2, 2, 3, 3});
}

TEST_CASE("HTTP/2: at max_connections a request waits for a stream", "[model][http2]") {
  // One connection of two streams: the first two end at 0.2; the other two wait in the pool
  // for their streams, then a round trip (the window is warm: 17,376 B after the first round).
  auto s = h2(4, kSegment, 0.1);
  s.client.max_streams = 2;
  s.client.max_connections = 1;
  const auto r = run_one(s, async(0)).result;
  const std::vector<double> expected{0.2, 0.2, 0.3, 0.3};
  for (std::size_t i = 0; i < expected.size(); ++i)
    CHECK(ends(r)[i] == Approx(expected[i]).margin(1e-9));
  CHECK(connections(r) == std::set<std::uint32_t>{1});
  double pool = 0;
  for (const auto& span : r.spans)
    if (span.phase == model::Phase::pool) pool += seconds(span.end - span.start);
  CHECK(pool == Approx(2 * 0.2).margin(1e-9));
  CHECK(seconds(r.summary.lower_bound) <= seconds(r.summary.makespan) + 1e-9);
  SECTION("pool_timeout ends the wait") {
    s.client.pool_timeout = sim::from_seconds(0.1);
    const auto t = run_one(s, async(0)).result;
    CHECK(t.downloads[2].status == model::Status::timeout);
    CHECK_THAT(t.downloads[2].error, Contains("no stream from the pool within 0.100 s"));
    CHECK(t.downloads[0].status == model::Status::ok);
  }
}

TEST_CASE("HTTP/2 wins on many small files behind TLS at a high round trip", "[model][http2]") {
  // 60 one-segment bodies, RTT 100 ms, TLS (1 round trip more), no bandwidth limit.
  // HTTP/1.1, 6 connections: 0.2 s of handshakes, then 10 requests each, one round trip
  // apiece: 1.2 s. HTTP/2, one connection: 0.2 s, the requests' round trip, and 60 segments
  // through windows of 10, 20 and 40: three rounds, 0.5 s.
  auto s = h2(60, kSegment, 0.1);
  s.network.tls = true;
  s.network.tls_rtts = 1;
  CHECK(seconds(run_one(s, async(0)).result.summary.makespan) == Approx(0.5).margin(1e-9));
  s.client.http2 = false;
  s.client.max_per_host = 6;
  CHECK(seconds(run_one(s, async(0)).result.summary.makespan) == Approx(1.2).margin(1e-9));
}

TEST_CASE("HTTP/2 loses on large files when one window caps its connection", "[model][http2]") {
  // Four 20 MB bodies at 1 Gbit/s and RTT 100 ms: a window of at most 4 MiB sends 41.9 MB/s
  // per connection. One HTTP/2 connection cannot go faster; four HTTP/1.1 ones fill the link
  // (119.6 MB/s of body bytes).
  auto s = h2(4, 20'000'000, 0.1);
  s.network.bandwidth = 1e9 / 8;
  const double window_rate = 4.0 * (1 << 20) / 0.1;
  const auto h2_run = run_one(s, async(0)).result;
  const double two = seconds(h2_run.summary.makespan);
  CHECK(two >= 80e6 / window_rate);
  // The lower bound knows the one window: the handshakes, the request, then 80 MB at most at
  // the window's rate.
  const double bound = seconds(h2_run.summary.lower_bound);
  CHECK(bound == Approx(0.1 + 0.1 + 80e6 / window_rate).margin(1e-6));
  CHECK(bound <= two);
  s.client.http2 = false;
  const double one = seconds(run_one(s, async(0)).result.summary.makespan);
  CHECK(one >= 80e6 / body_rate(1e9));
  CHECK(one < 80e6 / window_rate);
}

TEST_CASE("HTTP/2: a stream stopped by its timeout frees its place; the others go on",
          "[model][http2]") {
  auto s = h2(3, 2'000'000, 0.05);
  s.network.bandwidth = 10e6 / 8;
  s.workload.items[0].bytes = 50'000'000;  // 40 s alone: cut by the 5 s timeout
  s.client.timeout = sim::from_seconds(5);
  s.client.max_streams = 2;
  s.client.max_connections = 1;
  // The third arrives at 4 s and waits for a stream (its timeout counts the wait).
  s.workload.arrivals.kind = model::Arrivals::Kind::listed;
  s.workload.items[0].at = sim::from_seconds(0);
  s.workload.items[1].at = sim::from_seconds(0);
  s.workload.items[2].at = sim::from_seconds(4);
  const auto r = run_one(s, async(0)).result;
  CHECK(r.downloads[0].status == model::Status::timeout);
  CHECK(r.downloads[1].status == model::Status::ok);
  CHECK(r.downloads[2].status == model::Status::ok);  // took the stream the first gave up
  CHECK(seconds(r.downloads[2].end) > 5.0);
  CHECK(seconds(r.downloads[2].end) < 9.0);
  CHECK(connections(r) == std::set<std::uint32_t>{1});
}

TEST_CASE("HTTP/2: a connection that fails to open fails every stream waiting on it",
          "[model][http2]") {
  auto s = h2(3, kSegment, 2.0);
  s.client.connect_timeout = sim::from_seconds(1);
  const auto r = run_one(s, async(0)).result;
  for (const auto& o : r.downloads) {
    CHECK(o.status == model::Status::timeout);
    CHECK_THAT(o.error, Contains("connect_timeout"));
    CHECK(seconds(o.end) == Approx(1.0).margin(1e-9));
  }
}

TEST_CASE("http and max_streams in a scenario file", "[model][http2][scenario]") {
  const std::string head =
      "[workload]\ncount = 2\nsize = \"1 KB\"\n[[strategy]]\nname = \"a\"\nkind = \"async\"\n";
  SECTION("http = \"2\" keeps connections open and prints back") {
    const auto s =
        model::parse_scenario(head + "[client]\nhttp = \"2\"\nmax_streams = 8\n", "h.toml");
    CHECK(s.client.http2);
    CHECK(s.client.keep_alive);
    CHECK(s.client.max_streams == 8);
    const std::string printed = model::print_scenario(s);
    CHECK_THAT(printed, Contains("http = \"2\""));
    CHECK(model::parse_scenario(printed, "printed.toml").client.http2);
  }
  SECTION("an unknown version") {
    CHECK_THROWS_WITH(model::parse_scenario(head + "[client]\nhttp = \"3\"\n", "h.toml"),
                      Contains("h.toml:8:8") && Contains("client.http: unknown version") &&
                          Contains("expected \"1.1\" or \"2\""));
  }
  SECTION("a number, not a string") {
    CHECK_THROWS_WITH(model::parse_scenario(head + "[client]\nhttp = 2\n", "h.toml"),
                      Contains("h.toml:8:8") && Contains("client.http must be a string"));
  }
  SECTION("keep_alive = false with it") {
    CHECK_THROWS_WITH(
        model::parse_scenario(head + "[client]\nhttp = \"2\"\nkeep_alive = false\n", "h.toml"),
        Contains("h.toml:8:8") && Contains("keep_alive = false cannot apply"));
  }
  SECTION("open_extra with it") {
    CHECK_THROWS_WITH(model::parse_scenario(
                          head + "[client]\nhttp = \"2\"\nwhen_full = \"open_extra\"\n", "h.toml"),
                      Contains("h.toml:8:8") && Contains("open_extra\" cannot apply"));
  }
  SECTION("max_streams below 1") {
    CHECK_THROWS_WITH(model::parse_scenario(head + "[client]\nmax_streams = 0\n", "h.toml"),
                      Contains("h.toml:8:15") && Contains("max_streams"));
  }
}

TEST_CASE("HTTP/2 from [client] and a profile that closes its connections",
          "[model][http2][scenario]") {
  // requests.get opens a connection per call: it cannot take [client]'s HTTP/2.
  const std::string text =
      "[workload]\ncount = 2\nsize = \"1 KB\"\n[client]\nhttp = \"2\"\n[[strategy]]\nname = "
      "\"a\"\nkind = \"pool\"\nworkers = 2\nclient = \"requests\"\n";
  CHECK_THROWS_WITH(model::parse_scenario(text, "h.toml"),
                    Contains("clients.requests: http = \"2\" (from [client])") &&
                        Contains("keep_alive = false cannot apply"));
}

TEST_CASE("HTTP/2: a body ready during a round goes at once if the window has room",
          "[model][http2]") {
  // RTT 100 ms, no bandwidth limit. The first request opens the connection (0-0.1) and its
  // one-segment body goes at 0.2, in a round that lasts until its ACK at 0.3. The second
  // arrives at 0.15 on the open connection: its body is ready at 0.25.
  auto s = h2(2, kSegment, 0.1);
  s.workload.arrivals.kind = model::Arrivals::Kind::listed;
  s.workload.items[0].at = sim::from_seconds(0);
  s.workload.items[1].at = sim::from_seconds(0.15);
  SECTION("room in the window: it goes out at once") {
    const auto r = run_one(s, async(0)).result;
    CHECK(seconds(r.downloads[0].end) == Approx(0.2).margin(1e-9));
    CHECK(seconds(r.downloads[1].end) == Approx(0.25).margin(1e-9));
    CHECK(connections(r) == std::set<std::uint32_t>{1});
  }
  SECTION("the window full: it waits for the round's ACK") {
    s.workload.items[0].bytes = 10 * kSegment;  // the whole first window
    const auto r = run_one(s, async(0)).result;
    CHECK(seconds(r.downloads[0].end) == Approx(0.2).margin(1e-9));
    CHECK(seconds(r.downloads[1].end) == Approx(0.3).margin(1e-9));
  }
}
