// The client's rate limit end to end: the wait is its own phase in downloads.csv, the scenario
// prints it back, and --set reaches its rate.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_support.hpp"

using namespace cli_test;

namespace {

std::string scenario(const std::filesystem::path& dir, const std::string& limit) {
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "polite.toml").string();
  std::ofstream(path) << "name = \"polite\"\n"
                         "[workload]\ncount = 20\nsize = \"1 KiB\"\n"
                         "[network]\nrtt = \"20ms\"\n"
                         "[client]\nrate_limit = "
                      << limit
                      << "\n[[strategy]]\nname = \"async-20\"\nkind = \"async\"\n"
                         "max_concurrency = 20\n";
  return path;
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string f; std::getline(in, f, ',');)
    out.push_back(f);
  return out;
}

// "1.300000000" for 1.3 s, as the CSV writes seconds.
std::string csv_seconds(std::int64_t ns) {
  std::string frac = std::to_string(ns % 1'000'000'000);
  return std::to_string(ns / 1'000'000'000) + "." + std::string(9 - frac.size(), '0') + frac;
}

// The rate_limit spans of downloads.csv in `out`: download id -> (start_s, end_s) as written.
std::map<int, std::pair<std::string, std::string>> token_waits(const std::filesystem::path& out) {
  std::stringstream csv(read_file(out / "downloads.csv"));
  std::string line;
  std::getline(csv, line);
  const std::vector<std::string> head = fields(line);
  auto column = [&](const std::string& name) {
    const auto at = std::find(head.begin(), head.end(), name);
    REQUIRE(at != head.end());
    return static_cast<std::size_t>(at - head.begin());
  };
  const std::size_t id = column("id"), phase = column("phase"), start = column("start_s"),
                    end = column("end_s");
  std::map<int, std::pair<std::string, std::string>> waits;
  while (std::getline(csv, line)) {
    const auto f = fields(line);
    if (f.size() <= end || f[phase] != "rate_limit") continue;
    waits.emplace(std::stoi(f[id]), std::make_pair(f[start], f[end]));
  }
  return waits;
}

}  // namespace

TEST_CASE("the client's rate limit shows in downloads.csv as the rate_limit phase",
          "[cli][client_rate]") {
  const auto dir = fresh_dir("client-rate");
  const std::string path = scenario(dir, "{ rate = \"10/s\" }");
  REQUIRE(loiter("run " + path + " --out " + (dir / "out").string()).code == 0);
  const auto waits = token_waits(dir / "out");
  CHECK(waits.size() == 19);  // the first download has its token at once
  for (int i = 1; i < 20; ++i) {
    INFO("download " << i);
    REQUIRE(waits.contains(i));
    CHECK(waits.at(i).first == csv_seconds(0));
    CHECK(waits.at(i).second == csv_seconds(std::int64_t{100'000'000} * i));  // 100 ms a token
  }

  // --set reaches the rate: 20/s, a token every 50 ms.
  const auto faster = dir / "faster";
  REQUIRE(
      loiter("run " + path + " --set client.rate_limit.rate=20/s --out " + faster.string()).code ==
      0);
  const auto fast = token_waits(faster);
  REQUIRE(fast.contains(19));
  CHECK(fast.at(19).second == csv_seconds(std::int64_t{50'000'000} * 19));
  const Result zero = loiter("run " + path + " --set client.rate_limit.rate=0/s");
  CHECK(zero.code == 2);
  CHECK(zero.err.find("client.rate_limit.rate") != std::string::npos);
}

TEST_CASE("check prints the client's rate limit back as the loader reads it",
          "[cli][client_rate]") {
  const auto dir = fresh_dir("client-rate-print");
  const std::string path = scenario(dir, "{ rate = \"3000/min\", burst = 4, per_host = true }");
  const Result printed = loiter("check " + path);
  REQUIRE(printed.code == 0);
  const std::string line = "rate_limit = { rate = \"50/s\", burst = 4, per_host = true }";
  CHECK(printed.out.find(line) != std::string::npos);
  std::ofstream(dir / "again.toml") << printed.out;
  const Result again = loiter("check " + (dir / "again.toml").string());
  REQUIRE(again.code == 0);
  // The same scenario, but for the first line (it names the file).
  const auto body = [](const std::string& text) { return text.substr(text.find('\n')); };
  CHECK(body(again.out) == body(printed.out));
}
