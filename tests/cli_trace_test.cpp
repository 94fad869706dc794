// `loiter serve --trace FILE`: rows written while the server runs, reuse seen from curl, and a
// path that cannot be written refused with exit 2.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_support.hpp"

using cli_test::loiter;
using cli_test::read_file;

TEST_CASE("serve --trace refuses a directory or an unopenable path with exit 2", "[trace]") {
  const auto dir = cli_test::fresh_dir("trace-dir");
  std::filesystem::create_directories(dir);
  const auto r = loiter("serve --port 0 --seconds 5 --trace " + dir.string());
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("is a directory"));
  CHECK(r.out.empty());
  const auto missing = loiter("serve --port 0 --seconds 5 --trace /no/such/dir/trace.csv");
  CHECK(missing.code == 2);
  CHECK_THAT(missing.err, Catch::Contains("/no/such/dir/trace.csv"));
}

TEST_CASE("serve --trace writes each request while serving, curl's reuse included", "[trace]") {
  const auto dir = cli_test::fresh_dir("trace-run");
  std::filesystem::create_directories(dir);
  const auto trace = dir / "trace.csv", out = dir / "out", seen = dir / "seen";
  // Two URLs on one curl command line share its connection; the trace is read while the
  // server still runs (flushed as it goes), then SIGTERM stops it.
  const std::string script =
      std::string(LOITER_BINARY) + " serve --port 0 --delay 50ms --seconds 60 --trace " +
      trace.string() + " >" + out.string() + " & pid=$!\n" +
      "for i in $(seq 200); do grep -q 'serving on' " + out.string() +
      " && break; sleep 0.05; done\n"
      "url=$(sed -n 's/^serving on \\([^ ]*\\).*/\\1/p' " +
      out.string() + ")\n" + "curl -s -o /dev/null -o /dev/null \"$url/a\" \"$url/b\"\n" +
      "for i in $(seq 200); do [ $(wc -l <" + trace.string() +
      ") -ge 3 ] && break; sleep 0.05; done\n" + "cp " + trace.string() + " " + seen.string() +
      "\n" + "kill -TERM $pid; wait $pid\n";
  const auto script_path = dir / "run.sh";
  { std::ofstream(script_path) << script; }
  const int status = std::system(("sh " + script_path.string()).c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  std::istringstream in(read_file(seen));
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line))
    lines.push_back(line);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].rfind("accepted,arrival,service_start,", 0) == 0);
  // status, bytes, request_on_connection, reused: both 404 (no items), the second reused.
  CHECK_THAT(lines[1], Catch::Contains(",404,") && Catch::Contains(",1,0,127.0.0.1,"));
  CHECK_THAT(lines[2], Catch::Contains(",404,") && Catch::Contains(",2,1,127.0.0.1,"));
  CHECK(read_file(trace) == read_file(seen));  // closed with nothing more after the stop
}

TEST_CASE("serve --requests N stops by itself once N answers are out, its trace complete",
          "[trace]") {
  const auto dir = cli_test::fresh_dir("trace-requests");
  std::filesystem::create_directories(dir);
  const auto trace = dir / "trace.csv", out = dir / "out";
  // Three requests on two curl runs; the server exits after the third answer, by itself
  // (the 60 s limit is only a guard), and `wait` returns its status.
  const std::string script =
      std::string(LOITER_BINARY) + " serve --port 0 --requests 3 --seconds 60 --trace " +
      trace.string() + " >" + out.string() + " 2>&1 & pid=$!\n" +
      "for i in $(seq 200); do grep -q 'serving on' " + out.string() +
      " && break; sleep 0.05; done\n"
      "url=$(sed -n 's/^serving on \\([^ ]*\\).*/\\1/p' " +
      out.string() + ")\n" + "curl -s -o /dev/null -o /dev/null \"$url/a\" \"$url/b\"\n" +
      "curl -s -o /dev/null \"$url/c\"\n" + "wait $pid\n";
  const auto script_path = dir / "run.sh";
  { std::ofstream(script_path) << script; }
  const int status = std::system(("timeout 30 sh " + script_path.string()).c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_THAT(read_file(out), Catch::Contains("loiter serve: stopped after 3 requests"));
  std::istringstream in(read_file(trace));
  std::string line;
  int rows = 0;
  while (std::getline(in, line))
    ++rows;
  CHECK(rows == 4);  // the header and the three requests
  const auto bad = loiter("serve --port 0 --requests 0");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--requests"));
}
