// `loiter validate --client COMMAND --as STRATEGY`: real clients (curl, a Python thread pool)
// run against the built-in server on loopback, their concurrency read from the server's trace;
// the client's failures, its timeout and bad command lines.
#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "cli_support.hpp"

extern char** environ;

using namespace cli_test;

namespace {

// `count` items of 100 bytes, 100 ms of service on 16 workers, kept-alive connections, and
// strategies of 1, 3 and 4 lanes.
std::filesystem::path client_scenario(const std::string& name, int count) {
  const auto dir = fresh_dir(name);
  std::filesystem::create_directories(dir);
  const std::string items = numbered_items(count);
  std::ofstream(dir / "s.toml") << "name = \"" << name << "\"\n[workload]\nitems = [\n"
                                << items
                                << "]\n[network]\nrtt = \"100us\"\n[server]\nworkers = 16\n"
                                   "service = \"100ms\"\n[client]\nkeep_alive = true\n"
                                   "timeout = \"10s\"\n"
                                   "[[strategy]]\nname = \"seq\"\nkind = \"sequential\"\n"
                                   "[[strategy]]\nname = \"pool-3\"\nkind = \"pool\"\nworkers = 3\n"
                                   "consume = \"as_completed\"\n"
                                   "[[strategy]]\nname = \"async-4\"\nkind = \"async\"\n"
                                   "max_concurrency = 4\n";
  return dir / "s.toml";
}

// One shell word.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Every process whose id is listed in `file` (one a line) has ended.
bool gone(const std::filesystem::path& file) {
  std::ifstream in(file);
  int count = 0;
  for (pid_t pid = 0; in >> pid; ++count) {
    for (int i = 0; i < 40 && ::kill(pid, 0) == 0; ++i)  // a moment for init to reap it
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (::kill(pid, 0) == 0) return false;
  }
  return count > 0;
}

bool have(const char* program) {
  return std::system((std::string("command -v ") + program + " >/dev/null 2>&1").c_str()) == 0;
}

// curl fetching every listed URL, 4 at a time, each body to /dev/null. --parallel-immediate:
// without it curl sends the first request alone (to learn whether the connection multiplexes)
// and only then opens the others.
const std::string kCurl4 =
    "curl -s --no-progress-meter --parallel --parallel-immediate --parallel-max 4 "
    "$(sed 's|^|-o /dev/null |' {urls})";

std::string python_pool(int threads) {
  return "python3 " + source("tests/clients/urllib_pool.py") + " --urls {urls} " +
         std::to_string(threads);
}

}  // namespace

