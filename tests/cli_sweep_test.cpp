// End-to-end: `loiter sweep` and `loiter merge` as a user runs them.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <queue>
#include <sstream>

#include "cli_support.hpp"

using namespace cli_test;

namespace {

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.push_back(field);
        field.clear();
      } else {
        field += c;
      }
    }
    fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  const auto it = std::find(header.begin(), header.end(), name);
  REQUIRE(it != header.end());
  return static_cast<std::size_t>(it - header.begin());
}

// Greedy list scheduling of the tasks, in order, on `workers` FIFO workers.
double list_schedule(const std::vector<double>& tasks, int workers) {
  std::priority_queue<double, std::vector<double>, std::greater<>> free_at;
  for (int i = 0; i < workers; ++i)
    free_at.push(0);
  double end = 0;
  for (double t : tasks) {
    const double start = free_at.top();
    free_at.pop();
    free_at.push(start + t);
    end = std::max(end, start + t);
  }
  return end;
}

}  // namespace

TEST_CASE("sweep and merge have --help", "[cli][sweep]") {
  for (const char* cmd : {"sweep", "merge"}) {
    const Result r = loiter(std::string(cmd) + " --help");
    INFO(cmd);
    CHECK(r.code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
  CHECK(loiter("sweep " + source("scenarios/loiter.toml")).code == 2);  // --vary is required
}

TEST_CASE("sweeping the loiter demo's workers gives the exact list-scheduling makespans",
          "[cli][sweep]") {
  const auto dir = fresh_dir("sweep-loiter");
  const Result r = loiter("sweep " + source("scenarios/loiter.toml") +
                          " --vary strategy.map-in-order.workers=1..5 -r 3 --out " + dir.string());
  REQUIRE(r.code == 0);
  const auto rows = csv_rows(read_file(dir / "sweep.csv"));
  REQUIRE(rows.size() == 1 + 5 * 3);
  const auto& h = rows[0];
  const std::vector<double> tasks = {0, 1, 2, 3, 4};  // the scenario's sleeps
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const int workers = std::stoi(rows[i][column(h, "strategy.map-in-order.workers")]);
    INFO("workers " << workers);
    CHECK(rows[i][column(h, "strategy")] == "map-in-order");
    CHECK(std::stod(rows[i][column(h, "makespan_s")]) == list_schedule(tasks, workers));
  }
  // The recommendation is the last line: 4 workers are as fast as 5.
  const auto last = r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1);
  CHECK(
      last ==
      "recommended: strategy.map-in-order.workers = 4 (fastest: 0% failed; makespan 4.00 s "
      "\u00b1 0.00, best 4.00 s at 4); bound there and at 5 by nothing shared (each download's own "
      "time)\n");
  const auto j = nlohmann::json::parse(read_file(dir / "sweep.json"));
  CHECK(j["points"].size() == 5);
  CHECK(j["points"][1]["strategies"][0]["makespan_s"]["mean"] == 6.0);
  CHECK(j["recommendation"][0]["labels"]["strategy.map-in-order.workers"] == "4");
  const std::string svg = read_file(dir / "sweep.svg");
  CHECK(svg.find("<svg") != std::string::npos);
  CHECK(svg.find("class=\"lower-bound\"") != std::string::npos);
  CHECK(svg.find("recommended: 4") != std::string::npos);
  // Each row says what bound it: the lanes until 4 workers (sleeps of 0..4 s: 5 workers make
  // the run as long as its longest sleep from 4 on), then each download's own time.
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const int workers = std::stoi(rows[i][column(h, "strategy.map-in-order.workers")]);
    INFO("workers " << workers);
    CHECK(rows[i][column(h, "binds")] == (workers < 4 ? "lanes" : "none"));
  }
  CHECK(j["recommendation"][0]["binds"] == "none");
  CHECK(j["recommendation"][0]["binds_past"] == "none");
  // Not a terminal: no progress bar on stderr.
  CHECK(r.err.find("sweep [") == std::string::npos);
}

