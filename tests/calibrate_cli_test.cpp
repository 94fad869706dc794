// loiter calibrate end to end: the round trip through a simulated run, the scenario it writes
// loads, and bad input writes nothing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <regex>
#include <sstream>

#include "calibrate/calibration.hpp"
#include "calibrate/read_input.hpp"
#include "cli_support.hpp"

using namespace cli_test;

namespace {

// The lognormal's parameters as written: rtt = { dist = "lognormal", median = "X", sigma = Y }.
struct Written {
  double median = 0, sigma = 0;
};
Written written(const std::string& toml, const std::string& key) {
  const std::regex re(
      key + R"re( = \{ dist = "lognormal", median = "([0-9.]+)(ms|us|s)", sigma = ([0-9.]+) \})re");
  std::smatch m;
  REQUIRE(std::regex_search(toml, m, re));
  const double scale = m[2] == "ms" ? 1e-3 : m[2] == "us" ? 1e-6 : 1;
  return {std::stod(m[1]) * scale, std::stod(m[3])};
}

}  // namespace

TEST_CASE(
    "calibrate round trip: a simulated run's RTT and service laws come back within their "
    "sampling error",
    "[calibrate][cli]") {
  const auto dir = fresh_dir("calibrate-roundtrip");
  REQUIRE(loiter("run " + source("tests/data/calibrate/roundtrip.toml") + " --out " + dir.string())
              .code == 0);
  const auto out = dir / "calibrated.toml";
  const Result r =
      loiter("calibrate " + (dir / "downloads.csv").string() + " --out " + out.string());
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("wrote ") != std::string::npos);
  const std::string toml = read_file(out);
  INFO(toml);
  // The written file is a scenario loiter loads.
  const Result check = loiter("check " + out.string());
  INFO(check.err);
  CHECK(check.code == 0);

  // roundtrip.toml: 1000 downloads, rtt lognormal(30 ms, 0.3), service lognormal(120 ms, 0.4).
  // The MLE of log(median) has standard error sigma/sqrt(n), that of sigma sigma/sqrt(2n);
  // four standard errors, plus the 6 significant digits the file is written with.
  const double n = 1000;
  const auto near = [&](Written w, double median, double sigma) {
    CHECK(std::abs(std::log(w.median / median)) < 4 * sigma / std::sqrt(n) + 1e-5);
    CHECK(std::abs(w.sigma - sigma) < 4 * sigma / std::sqrt(2 * n) + 1e-5);
  };
  near(written(toml, "rtt"), 0.030, 0.3);
  near(written(toml, "service"), 0.120, 0.4);
  // Two strategies in the CSV (comments wrap at 100 columns: joined again here).
  const std::string joined = std::regex_replace(toml, std::regex("\n#   "), " ");
  CHECK(joined.find("calibrated from 'sequential' only") != std::string::npos);
  CHECK(toml.find("keep_alive = false  # 1000 of 1000") != std::string::npos);
  CHECK(toml.find("{ name = \"item-1\", size = ") != std::string::npos);
}

TEST_CASE("calibrate round trip: the library's fit equals the draws' maximum likelihood",
          "[calibrate]") {
  const auto dir = fresh_dir("calibrate-roundtrip-lib");
  REQUIRE(loiter("run " + source("tests/data/calibrate/roundtrip.toml") + " --out " + dir.string())
              .code == 0);
  const calibrate::Calibration c =
      calibrate::calibrate({calibrate::read_input((dir / "downloads.csv").string())}, {"", "x"});
  CHECK(c.requests == 1000);
  CHECK(c.rtt.fit.n() == 1000);
  CHECK(c.server.fit.n() == 1000);
  CHECK(c.server_clamped == 0);
  CHECK(c.rtt.fit.choice == calibrate::Fit::Choice::lognormal);
  CHECK(c.server.fit.choice == calibrate::Fit::Choice::lognormal);
  CHECK(c.items.size() == 1000);

  // A simulated run's service phase is the server's drawn time itself: request + service -
  // RTT/2 gives it back to the nanosecond (request is RTT/2 rounded down to a nanosecond).
  std::vector<double> service;
  std::istringstream csv(read_file(dir / "downloads.csv"));
  std::string line;
  while (std::getline(csv, line)) {
    if (!line.starts_with("sequential,") || line.find(",service,") == std::string::npos) continue;
    const std::size_t end = line.rfind(','), start = line.rfind(',', end - 1);
    const std::size_t begin = line.rfind(',', start - 1);
    service.push_back(std::stod(line.substr(start + 1, end - start - 1)) -
                      std::stod(line.substr(begin + 1, start - begin - 1)));
  }
  std::sort(service.begin(), service.end());
  REQUIRE(service.size() == c.server.fit.n());
  for (std::size_t i = 0; i < service.size(); ++i)
    CHECK(std::abs(service[i] - c.server.fit.sorted[i]) <= 1.5e-9);
}

TEST_CASE("calibrate: real curl and HAR recordings give a scenario that loads",
          "[calibrate][cli]") {
  for (const char* input : {"curl-json.txt", "curl-kv.txt", "spec.har", "chromium.har"}) {
    INFO(input);
    const auto out = fresh_dir("calibrate-real") / (std::string(input) + ".toml");
    std::filesystem::create_directories(out.parent_path());
    const Result r =
        loiter("calibrate " + source("tests/data/calibrate/") + input + " --out " + out.string());
    INFO(r.err);
    REQUIRE(r.code == 0);
    const Result check = loiter("check " + out.string());
    INFO(check.err);
    CHECK(check.code == 0);
  }
}

TEST_CASE("calibrate bad input: exit 2 with file:line, and nothing written", "[calibrate][cli]") {
  const auto dir = fresh_dir("calibrate-bad");
  std::filesystem::create_directories(dir);
  const auto bad = dir / "bad.har";
  std::ofstream(bad) << "{\n  \"log\": \n";
  const auto out = dir / "out.toml";
  std::ofstream(out) << "# kept\n";
  const Result r = loiter("calibrate " + bad.string() + " --out " + out.string());
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("loiter calibrate: " + bad.string() + ":3:1: "));
  CHECK(read_file(out) == "# kept\n");
  CHECK(loiter("calibrate " + (dir / "none.csv").string() + " --out " + out.string()).code == 2);
  CHECK(read_file(out) == "# kept\n");
  for (const auto& e : std::filesystem::directory_iterator(dir))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("calibrate --help names every input format", "[calibrate][cli]") {
  const Result r = loiter("calibrate --help");
  CHECK(r.code == 0);
  for (const char* s : {"downloads.csv", "HAR 1.2", "%{json}", "time_starttransfer=%{",
                        "by their content", "--trace` files are not read"})
    CHECK(r.out.find(s) != std::string::npos);
}
