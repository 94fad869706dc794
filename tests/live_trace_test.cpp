// The test server's request trace: one CSV row per request, times in order, connection reuse,
// statuses, the service delay inside the service span, whole lines under concurrent requests.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "live/test_server.hpp"
#include "live_server_fetch.hpp"
#include "live_support.hpp"

using live::ServeOptions;
using live::TestServer;
using namespace std::chrono_literals;

namespace {

std::filesystem::path trace_path(const std::string& name) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("loiter-trace-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, ','))
    fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

// The rows of a trace as column -> text maps; checks the header and every row's width.
std::vector<std::map<std::string, std::string>> read_trace(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  REQUIRE(std::getline(in, line));
  const auto header = split(line);
  CHECK(header == std::vector<std::string>{"accepted", "arrival", "service_start", "response_start",
                                           "last_byte", "status", "bytes", "request_on_connection",
                                           "reused", "client_ip", "client_port"});
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    const auto fields = split(line);
    REQUIRE(fields.size() == header.size());
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size(); ++i)
      row[header[i]] = fields[i];
    rows.push_back(row);
  }
  return rows;
}

double num(const std::map<std::string, std::string>& row, const std::string& column) {
  return std::stod(row.at(column));
}

}  // namespace

TEST_CASE("the trace has a row per request with ordered times, reuse and status", "[trace]") {
  const auto path = trace_path("requests.csv");
  ServeOptions o;
  o.items = {{"a", 20'000}};
  o.delay = 50ms;
  o.trace = path;
  {
    TestServer server(o);
    live_test::start(server);
    const auto easy = live_test::make_easy();
    const auto url = server.base_url();
    CHECK(live_test::fetch_with(easy.get(), url + "/a").status == 200);
    CHECK(live_test::fetch_with(easy.get(), url + "/a").status == 200);
    CHECK(live_test::fetch_with(easy.get(), url + "/nope").status == 404);
    CHECK(live_test::fetch(url + "/a").status == 200);  // a new connection
    server.stop();
  }
  const auto rows = read_trace(path);
  REQUIRE(rows.size() == 5);  // the warm-up's 405 and the four above
  std::map<std::string, std::vector<std::map<std::string, std::string>>> by_port;
  for (const auto& row : rows) {
    if (row.at("status") == "405") {
      CHECK(row.at("service_start").empty());  // answered before it waited for a worker
      continue;
    }
    CHECK(row.at("client_ip") == "127.0.0.1");
    by_port[row.at("client_port")].push_back(row);
    const double service = num(row, "service_start");
    CHECK(num(row, "accepted") >= 0);
    CHECK(num(row, "accepted") <= num(row, "arrival"));
    CHECK(num(row, "arrival") <= service);
    CHECK(service + 0.050 <= num(row, "response_start"));  // the 50 ms delay
    CHECK(num(row, "response_start") <= num(row, "last_byte"));
    CHECK(num(row, "bytes") > 0);
    if (row.at("status") == "200") CHECK(num(row, "bytes") > 20'000);
  }
  REQUIRE(by_port.size() == 2);
  std::vector<std::string> statuses;
  for (const auto& [port, on_connection] : by_port) {
    for (std::size_t i = 0; i < on_connection.size(); ++i) {
      CHECK(on_connection[i].at("request_on_connection") == std::to_string(i + 1));
      CHECK(on_connection[i].at("reused") == (i == 0 ? "0" : "1"));
      statuses.push_back(on_connection[i].at("status"));
      if (i > 0) CHECK(num(on_connection[i - 1], "last_byte") <= num(on_connection[i], "arrival"));
    }
    CHECK(on_connection.front().at("accepted") == on_connection.back().at("accepted"));
  }
  std::sort(statuses.begin(), statuses.end());
  CHECK(statuses == std::vector<std::string>{"200", "200", "200", "404"});
}

TEST_CASE("concurrent requests give whole trace lines, one per request", "[trace]") {
  const auto path = trace_path("concurrent.csv");
  ServeOptions o;
  o.items = {{"a", 5'000}};
  o.workers = 4;
  o.trace = path;
  constexpr int kThreads = 8, kEach = 10;
  {
    TestServer server(o);
    live_test::start(server);
    std::vector<std::thread> clients;
    for (int t = 0; t < kThreads; ++t) {
      clients.emplace_back([url = server.base_url() + "/a"] {
        const auto easy = live_test::make_easy();
        for (int i = 0; i < kEach; ++i)
          live_test::fetch_with(easy.get(), url);
      });
    }
    for (auto& c : clients)
      c.join();
    server.stop();
  }
  const auto rows = read_trace(path);
  CHECK(rows.size() == kThreads * kEach + 1);
  int reused = 0;
  for (const auto& row : rows)
    reused += row.at("reused") == "1" ? 1 : 0;
  CHECK(reused == kThreads * (kEach - 1));
}

TEST_CASE("a trace path that cannot be written is refused when the server is made", "[trace]") {
  ServeOptions o;
  o.trace = std::filesystem::temp_directory_path();
  CHECK_THROWS_WITH(TestServer(o), Catch::Contains("is a directory"));
  o.trace = "/no/such/directory/trace.csv";
  CHECK_THROWS_WITH(TestServer(o), Catch::Contains("/no/such/directory/trace.csv"));
}
