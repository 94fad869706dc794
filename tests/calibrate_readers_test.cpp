// Reading observed requests: HAR 1.2, curl -w (both forms), loiter's downloads.csv, and the
// message each kind of bad input gets.
#include <catch2/catch.hpp>

#include <algorithm>

#include "calibrate/calibration.hpp"
#include "calibrate/read_input.hpp"
#include "cli_support.hpp"

using calibrate::read_text;

namespace {

std::string data(const std::string& name) {
  return cli_test::source("tests/data/calibrate/" + name);
}

std::string error_of(const std::string& path, const std::string& text) {
  try {
    read_text(path, text);
  } catch (const calibrate::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("calibrate HAR: connect includes ssl, -1 is not applicable, status 0 is left out",
          "[calibrate]") {
  const calibrate::Observed o = calibrate::read_input(data("spec.har"));
  CHECK(o.format == "HAR 1.2");
  REQUIRE(o.requests.size() == 3);
  const auto& a = o.requests[0];
  CHECK(a.name == "CN.gif");
  CHECK(a.new_connection);
  CHECK(a.dns == Approx(0.004));
  CHECK(a.tcp == Approx(0.021));  // connect 52.5 ms - ssl 31.5 ms
  CHECK(a.tls == Approx(0.0315));
  CHECK(a.wait == Approx(0.221));
  CHECK(a.receive == Approx(0.003));
  CHECK(a.bytes == 11925);
  const auto& reused = o.requests[1];
  CHECK_FALSE(reused.new_connection);
  CHECK(reused.dns < 0);
  CHECK(reused.tcp < 0);
  CHECK(o.requests[2].bytes == 26972);  // bodySize -1: content.size
}

TEST_CASE("calibrate HAR: a real Chromium recording reads", "[calibrate]") {
  const calibrate::Observed o = calibrate::read_input(data("chromium.har"));
  CHECK(o.format == "HAR 1.2");
  CHECK(o.requests.size() == 21);  // the page and its 20 flags; favicon.ico's 404 is left out
  std::size_t fresh = 0;
  for (const auto& r : o.requests) {
    CHECK(r.name != "favicon.ico");
    fresh += r.new_connection ? 1 : 0;
    CHECK(r.wait >= 0);
  }
  CHECK(fresh >= 1);
}

TEST_CASE("calibrate curl: %{json} lines and the key=value template", "[calibrate]") {
  const calibrate::Observed j = calibrate::read_input(data("curl-json.txt"));
  CHECK(j.format == "curl -w %{json}");
  CHECK(j.requests.size() == 20);
  for (const auto& r : j.requests) {
    CHECK(r.new_connection);  // one curl per URL: a connection each
    CHECK(r.wait >= 0.2);     // the server waits 200 ms before answering
    CHECK(r.bytes > 0);
  }
  const calibrate::Observed kv = calibrate::read_input(data("curl-kv.txt"));
  CHECK(kv.format == "curl -w key=value");
  REQUIRE(kv.requests.size() == 20);
  CHECK(kv.requests[0].new_connection);
  CHECK_FALSE(kv.requests[1].new_connection);  // one curl, 20 URLs: the connection is reused
  CHECK(kv.requests[0].name == "CN.gif");
}

TEST_CASE("calibrate curl: times are differences of curl's cumulative ones", "[calibrate]") {
  const calibrate::Observed o = read_text(
      "t.txt",
      "# recorded\n"
      "url=http://h/a/x.bin time_namelookup=0.001 time_connect=0.011 time_appconnect=0.031 "
      "time_pretransfer=0.032 time_starttransfer=0.252 time_total=0.262 size_download=1000 "
      "num_connects=1 http_code=200\n");
  REQUIRE(o.requests.size() == 1);
  const auto& r = o.requests[0];
  CHECK(r.name == "x.bin");
  CHECK(r.dns == Approx(0.001));
  CHECK(r.tcp == Approx(0.010));
  CHECK(r.tls == Approx(0.020));
  CHECK(r.wait == Approx(0.220));
  CHECK(r.receive == Approx(0.010));
  CHECK(r.bytes == 1000);
  // An error answer is not a download of the item.
  CHECK(read_text("t.txt",
                  "time_namelookup=0 time_connect=0.1 time_appconnect=0 "
                  "time_pretransfer=0.1 time_starttransfer=0.2 time_total=0.3 "
                  "size_download=9 http_code=404\n")
            .requests.empty());
}

TEST_CASE("calibrate downloads.csv: phases of the last attempt of each download", "[calibrate]") {
  const std::string csv =
      "strategy,id,name,lane,status,http_status,attempts,bytes,phase,attempt,start_s,end_s,"
      "consumed_s\n"
      "s,0,a,0,ok,200,1,500,connect,0,0.000000000,0.020000000,0.5\n"
      "s,0,a,0,ok,200,1,500,request,0,0.020000000,0.030000000,0.5\n"
      "s,0,a,0,ok,200,1,500,service,0,0.030000000,0.130000000,0.5\n"
      "s,0,a,0,ok,200,1,500,transfer,0,0.130000000,0.150000000,0.5\n"
      "s,1,b,0,error,503,1,0,connect,0,0.2,0.3,0.5\n";
  const calibrate::Observed o = read_text("d.csv", csv);
  CHECK(o.format == "loiter downloads.csv");
  REQUIRE(o.requests.size() == 1);  // the failed download is left out
  const auto& r = o.requests[0];
  CHECK(r.tcp == Approx(0.020));
  CHECK(r.wait == Approx(0.110));
  CHECK(r.wait_rtts == 0.5);
  CHECK(r.bytes == 500);
  CHECK(r.where == "d.csv:2");
}

TEST_CASE("calibrate bad input: where it is, what is wrong, what was expected", "[calibrate]") {
  // A malformed HAR: line and column of the JSON error.
  CHECK_THAT(error_of("x.har", "{\n  \"log\": {\n    \"entries\": [,]\n  }\n}\n"),
             Catch::StartsWith("x.har:3:17: ") && Catch::Contains("expected a HAR 1.2 file"));
  CHECK_THAT(error_of("x.har", "{\"log\": {}}"), Catch::StartsWith("x.har: log: no 'entries'"));
  CHECK_THAT(error_of("x.har",
                      "{\"log\": {\"entries\": [{\"request\": {\"url\": \"http://h/a\"}, "
                      "\"response\": {\"status\": 200}, \"timings\": {\"send\": 0, "
                      "\"wait\": -5, \"receive\": 1}}]}}"),
             Catch::StartsWith("x.har:1: log.entries[0].timings.wait: -5 is negative"));
  // In a file of many lines: the line where the entry starts.
  std::string har = cli_test::read_file(data("spec.har"));
  const std::size_t second = har.find("\"pageref\"", har.find("\"pageref\"") + 1);
  const auto entry_line =
      std::count(har.begin(), har.begin() + long(second), '\n');  // the '{' above
  const std::string wait = "\"wait\": 242.0";
  har.replace(har.find(wait), wait.size(), "\"wait\": -3");
  CHECK_THAT(error_of("spec.har", har),
             Catch::StartsWith("spec.har:" + std::to_string(entry_line) +
                               ": log.entries[1].timings.wait: -3 is negative"));
  // A CSV without a column it needs.
  CHECK_THAT(error_of("d.csv",
                      "strategy,id,name,lane,status,http_status,attempts,phase,attempt,"
                      "start_s,end_s\n"),
             Catch::StartsWith("d.csv:1: missing column 'bytes'; expected"));
  const std::string head =
      "strategy,id,name,lane,status,http_status,attempts,bytes,phase,attempt,start_s,end_s\n";
  CHECK_THAT(error_of("d.csv", head + "s,0,a,0,ok,200,1,5,service,0,0.5,0.4\n"),
             Catch::StartsWith("d.csv:2: end_s 0.4 is before start_s 0.5"));
  CHECK_THAT(error_of("d.csv", head + "s,0,a,0,ok,200,1,5,service,0,-0.5,0.4\n"),
             Catch::StartsWith("d.csv:2: start_s = '-0.5' is negative; expected a number >= 0"));
  CHECK_THAT(error_of("d.csv", head + "s,0,a,0,ok,200,1,5,service,0\n"),
             Catch::StartsWith("d.csv:2: 10 fields; expected 12"));
  // curl lines: negative, not cumulative, missing, malformed.
  const std::string kv =
      "time_namelookup=0.001 time_connect=0.002 time_appconnect=0 time_pretransfer=0.003 "
      "time_starttransfer=0.2 size_download=10 ";
  CHECK_THAT(error_of("c.txt", kv + "time_total=-1\n"),
             Catch::StartsWith("c.txt:1: time_total = -1 is negative"));
  CHECK_THAT(error_of("c.txt", kv + "time_total=0.1\n"),
             Catch::StartsWith("c.txt:1: time_total = 0.1 is less than time_starttransfer = 0.2"));
  CHECK_THAT(error_of("c.txt", "\n" + kv + "\n"),
             Catch::StartsWith("c.txt:2: no time_total; expected"));
  CHECK_THAT(
      error_of("c.txt", kv + "time_total=abc\n"),
      Catch::StartsWith("c.txt:1:") && Catch::Contains("time_total = 'abc' is not a number"));
  const std::string line =
      "{\"time_namelookup\": 0, \"time_connect\": 0.1, \"time_appconnect\": 0, "
      "\"time_pretransfer\": 0.1, \"time_starttransfer\": 0.3, \"time_total\": 0.4, "
      "\"size_download\": 10}\n";
  CHECK(read_text("c.json", line).requests.size() == 1);
  CHECK_THAT(error_of("c.json", line + "{\"time_total\": }\n"), Catch::StartsWith("c.json:2:16: "));
  CHECK_THAT(error_of("u.txt", "hello\n"),
             Catch::StartsWith("u.txt:1: not a format loiter calibrate reads; expected"));
  CHECK_THAT(error_of("n.txt", std::string("a\0b", 3)), Catch::StartsWith("n.txt: binary data"));
}

TEST_CASE("calibrate downloads.csv from a live run: the server's 200 ms delay is a floor",
          "[calibrate]") {
  // loiter live scenarios/flags20-local.toml --serve: the built-in server waits 200 ms before
  // it answers, so no server time can come out shorter.
  const calibrate::Observed o = calibrate::read_input(data("live-flags20-downloads.csv"));
  const calibrate::Calibration c = calibrate::calibrate({o}, {"sequential", "live"});
  CHECK(c.requests == 20);
  CHECK(c.new_connections == 20);  // keep_alive = false: a connection each
  REQUIRE(c.server.fit.n() == 20);
  CHECK(c.server.fit.sorted.front() >= 0.2);
  CHECK(c.rtt.fit.n() == 20);
  CHECK(c.items.size() == 20);
  CHECK(c.url_template.empty());  // downloads.csv holds names, not URLs
}

TEST_CASE("calibrate serve --trace: the server's time and sizes, unanswered rows left out",
          "[calibrate]") {
  const std::string head =
      "accepted,arrival,service_start,response_start,last_byte,status,bytes,"
      "request_on_connection,reused,client_ip,client_port\n";
  const std::string text =
      head +
      "0.100000,0.100200,0.100200,0.300200,0.300300,200,12115,1,0,127.0.0.1,5000\n"
      "0.100000,0.300500,0.300500,0.520500,0.520600,200,3115,2,1,127.0.0.1,5000\n"
      "0.100000,0.600000,0.600010,,,0,0,3,1,127.0.0.1,5000\n"
      "0.700000,0.700100,,0.700120,0.700130,404,115,1,0,127.0.0.1,5001\n";
  const calibrate::Observed o = read_text("t.csv", text);
  CHECK(o.format == "loiter serve --trace");
  REQUIRE(o.requests.size() == 2);           // the 404 and the unanswered row are left out
  CHECK(o.requests[0].wait == Approx(0.2));  // holding a worker to the first response byte
  CHECK(o.requests[0].wait_rtts == 0);
  CHECK(o.requests[0].new_connection);
  CHECK_FALSE(o.requests[1].new_connection);
  CHECK(o.requests[1].wait == Approx(0.22));
  CHECK(o.requests[1].bytes == 3115);
  CHECK(o.requests[0].tcp < 0);  // the server sees no handshake round trip
  CHECK(o.server_workers == 0);  // nobody waited for a worker: their number is not seen
  CHECK(std::any_of(o.notes.begin(), o.notes.end(), [](const std::string& n) {
    return n.find("1 requests got no answer") != std::string::npos;
  }));
  CHECK(error_of("t.csv", head + "0.1,0.3,0.3,0.2,0.4,200,10,1,0,127.0.0.1,5000\n") ==
        "t.csv:2: response_start 0.2 is before arrival 0.3; expected times in the order the "
        "server writes them");
  CHECK(error_of("t.csv", head + "0.1,x,0.3,0.4,0.5,200,10,1,0,127.0.0.1,5000\n") ==
        "t.csv:2: arrival 'x' is not a time or count; expected a number >= 0");
  CHECK(error_of("t.csv", head + "0.1,0.2\n") == "t.csv:2: 2 fields; expected 11 as in the header");
  CHECK(error_of("t.csv", "accepted,arrival,status\n") ==
        "t.csv:1: missing column 'service_start'; expected a loiter serve --trace header "
        "(accepted,arrival,service_start,response_start,...)");
}

TEST_CASE("calibrate serve --trace: 2 workers seen when requests wait for one", "[calibrate]") {
  // Three requests at 0.1 s on a server of 2 workers and 200 ms: the third holds a worker only
  // at 0.3 s, when one frees. Its server time is its 200 ms of service, not the wait.
  const std::string text =
      "accepted,arrival,service_start,response_start,last_byte,status,bytes,"
      "request_on_connection,reused,client_ip,client_port\n"
      "0.1,0.1,0.1,0.3,0.3,200,1115,1,0,127.0.0.1,5000\n"
      "0.1,0.1,0.1,0.3,0.3,200,1115,1,0,127.0.0.1,5001\n"
      "0.1,0.1,0.3,0.5,0.5,200,1115,1,0,127.0.0.1,5002\n";
  const calibrate::Observed o = read_text("w.csv", text);
  CHECK(o.server_workers == 2);
  CHECK(o.waited == 1);
  REQUIRE(o.requests.size() == 3);
  CHECK(o.requests[2].wait == Approx(0.2));
  const std::string toml = calibrate::scenario_text(calibrate::calibrate({o}, {}));
  CHECK_THAT(toml, Catch::Contains("workers = 2  # requests in service at once in the server's "
                                   "trace when each of the 1 that waited for a worker arrived"));
  CHECK(error_of("w.csv", text + "0.1,0.4,0.3,0.5,0.5,200,1115,1,0,127.0.0.1,5003\n") ==
        "w.csv:5: service_start 0.3 is not between arrival 0.4 and response_start 0.5; expected "
        "times in the order the server writes them");
}
