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
