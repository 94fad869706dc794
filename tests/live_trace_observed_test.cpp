// Reading the server's trace back and what a client's run looked like from it
// (live/trace_observed.hpp), on hand-made traces whose figures are worked out by hand.
#include <catch2/catch.hpp>

#include <sstream>
#include <stdexcept>
#include <string>

#include "live/trace_observed.hpp"

namespace {

const std::string kHeader =
    "accepted,arrival,service_start,response_start,last_byte,status,bytes,request_on_connection,"
    "reused,client_ip,client_port\n";

live::ObservedRun observed(const std::string& rows) {
  std::istringstream in(kHeader + rows);
  return live::observe(live::read_trace(in));
}

}  // namespace

TEST_CASE("two kept-alive connections, two requests each: makespan, in flight, gaps",
          "[live][trace]") {
  // Connection A (port 1000): 0.0-1.0, then 1.2-2.0. Connection B (port 2000): 0.5-1.5, then
  // 1.5-3.0. At most 2 at once (A's first and B's first); B's second arrives as its first
  // ends, which is not an overlap. Gaps: 0.2 (A) and 0.0 (B).
  const auto o = observed(
      "0.0,0.0,0.0,0.9,1.0,200,10,1,0,127.0.0.1,1000\n"
      "0.0,1.2,1.2,1.9,2.0,200,10,2,1,127.0.0.1,1000\n"
      "0.5,0.5,0.5,1.4,1.5,200,10,1,0,127.0.0.1,2000\n"
      "0.5,1.5,1.5,2.9,3.0,404,10,2,1,127.0.0.1,2000\n");
  CHECK(o.requests == 4);
  CHECK(o.answered == 4);
  CHECK(o.makespan_s == Approx(3.0));
  CHECK(o.max_in_flight == 2);
  // Before the first answer ended (1.0) two requests arrived, 0.5 s apart.
  REQUIRE(o.start_spacing_s);
  CHECK(*o.start_spacing_s == Approx(0.5));
  CHECK(o.connections == 2);
  CHECK(o.reused == 2);
  CHECK(o.by_status.at(200) == 3);
  CHECK(o.by_status.at(404) == 1);
  REQUIRE(o.gap_p50_s);
  CHECK(*o.gap_p50_s == Approx(0.0));  // nearest rank of {0.0, 0.2}
  // Per-request times {1.0, 0.8, 1.0, 1.5}: p50 the 2nd of 4, p95 the 4th.
  CHECK(o.p50_s == Approx(1.0));
  CHECK(o.p95_s == Approx(1.5));
}

TEST_CASE("a port used again by a later connection is another connection; unanswered rows",
          "[live][trace]") {
  // Three at once, then the client's port 1000 comes back on a new connection (accepted
  // later). A stalled request (no last byte) counts as a request and a status 0, not in the
  // times or in flight.
  const auto o = observed(
      "0.0,0.0,0.0,0.4,0.5,200,10,1,0,127.0.0.1,1000\n"
      "0.0,0.1,0.1,0.4,0.5,200,10,1,0,127.0.0.1,1001\n"
      "0.0,0.2,0.2,0.4,0.5,200,10,1,0,127.0.0.1,1002\n"
      "2.0,2.0,2.0,2.4,2.5,200,10,1,0,127.0.0.1,1000\n"
      "2.0,2.1,2.1,,,0,0,1,0,127.0.0.1,1003\n");
  CHECK(o.requests == 5);
  CHECK(o.answered == 4);
  CHECK(o.connections == 5);
  CHECK(o.reused == 0);
  CHECK(o.max_in_flight == 3);
  CHECK(o.makespan_s == Approx(2.5));
  CHECK(o.by_status.at(0) == 1);
  CHECK_FALSE(o.gap_p50_s);
}

TEST_CASE("an empty trace is a run of nothing; a malformed one names its line", "[live][trace]") {
  const auto empty = observed("");
  CHECK(empty.requests == 0);
  CHECK(empty.makespan_s == 0);
  CHECK(empty.max_in_flight == 0);
  std::istringstream bad_header("accepted,arrival\n");
  CHECK_THROWS_WITH(live::read_trace(bad_header), Catch::Contains("trace line 1"));
  std::istringstream short_row(kHeader + "0.0,0.1\n");
  CHECK_THROWS_WITH(live::read_trace(short_row),
                    Catch::Contains("trace line 2: 2 fields; expected 11"));
  std::istringstream not_number(kHeader + "0.0,soon,,,,0,0,1,0,127.0.0.1,1\n");
  CHECK_THROWS_WITH(live::read_trace(not_number),
                    Catch::Contains("trace line 2: arrival 'soon' is not a number"));
}

TEST_CASE("a trace drawn as a run: a lane per connection, the server's phases, times from 0",
          "[live][trace]") {
  // The same two connections as above, the first request arriving at 10 s: A's first waits
  // 0.1 s for a worker, is served to 0.9 and sent to 1.0; B's second got no whole answer.
  std::istringstream in(kHeader +
                        "10.0,10.0,10.1,10.9,11.0,200,10,1,0,127.0.0.1,1000\n"
                        "10.0,11.2,11.2,11.9,12.0,200,10,2,1,127.0.0.1,1000\n"
                        "10.5,10.5,10.5,11.4,11.5,404,10,1,0,127.0.0.1,2000\n"
                        "10.5,11.5,11.5,,,0,0,2,1,127.0.0.1,2000\n");
  const model::StrategyResult r = live::observed_result(live::read_trace(in), "mine");
  CHECK(r.name == "mine");
  CHECK(r.lanes == 2);
  REQUIRE(r.downloads.size() == 4);
  // In arrival order: A1 (0.0), B1 (0.5), A2 (1.2), B2 (1.5).
  const int lanes[] = {0, 1, 0, 1};
  const char* names[] = {"c0 #1", "c1 #1", "c0 #2", "c1 #2"};
  const model::Status statuses[] = {model::Status::ok, model::Status::not_found, model::Status::ok,
                                    model::Status::stalled};
  for (std::size_t i = 0; i < 4; ++i) {
    INFO(i);
    CHECK(r.downloads[i].lane == lanes[i]);
    CHECK(r.downloads[i].name == names[i]);
    CHECK(r.downloads[i].status == statuses[i]);
  }
  const model::Outcome& a1 = r.downloads[0];
  REQUIRE(a1.span_count == 3);
  const auto s = [&](std::size_t k) { return r.spans[a1.span_begin + k]; };
  CHECK(s(0).phase == model::Phase::server_queue);
  CHECK(sim::to_seconds(s(0).end) == Approx(0.1));
  CHECK(s(1).phase == model::Phase::service);
  CHECK(sim::to_seconds(s(1).end) == Approx(0.9));
  CHECK(s(2).phase == model::Phase::transfer);
  CHECK(sim::to_seconds(s(2).end) == Approx(1.0));
  // B's second reached no service: it ends where it arrived.
  CHECK(r.downloads[3].span_count == 0);
  CHECK(sim::to_seconds(r.downloads[3].end) == Approx(1.5));
  CHECK(sim::to_seconds(r.summary.makespan) == Approx(2.0));
  CHECK(r.summary.counts[static_cast<std::size_t>(model::Status::ok)] == 2);
}