TEST_CASE("curl --parallel-max 4 shows 4 in flight, as an async strategy of 4", "[cli][client]") {
  if (!have("curl")) {
    WARN("curl not found: not checked");
    return;
  }
  const auto scenario = client_scenario("client-curl", 16);
  const auto out = fresh_dir("client-curl-out");
  const auto start = std::chrono::steady_clock::now();
  // Four rounds of 100 ms: 0.4 s simulated. The makespan is only checked loosely (50%) so a
  // loaded machine cannot fail it; the concurrency is checked exactly.
  const Result r = loiter("validate " + scenario.string() + " --client " + quoted(kCurl4) +
                          " --as async-4 --tolerance 0.5 --out " + out.string());
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
  CHECK_THAT(r.out, Catch::Contains("the client had 4 requests in flight at most, as 'async-4'"));
  const auto j = nlohmann::json::parse(read_file(out / "validate.json"));
  CHECK(j["strategy"] == "async-4");
  CHECK(j["max_in_flight"]["observed"] == 4);
  CHECK(j["max_in_flight"]["sim"] == 4);
  CHECK(j["requests"]["observed"] == 16);
  CHECK(j["observed_statuses"]["200"] == 16);
  CHECK(j["outcomes"]["sim"]["ok"] == 16);
  // curl keeps its 4 connections alive and sends 12 more requests on them.
  CHECK(j["connections"]["observed"] == 4);
  CHECK(j["reused"]["observed"] == 12);
  CHECK(j["gap_p50_s"].is_number());
  CHECK(j["client"]["exit_code"] == 0);
  CHECK(std::abs(j["makespan_s"]["error"].get<double>()) <= 0.5);
  CHECK(j["makespan_s"]["observed"].get<double>() >= 0.4);  // four rounds of 100 ms at least
  CHECK(j["pass"] == true);
  // The server's own trace comes along: a header and one row per request.
  const std::string trace = read_file(out / "trace.csv");
  CHECK(std::count(trace.begin(), trace.end(), '\n') == 17);
  CHECK(std::filesystem::exists(out / "client.log"));
  // Its gap between requests on a connection is named, with the key that would model it.
  CHECK_THAT(r.out, Catch::Contains("overhead: ") &&
                        Catch::Contains("from an answer's last byte to the next request"));
  // The Gantt: the client as the server saw it (a lane per connection), then the simulation.
  const std::string gantt = read_file(out / "gantt.svg");
  const std::size_t mine = gantt.find("data-strategy=\"your client\"");
  const std::size_t sim = gantt.find("data-strategy=\"async-4\"");
  REQUIRE(mine != std::string::npos);
  REQUIRE(sim != std::string::npos);
  CHECK(mine < sim);
  CHECK(gantt.find("4 connections") != std::string::npos);
}

TEST_CASE("a Python pool of 3 threads shows 3 in flight, as a pool of 3", "[cli][client]") {
  if (!have("python3")) {
    WARN("python3 not found: not checked");
    return;
  }
  const auto scenario = client_scenario("client-python", 12);
  const auto out = fresh_dir("client-python-out");
  const Result r = loiter("validate " + scenario.string() + " --client " + quoted(python_pool(3)) +
                          " --as pool-3 --tolerance 0.5 --out " + out.string());
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("the client had 3 requests in flight at most, as 'pool-3'"));
  const auto j = nlohmann::json::parse(read_file(out / "validate.json"));
  CHECK(j["max_in_flight"]["observed"] == 3);
  CHECK(j["max_in_flight"]["sim"] == 3);
  // urllib opens a new connection for every request.
  CHECK(j["connections"]["observed"] == 12);
  CHECK(j["reused"]["observed"] == 0);
  CHECK(j["gap_p50_s"].is_null());
  CHECK(j["observed_statuses"]["200"] == 12);
  // Its output went to client.log, not to loiter's stderr.
  CHECK_THAT(read_file(out / "client.log"), Catch::Contains("\"threads\": 3"));
  CHECK_THAT(r.err, !Catch::Contains("\"threads\": 3"));
}

TEST_CASE("a client that is not the strategy is told apart by its concurrency", "[cli][client]") {
  if (!have("python3")) {
    WARN("python3 not found: not checked");
    return;
  }
  // 6 threads over 12 requests of 100 ms: two rounds, where a pool of 3 takes four.
  const auto scenario = client_scenario("client-mismatch", 12);
  const Result r = loiter("validate " + scenario.string() + " --client " + quoted(python_pool(6)) +
                          " --as pool-3");
  INFO(r.out << r.err);
  CHECK(r.code == 1);
  // 6 in flight when its threads start together; on a loaded machine one may start a request
  // late, so at least 4: more than the 3 of pool-3 either way.
  CHECK_THAT(r.out, Catch::Matches(
                        "[\\s\\S]*the client had [4-6] requests in flight at most; 'pool-3' has "
                        "3[\\s\\S]*"));
  CHECK_THAT(r.out, Catch::Contains("pool-3: simulated makespan off by +"));
  // Without --out the client's output goes to stderr.
  CHECK_THAT(r.err, Catch::Contains("\"threads\": 6"));
}

