// End-to-end: `loiter live`, `loiter validate` and `loiter run --realtime` as a user runs them,
// on loopback only (the built-in server on a free port), each bounded in time.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli_support.hpp"
#include "live_support.hpp"

extern char** environ;

using namespace cli_test;
using namespace std::chrono_literals;

namespace {

// A scenario file of `count` items of 100 bytes, served with `service` per request.
std::filesystem::path small_scenario(const std::string& name, int count, const std::string& service,
                                     const std::string& extra = "") {
  const auto dir = fresh_dir(name);
  std::filesystem::create_directories(dir);
  const std::string items = numbered_items(count);
  std::ofstream(dir / "s.toml") << "name = \"" << name << "\"\n[workload]\nitems = [\n"
                                << items << "]\n[server]\nworkers = 8\nservice = \"" << service
                                << "\"\n"
                                << extra
                                << "[[strategy]]\nname = \"seq\"\nkind = \"sequential\"\n"
                                   "[[strategy]]\nname = \"async\"\nkind = \"async\"\n";
  return dir / "s.toml";
}

}  // namespace

TEST_CASE("live and validate have --help", "[cli][live]") {
  for (const char* cmd : {"live", "validate"}) {
    const Result r = loiter(std::string(cmd) + " --help");
    INFO(cmd);
    CHECK(r.code == 0);
    CHECK(r.out.find("--base-url") != std::string::npos);
  }
}

TEST_CASE("loiter live --serve fetches every flag and writes the usual files", "[cli][live]") {
  const auto out = fresh_dir("live-flags");
  const Result r = loiter("live " + source("scenarios/flags20-local.toml") +
                          " --serve --strategy threads-16 --format json --out " + out.string());
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["mode"] == "live");
  CHECK(j["interrupted"] == false);
  REQUIRE(j["strategies"].size() == 1);
  CHECK(j["strategies"][0]["outcomes"]["ok"] == 20);
  CHECK(j["strategies"][0]["makespan_s"].get<double>() >= 0.4);  // two rounds of 200 ms
  for (const char* f : {"report.json", "downloads.csv", "gantt.svg", "timeline.svg", "trace.json"})
    CHECK(std::filesystem::exists(out / f));
}

TEST_CASE("loiter live reports a server that is not there as errors", "[cli][live]") {
  live_test::ClosedPort closed;
  const auto scenario = small_scenario("live-refused", 3, "0s");
  const Result r = loiter("live " + scenario.string() +
                          " --base-url http://127.0.0.1:" + std::to_string(closed.port()));
  // The report is printed, and, like curl, a run that got nothing exits non-zero and says why.
  CHECK(r.code == 1);
  CHECK(r.out.find("(live)") != std::string::npos);
  CHECK(r.out.find("0 downloaded, 0 not found, 3 errors, 0 timeouts") != std::string::npos);
  CHECK(r.out.find("seq       most common error: ") != std::string::npos);
  CHECK(r.err.find("loiter live: every download of 'seq' failed: 0 downloaded, 0 not found, 3 "
                   "errors, 0 timeouts; most often: ") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 2);  // "fetching ...", the reason
}

TEST_CASE("loiter live without a URL says how to give one", "[cli][live]") {
  const auto scenario = small_scenario("live-no-url", 2, "0s");
  const Result r = loiter("live " + scenario.string());
  CHECK(r.code == 2);
  CHECK(r.err.find("--base-url") != std::string::npos);
  CHECK(loiter("live " + scenario.string() + " --serve --base-url http://127.0.0.1:1").code == 2);
  CHECK(loiter("live " + scenario.string() + " --serve --max-body lots").code == 2);
}

