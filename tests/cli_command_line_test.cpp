// End-to-end: the command line itself: --version, misspelt commands, --seed and --realtime
// values, warnings and --strict, --set written as in files, and one style of error prefix.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_support.hpp"

using namespace cli_test;

namespace {

// A scenario file in a fresh folder, with a stall and no timeout (a warning).
std::string stalling_scenario() {
  const auto dir = fresh_dir("command-line");
  std::filesystem::create_directories(dir);
  const auto path = dir / "stall.toml";
  std::ofstream(path) << "[workload]\n"
                         "items = [{ name = \"a\", size = 1000 }, { name = \"b\", size = 1000 }]\n"
                         "[network]\n"
                         "rtt = \"50ms\"\n"
                         "[server]\n"
                         "service = \"100ms\"\n"
                         "stall_rate = 0.01\n"
                         "[client]\n"
                         "timeout = \"5s\"\n"
                         "[[strategy]]\n"
                         "name = \"seq\"\n"
                         "kind = \"sequential\"\n";
  return path.string();
}

}  // namespace

TEST_CASE("loiter --version prints the version", "[cli][command-line]") {
  const Result r = loiter("--version");
  CHECK(r.code == 0);
  CHECK(r.out == std::string("loiter ") + LOITER_VERSION + "\n");
}

TEST_CASE("a misspelt command gets a did-you-mean", "[cli][command-line]") {
  const Result r = loiter("rnu " + source("scenarios/flags20.toml"));
  CHECK(r.code == 2);
  CHECK(r.err.find("loiter: unknown command 'rnu'; did you mean 'run'?") != std::string::npos);
  CHECK(r.err.find("expected one of: run, check") != std::string::npos);
  CHECK(loiter("swep x.toml").err.find("did you mean 'sweep'?") != std::string::npos);
  CHECK(loiter("frobnicate").err.find("did you mean") == std::string::npos);
}

TEST_CASE("a --seed of -1 is refused as in scenario files", "[cli][command-line]") {
  for (const char* cmd : {"run", "sweep", "live", "validate"}) {
    INFO(cmd);
    const Result r = loiter(std::string(cmd) + " " + source("scenarios/flags20.toml") +
                            " --seed -1 --out " + fresh_dir("seed").string());
    CHECK(r.code == 2);
    CHECK(r.err.find("loiter " + std::string(cmd) +
                     ": --seed: '-1' is not a seed; expected a "
                     "whole number from 0 to 9223372036854775807") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(fresh_dir("seed")));
  }
  CHECK(
      loiter("run " + source("scenarios/flags20.toml") + " --seed 0 --strategy threads-20").code ==
      0);
}

TEST_CASE("a --realtime of 0 gets a plain message", "[cli][command-line]") {
  const Result r = loiter("run " + source("scenarios/loiter.toml") + " --realtime 0");
  CHECK(r.code == 2);
  CHECK(r.err.find(
            "loiter run: --realtime: '0' is not a pace; expected a factor from 0.001 to 1000") !=
        std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("run --set takes client.timeout = none and booleans", "[cli][command-line]") {
  const std::string flags = source("scenarios/flags20.toml");
  const Result none =
      loiter("run " + flags + " --strategy threads-20 --set client.timeout=none --format json");
  REQUIRE(none.code == 0);
  const Result kept =
      loiter("run " + flags + " --strategy sequential --set network.keep_alive=true --format json");
  const Result fresh = loiter("run " + flags + " --strategy sequential --format json");
  REQUIRE(kept.code == 0);
  REQUIRE(fresh.code == 0);
  CHECK(kept.out != fresh.out);  // one connection reused: no handshake per flag
  const Result bad = loiter("run " + flags + " --set network.keep_alive=maybe");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("loiter run: --set network.keep_alive=maybe: network.keep_alive: \"maybe\" "
                     "is not a boolean") != std::string::npos);
}

TEST_CASE("warnings go to stderr and the run goes on; --strict makes them exit 2",
          "[cli][command-line][warnings]") {
  const std::string path = stalling_scenario();
  const Result fine = loiter("check " + path);
  CHECK(fine.code == 0);
  CHECK(fine.err.empty());

  const Result warned = loiter("run " + path + " --set client.timeout=none");
  CHECK(warned.code == 0);
  CHECK(warned.err.find(path + ":7:14: warning: server.stall_rate = 0.01 with no client.timeout") !=
        std::string::npos);
  CHECK(warned.out.find("seq") != std::string::npos);

  for (const char* cmd : {"run", "sweep", "live", "validate"}) {
    INFO(cmd);
    const auto out = fresh_dir("strict");
    const Result r =
        loiter(std::string(cmd) + " " + source("tests/warning-scenarios/workers.toml") +
               " --strict --out " + out.string() +
               (std::string(cmd) == "sweep" ? " --vary strategy.threads-8.workers=1,2" : ""));
    CHECK(r.code == 2);
    CHECK(r.err.find("workers.toml:") != std::string::npos);
    CHECK(r.err.find(": warning: strategy 'threads-8' has 8 workers for 3 downloads") !=
          std::string::npos);
    CHECK(r.err.find("loiter " + std::string(cmd) + ": --strict: 1 warning") != std::string::npos);
    CHECK(r.out.empty());
    CHECK_FALSE(std::filesystem::exists(out));
  }
  const Result check = loiter("check " + source("tests/warning-scenarios/workers.toml"));
  CHECK(check.code == 0);
  CHECK(check.err.find("workers.toml:16:11: warning: strategy 'threads-8'") != std::string::npos);
  CHECK(loiter("check --strict " + source("tests/warning-scenarios/workers.toml")).code == 2);
}

TEST_CASE("every error of a command starts with 'loiter COMMAND: '", "[cli][command-line]") {
  const std::string flags = source("scenarios/flags20.toml");
  const Result strategy = loiter("run " + flags + " --strategy nope");
  CHECK(strategy.err.rfind("loiter run: ", 0) == 0);
  const Result option = loiter("run " + flags + " --no-such-option");
  CHECK(option.err.rfind("loiter run: ", 0) == 0);
  const Result tolerance = loiter("validate " + flags + " --tolerance -1");
  CHECK(tolerance.err.rfind("loiter validate: --tolerance", 0) == 0);
  const Result body = loiter("live " + flags + " --max-body lots");
  CHECK(body.err.rfind("loiter live: --max-body", 0) == 0);
  // A mistake inside a file starts with its place, as compilers write it.
  const Result file = loiter("check " + source("tests/warning-scenarios/workers.toml") + "x");
  CHECK(file.code == 2);
  CHECK(file.err.rfind(source("tests/warning-scenarios/workers.toml") + "x: ", 0) == 0);
}