TEST_CASE("a client that fails or hangs is reported, with what the server saw", "[cli][client]") {
  const auto scenario = client_scenario("client-fails", 4);
  // Fetches one URL of the list, then fails.
  const Result failed = loiter(
      "validate " + scenario.string() + " --client " +
      quoted("curl -s -o /dev/null \"$(head -n 1 \"$LOITER_URLS\")\"; exit 3") + " --as seq");
  CHECK(failed.code == 1);
  CHECK_THAT(failed.err, Catch::Contains("loiter validate: your client exited with status 3"));
  CHECK_THAT(failed.out, Catch::Contains("statuses seen: 200 x1"));

  // A client that never ends is ended, its whole process group, at --client-timeout.
  const auto pids = scenario.parent_path() / "pids";
  const auto start = std::chrono::steady_clock::now();
  const Result hung = loiter("validate " + scenario.string() + " --client " +
                             quoted("sleep 60 & echo $! >" + pids.string() + "; echo $$ >>" +
                                    pids.string() + "; sleep 60; wait") +
                             " --as seq --client-timeout 1s");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
  CHECK(gone(pids));
  CHECK(hung.code == 1);
  CHECK_THAT(hung.err, Catch::Contains("your client timed out and was ended"));
  CHECK_THAT(hung.err, Catch::Contains("the server answered no request"));
  CHECK_THAT(hung.out, Catch::Contains("statuses seen: none"));

  // $LOITER_URL is the template with {name}.
  const Result templ =
      loiter("validate " + scenario.string() + " --client " +
             quoted("case \"$LOITER_URL\" in http://127.0.0.1:*/{name}) exit 0;; esac; exit 4") +
             " --as seq");
  CHECK_THAT(templ.out, Catch::Contains("exited with status 0"));
}

TEST_CASE("Ctrl-C ends the client's process group and exits 130", "[cli][client]") {
  const auto scenario = client_scenario("client-sigint", 4);
  const auto dir = scenario.parent_path();
  const auto pids = dir / "pids", err = dir / "err";
  const std::string cmd = "exec " + std::string(LOITER_BINARY) + " validate " + scenario.string() +
                          " --as seq " + "--client " +
                          quoted("sleep 60 & echo $! >" + pids.string() + "; echo $$ >>" +
                                 pids.string() + "; sleep 60; wait") +
                          " >" + (dir / "out").string() + " 2>" + err.string();
  const char* argv[] = {"sh", "-c", cmd.c_str(), nullptr};
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ) == 0);
  // Until both ids are written (bounded), then interrupt.
  const auto lines = [&] {
    const std::string text = read_file(pids);
    return std::count(text.begin(), text.end(), '\n');
  };
  for (int i = 0; i < 200 && lines() < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ::kill(pid, SIGINT);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK_THAT(read_file(err), Catch::Contains("your client was ended: loiter was interrupted"));
  CHECK(gone(pids));
}

TEST_CASE("validate --client refuses what does not go together", "[cli][client]") {
  const auto scenario = client_scenario("client-bad", 4).string();
  const auto bad = [&](const std::string& args, const std::string& says) {
    const Result r = loiter("validate " + scenario + " " + args);
    INFO(args << "\n" << r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("loiter validate: ") && Catch::Contains(says));
    CHECK(r.out.empty());
  };
  bad("--client true", "--client needs --as STRATEGY");
  bad("--as seq", "--as needs --client COMMAND");
  bad("--client true --as seq --base-url http://127.0.0.1:1", "--base-url cannot be used");
  bad("--client true --as seq --strategy seq", "--strategy cannot be used with --client");
  bad("--client true --as nope", "no strategy named 'nope'");
  bad("--client true --as nope", "it has: seq, pool-3, async-4");
  bad("--client-timeout 1s", "--client-timeout needs --client");
  bad("--client true --as seq --client-timeout soon", "--client-timeout: ");
  bad("--client true --as seq --client-timeout 0s", "--client-timeout: expected a duration above");
}
