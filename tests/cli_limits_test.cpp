// End-to-end limits of the command line: numbers out of range, output that cannot be
// written, runs too large for memory, runs past the simulation's horizon.
#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_support.hpp"

extern char** environ;

using namespace cli_test;
using Catch::Matchers::Contains;

namespace {

std::filesystem::path write_scenario(const std::string& name, const std::string& text) {
  const auto dir = fresh_dir(name);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "s.toml") << text;
  return dir / "s.toml";
}

bool has_temporary(const std::filesystem::path& dir) {
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().filename().string().find(".tmp-") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("numeric options out of range are refused with exit 2", "[cli][limits]") {
  const std::string loiter_toml = source("scenarios/loiter.toml");
  for (const std::string& args : std::vector<std::string>{
           "run " + loiter_toml + " --realtime 1e-15", "run " + loiter_toml + " --realtime nan",
           "run " + loiter_toml + " --realtime inf", "serve --seconds 1e20", "serve --seconds nan",
           "serve --workers -3", "serve --delay 1e300s", "live " + loiter_toml + " --max-body 1e19",
           "live " + loiter_toml + " --max-body 0", "validate " + loiter_toml + " --tolerance nan",
           "sweep " + loiter_toml + " --vary strategy.as-completed.workers=1,2 --within nan"}) {
    INFO(args);
    const Result r = loiter(args);
    CHECK(r.code == 2);
    CHECK(r.err.size() > 0);
  }
  const Result r = loiter("run " + loiter_toml + " --realtime nan");
  CHECK_THAT(r.err, Contains("--realtime") && Contains("0.001 to 1000"));
}

TEST_CASE("a report that cannot be written to stdout exits 1 with the reason", "[cli][limits]") {
  const auto err = fresh_dir("full") / "err.txt";
  std::filesystem::create_directories(err.parent_path());
  const std::string cmd = std::string(LOITER_BINARY) + " run " + source("scenarios/loiter.toml") +
                          " >/dev/full 2>" + err.string();
  const int status = std::system(cmd.c_str());
  CHECK(WEXITSTATUS(status) == 1);
  CHECK_THAT(read_file(err), Contains("cannot write to stdout") && Contains("No space left"));
}

TEST_CASE("run --out replaces a folder whole: one run or the previous one, never a mix",
          "[cli][limits]") {
  const auto out = fresh_dir("out-swap") / "o";
  const std::string flags = source("scenarios/flags20.toml");
  REQUIRE(loiter("run " + flags + " --out " + out.string() + " --downloads yes").code == 0);
  REQUIRE(std::filesystem::exists(out / "trace.json"));
  std::ofstream(out / "notes.txt") << "mine";
  const std::string first_report = read_file(out / "report.json");

  // A second run without per-download files: the first run's trace.json must not stay.
  REQUIRE(loiter("run " + flags + " --out " + out.string() + " --downloads no").code == 0);
  CHECK_FALSE(std::filesystem::exists(out / "trace.json"));
  CHECK_FALSE(std::filesystem::exists(out / "downloads.csv"));
  CHECK(std::filesystem::exists(out / "gantt.svg"));
  CHECK(read_file(out / "notes.txt") == "mine");  // the user's own file is kept
  CHECK_FALSE(has_temporary(out.parent_path()));
  const std::string second_report = read_file(out / "report.json");

  // A run that cannot finish writing (files limited to 20 KiB: gantt.svg is larger) fails
  // and leaves the previous run's folder exactly as it was, with no temporary left.
  const std::string cmd = "bash -c \"trap '' XFSZ; ulimit -f 40; exec " +
                          std::string(LOITER_BINARY) + " run " + flags + " --out " + out.string() +
                          " --downloads yes --seed 7\" >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(read_file(out / "report.json") == second_report);
  CHECK(read_file(out / "report.json") != first_report);
  CHECK_FALSE(std::filesystem::exists(out / "trace.json"));
  CHECK(read_file(out / "notes.txt") == "mine");
  CHECK_FALSE(has_temporary(out.parent_path()));
}

TEST_CASE("SIGINT while --out is written leaves neither a temporary nor a half folder",
          "[cli][limits]") {
  // 30000 downloads with per-download files: tens of MB to write and fsync, so the writing
  // is seen under way. Nothing here is timed: the run is stopped (SIGSTOP) once its temporary
  // folder is seen, and a temporary folder still there while it is stopped proves that it is
  // between creating that folder and renaming it into place, the moment SIGINT must not cut.
  const auto path =
      write_scenario("sigint-out",
                     "name = \"big\"\nseed = 1\n[workload]\ncount = 30000\nsize = \"2 KiB\"\n"
                     "[network]\nrtt = \"30ms\"\nbandwidth = \"1 Gbit/s\"\n"
                     "[[strategy]]\nname = \"a\"\nkind = \"async\"\nmax_concurrency = 1000\n");
  const auto parent = path.parent_path();
  const auto out = parent / "o";
  const std::string cmd = "exec " + std::string(LOITER_BINARY) + " run " + path.string() +
                          " --downloads yes --out " + out.string() + " >/dev/null 2>" +
                          (parent / "err.txt").string();
  const char* argv[] = {"sh", "-c", cmd.c_str(), nullptr};
  bool caught = false;
  int status = 0;
  // A run whose writing passed between two looks is run again; three misses in a row would
  // mean writing this much takes no time at all.
  for (int attempt = 0; attempt < 3 && !caught; ++attempt) {
    std::filesystem::remove_all(out);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ) == 0);
    bool exited = false;
    while (!has_temporary(parent)) {
      if (waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (exited) continue;
    REQUIRE(kill(pid, SIGSTOP) == 0);
    REQUIRE(waitpid(pid, &status, WUNTRACED) == pid);
    if (WIFSTOPPED(status)) {
      caught = has_temporary(parent);
      if (caught) REQUIRE(kill(pid, SIGINT) == 0);
      REQUIRE(kill(pid, SIGCONT) == 0);
      REQUIRE(waitpid(pid, &status, 0) == pid);
    }
  }
  REQUIRE(caught);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGINT);
  CHECK_FALSE(has_temporary(parent));
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("check and run refuse a run that needs more memory than the machine has",
          "[cli][limits]") {
  std::string text = "name = \"huge\"\n[workload]\ncount = 100000000\nsize = \"1 KiB\"\n";
  for (int i = 0; i < 20; ++i)
    text += "[[strategy]]\nname = \"s" + std::to_string(i) + "\"\nkind = \"sequential\"\n";
  const auto path = write_scenario("huge", text);
  // A run that keeps every download (--out) would hold them all; check assumes it does.
  const std::string kept = " --out " + (fresh_dir("huge-out") / "o").string();
  for (const std::string& cmd : {"check " + path.string(), "run " + path.string() + kept}) {
    const Result r = loiter(cmd);
    INFO(cmd);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("needs about") && Contains("GiB"));
  }
  CHECK(loiter("check " + source("scenarios/million.toml")).code == 0);
  // --max-memory sets the budget: 10^6 downloads are refused under 100 MiB, before anything
  // runs or is written, and a budget that is no size is bad input.
  const auto out = fresh_dir("max-memory") / "o";
  const Result small = loiter("run " + source("scenarios/million.toml") +
                              " --max-memory 100MiB --out " + out.string());
  CHECK(small.code == 2);
  CHECK_THAT(small.err, Contains("needs about") && Contains("budget of 0.1 GiB (--max-memory)"));
  CHECK_FALSE(std::filesystem::exists(out));
  const Result word = loiter("run " + source("scenarios/million.toml") + " --max-memory lots");
  CHECK(word.code == 2);
  CHECK_THAT(word.err, Contains("--max-memory: 'lots' is not a size"));
  CHECK(loiter("run " + source("scenarios/loiter.toml") + " --max-memory 1GiB").code == 0);
  // A run whose report needs no phases of its downloads keeps less, and is estimated so:
  // 10^6 downloads fit in 300 MiB without --out, not with it.
  const Result lean =
      loiter("run " + source("scenarios/million.toml") + " --format csv --max-memory 300MiB");
  CHECK(lean.code == 0);
  CHECK(loiter("run " + source("scenarios/million.toml") +
               " --format csv --max-memory 300MiB --out " + out.string())
            .code == 2);
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("a run that would pass the simulation's horizon exits 1 naming the download",
          "[cli][limits]") {
  const auto path =
      write_scenario("horizon",
                     "name = \"h\"\n[workload]\nitems = [{ name = \"big\", size = \"1 TiB\" }]\n"
                     "[network]\nper_connection = \"1 bit/s\"\n"
                     "[[strategy]]\nname = \"seq\"\nkind = \"sequential\"\n");
  const Result r = loiter("run " + path.string());
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Contains("download 'big'") && Contains("transfer") && Contains("horizon"));
}