TEST_CASE("loiter validate compares simulation and live, and fails past the tolerance",
          "[cli][live]") {
  const auto out = fresh_dir("validate-flags");
  const std::string args = "validate " + source("scenarios/flags20-local.toml") +
                           " --strategy threads-16 --strategy async-20";
  // How close live comes depends on the machine's load: the figure is measured by the README's
  // validate command, not here. The test checks the comparison itself, with a tolerance (100%)
  // only a broken model or transport misses.
  const Result r = loiter(args + " --tolerance 1 --out " + out.string());
  CHECK(r.code == 0);
  CHECK(r.out.find("threads-16") != std::string::npos);
  CHECK(r.out.find("async-20") != std::string::npos);
  const auto j = nlohmann::json::parse(read_file(out / "validate.json"));
  CHECK(j["pass"] == true);
  REQUIRE(j["strategies"].size() == 2);
  for (const auto& s : j["strategies"]) {
    CHECK(std::abs(s["makespan_s"]["error"].get<double>()) <= 1.0);
    CHECK(s["outcomes"]["live"]["ok"] == 20);
    CHECK(s["outcomes"]["sim"]["ok"] == 20);
  }
  const std::string svg = read_file(out / "timeline.svg");
  CHECK(svg.find("stroke-dasharray") != std::string::npos);  // the simulated lines
  // Nothing agrees to the nanosecond: a zero tolerance fails, and says which strategy.
  const Result strict = loiter(args + " --tolerance 0");
  CHECK(strict.code == 1);
  CHECK(strict.out.find("off by") != std::string::npos);
  CHECK(loiter(args + " --tolerance -1").code == 2);
}

TEST_CASE("SIGINT stops a live run and still writes the partial report", "[cli][live]") {
  // Five requests of 3 s each, one at a time: the signal comes during the first.
  const auto scenario = small_scenario("live-sigint", 5, "3s");
  const auto out = fresh_dir("live-sigint-out");
  const auto err = out.parent_path() / "live-sigint.err";
  std::filesystem::create_directories(out.parent_path());
  const std::string cmd = std::string(LOITER_BINARY) + " live " + scenario.string() +
                          " --serve --format json --out " + out.string() + " >" +
                          (out.parent_path() / "live-sigint.out").string() + " 2>" + err.string();
  const char* argv[] = {"sh", "-c", cmd.c_str(), nullptr};
  // exec replaces sh, so the signal reaches loiter itself.
  const std::string exec_cmd = "exec " + cmd;
  argv[2] = exec_cmd.c_str();
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ) == 0);
  // Wait until it is fetching (bounded), then interrupt.
  for (int i = 0; i < 100 && read_file(err).find("fetching") == std::string::npos; ++i)
    std::this_thread::sleep_for(50ms);
  std::this_thread::sleep_for(300ms);
  const auto sent = std::chrono::steady_clock::now();
  REQUIRE(kill(pid, SIGINT) == 0);
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 200 && done == 0; ++i) {  // at most 10 s
    done = waitpid(pid, &status, WNOHANG);
    if (done == 0) std::this_thread::sleep_for(50ms);
  }
  if (done == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL("loiter live did not stop after SIGINT");
  }
  // It waited for the transfer in flight about a second, not for the 3 s answer.
  CHECK(std::chrono::steady_clock::now() - sent < 2800ms);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  const auto j = nlohmann::json::parse(read_file(out / "report.json"));
  CHECK(j["mode"] == "live");
  CHECK(j["interrupted"] == true);
  REQUIRE(j["strategies"].size() == 1);  // the second strategy never started
  // The one in flight was cut off; the four after it never started (and are no errors).
  CHECK(j["strategies"][0]["outcomes"]["error"] == 1);
  CHECK(j["strategies"][0]["outcomes"]["not_started"] == 4);
  CHECK(j["strategies"][0]["downloads"].size() == 5);
}

TEST_CASE("run --realtime paces the simulation and prints the same run", "[cli][live]") {
  const std::string path = source("scenarios/loiter.toml");
  const Result fast = loiter("run " + path + " --strategy as-completed --log");
  const Result paced =
      loiter("run " + path + " --strategy as-completed --log --realtime 0.02");  // 0.1 s in all
  REQUIRE(fast.code == 0);
  REQUIRE(paced.code == 0);
  CHECK(paced.out == fast.out);
  CHECK(loiter("run " + path + " --realtime 0").code == 2);
  CHECK(loiter("run " + path + " --realtime -1").code == 2);
}
