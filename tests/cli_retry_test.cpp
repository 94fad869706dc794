// Jittered retries end to end: the same seed gives the same sweep at any --jobs, and the jitter
// changes the waits and nothing else.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "cli_support.hpp"

using namespace cli_test;

namespace {

std::string scenario(const std::string& dir, const std::string& jitter) {
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/jitter-" + jitter + ".toml";
  std::ofstream(path) << "name = \"jitter\"\nseed = 7\n"
                         "[workload]\ncount = 60\nsize = \"2 KiB\"\n"
                         "[server]\nservice = \"20ms\"\n"
                         "errors = [{ status = 503, rate = 0.3 }]\n"
                         "[client]\nretries = 4\nbackoff = \"50ms\"\njitter = \""
                      << jitter
                      << "\"\n"
                         "[[strategy]]\nname = \"threads\"\nkind = \"pool\"\nworkers = 4\n";
  return path;
}

}  // namespace

TEST_CASE("jittered retries: same seed, same sweep at any --jobs", "[cli][retry]") {
  const auto dir = fresh_dir("jitter-jobs");
  const std::string base = "sweep " + scenario(dir.string(), "full") +
                           " --vary strategy.threads.workers=1..16x2 -r 4 --seed 3";
  const Result one = loiter(base + " --jobs 1");
  const Result three = loiter(base + " --jobs 3");
  REQUIRE(one.code == 0);
  REQUIRE(three.code == 0);
  CHECK(one.out == three.out);
}

TEST_CASE("jitter changes the retry waits and nothing the server draws", "[cli][retry]") {
  const auto dir = fresh_dir("jitter-kinds");
  const Result none = loiter("run " + scenario(dir.string(), "none") + " --format json");
  const Result full = loiter("run " + scenario(dir.string(), "full") + " --format json");
  const Result again = loiter("run " + scenario(dir.string(), "full") + " --format json");
  REQUIRE(none.code == 0);
  REQUIRE(full.code == 0);
  CHECK(full.out == again.out);
  CHECK(full.out != none.out);
  // The same attempts fail with the same statuses: only the waits moved.
  auto retries = [](const std::string& json) {
    const auto at = json.find("\"retries\"");
    return json.substr(at, json.find('}', json.find('}', at) + 1) - at);
  };
  CHECK(retries(full.out) == retries(none.out));
}