TEST_CASE("same seed, same bytes: reruns, thread counts and merged shards", "[cli][sweep]") {
  const std::string base = "sweep " + source("scenarios/flags20.toml") +
                           " --vary strategy.threads-20.workers=1..64x2 --vary "
                           "network.rtt=100ms,200ms -r 6 --seed 42";
  const auto a = fresh_dir("same-a"), b = fresh_dir("same-b"), merged = fresh_dir("same-m");
  const Result ra = loiter(base + " --jobs 1 --out " + a.string());
  const Result rb = loiter(base + " --jobs 2 --out " + b.string());
  REQUIRE(ra.code == 0);
  REQUIRE(rb.code == 0);
  CHECK(ra.out == rb.out);
  std::string dirs;
  for (int k = 0; k < 3; ++k) {
    const auto d = fresh_dir("shard-" + std::to_string(k));
    const Result rs = loiter(base + " --shard " + std::to_string(k) + "/3 --out " + d.string());
    REQUIRE(rs.code == 0);
    CHECK(rs.out.find("recommended") == std::string::npos);  // a shard cannot know
    dirs = d.string() + " " + dirs;                          // merge takes any order
  }
  const Result rm = loiter("merge " + dirs + "--out " + merged.string());
  REQUIRE(rm.code == 0);
  CHECK(rm.out == ra.out);
  for (const char* f : {"sweep.csv", "sweep.json", "sweep.svg"}) {
    INFO(f);
    const std::string expected = read_file(a / f);
    CHECK(!expected.empty());
    CHECK(read_file(b / f) == expected);
    CHECK(read_file(merged / f) == expected);
  }
}

TEST_CASE("each row's command re-runs it alone", "[cli][sweep]") {
  const auto dir = fresh_dir("rerun");
  REQUIRE(loiter("sweep " + source("scenarios/flags20.toml") +
                 " --vary strategy.threads-20.workers=2,8 --vary 'network.bandwidth=2 Mbit/s' -r "
                 "2 --out " +
                 dir.string())
              .code == 0);
  const auto rows = csv_rows(read_file(dir / "sweep.csv"));
  // network.bandwidth changes every strategy: 2 points x 2 replications x 3 strategies.
  REQUIRE(rows.size() == 1 + 12);
  const auto& h = rows[0];
  const auto& row = rows[12];
  CHECK(row[column(h, "strategy")] == "async");
  std::string cmd = row[column(h, "command")];
  REQUIRE(cmd.starts_with("loiter run "));
  CHECK(cmd.find("--set 'network.bandwidth=2 Mbit/s'") != std::string::npos);
  const Result r = loiter(cmd.substr(std::string("loiter ").size()) + " --format json");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["seed"].get<std::uint64_t>() == std::stoull(row[column(h, "seed")]));
  char expected[32];
  std::snprintf(expected, sizeof expected, "%.9f", j["strategies"][0]["makespan_s"].get<double>());
  CHECK(std::stod(expected) == std::stod(row[column(h, "makespan_s")]));
}

TEST_CASE("bad --vary keys and ranges exit 2 naming the key and the valid keys", "[cli][sweep]") {
  const std::string flags = "sweep " + source("scenarios/flags20.toml") + " ";
  const Result unknown = loiter(flags + "--vary strategy.threads.workers=1..8");
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("strategy.threads.workers") != std::string::npos);
  CHECK(unknown.err.find("valid keys: ") != std::string::npos);
  CHECK(unknown.err.find("strategy.threads-20.workers") != std::string::npos);
  CHECK(unknown.err.find("network.rtt") != std::string::npos);
  for (const char* bad :
       {"strategy.threads-20.workers=8..1", "strategy.threads-20.workers=1..8x1",
        "strategy.threads-20.workers=0..4", "strategy.threads-20.workers=two",
        "strategy.threads-20.workers=", "network.rtt=10ms..90ms", "network.rtt=50"}) {
    INFO(bad);
    const Result r = loiter(flags + "--vary '" + std::string(bad) + "'");
    CHECK(r.code == 2);
    const std::string key = std::string(bad).substr(0, std::string(bad).find('='));
    CHECK(r.err.find(key + ":") != std::string::npos);
    CHECK(r.out.empty());
  }
  const Result no_eq = loiter(flags + "--vary server.workers");
  CHECK(no_eq.code == 2);
  CHECK(no_eq.err.find("KEY=VALUE") != std::string::npos);
  const Result twice = loiter(flags + "--vary server.workers=1,2 --vary server.workers=3");
  CHECK(twice.code == 2);
  CHECK(twice.err.find("twice") != std::string::npos);
  for (const char* shard : {"3/3", "1", "a/b", "0/0"}) {
    INFO(shard);
    CHECK(loiter(flags + "--vary server.workers=1,2 --out /tmp/x --shard " + shard).code == 2);
  }
  const Result run = loiter("run " + source("scenarios/flags20.toml") + " --set nope=1");
  CHECK(run.code == 2);
  CHECK(run.err.find("valid keys: ") != std::string::npos);
}

TEST_CASE("merge refuses incomplete or mixed shards", "[cli][sweep]") {
  const std::string base =
      "sweep " + source("scenarios/loiter.toml") + " --vary strategy.*.workers=1..4 -r 2";
  const auto s0 = fresh_dir("m0"), s1 = fresh_dir("m1"), other = fresh_dir("mo");
  REQUIRE(loiter(base + " --shard 0/2 --out " + s0.string()).code == 0);
  REQUIRE(loiter(base + " --shard 1/2 --out " + s1.string()).code == 0);
  REQUIRE(loiter(base + " --seed 9 --shard 1/2 --out " + other.string()).code == 0);
  const auto out = fresh_dir("m-out");
  const Result missing = loiter("merge " + s0.string() + " --out " + out.string());
  CHECK(missing.code == 2);
  CHECK(missing.err.find("1/2 missing") != std::string::npos);
  const Result mixed =
      loiter("merge " + s0.string() + " " + other.string() + " --out " + out.string());
  CHECK(mixed.code == 2);
  CHECK(mixed.err.find("another sweep") != std::string::npos);
  const Result none = loiter("merge /nonexistent-dir --out " + out.string());
  CHECK(none.code == 2);
  CHECK(loiter("merge " + s0.string() + " " + s1.string() + " --out " + out.string()).code == 0);
}

TEST_CASE("the recommendation says what binds there and past it", "[cli][sweep][explain]") {
  // 40 requests of 100 ms on 4 server workers: a pool of 1..3 threads is bound by its threads,
  // 4 threads keep the 4 workers busy (1.0 s), more only wait for the workers.
  const auto dir = fresh_dir("sweep-binds");
  std::filesystem::create_directories(dir);
  const auto toml = dir / "binds.toml";
  {
    std::ofstream(toml) << "name = \"binds\"\n[workload]\ncount = 40\nsize = \"10 KB\"\n"
                           "[server]\nworkers = 4\nservice = \"100ms\"\n"
                           "[[strategy]]\nname = \"pool\"\nkind = \"pool\"\nworkers = 1\n";
  }
  const Result r =
      loiter("sweep " + toml.string() + " --vary strategy.pool.workers=1..8 -r 1 --out " +
             (dir / "out").string());
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("recommended: strategy.pool.workers = 4 ") &&
                        Catch::EndsWith("; bound there and at 5 by the server workers\n"));
  const auto rows = csv_rows(read_file(dir / "out" / "sweep.csv"));
  const auto& h = rows[0];
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const int workers = std::stoi(rows[i][column(h, "strategy.pool.workers")]);
    INFO("workers " << workers);
    CHECK(rows[i][column(h, "binds")] == (workers < 4 ? "lanes" : "server workers"));
  }
}
