// End-to-end: the loiter binary as a user runs it.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli_support.hpp"

using namespace cli_test;

TEST_CASE("every subcommand has --help", "[cli]") {
  for (const char* cmd : {"", "run", "check", "serve", "sweep", "merge", "live", "validate"}) {
    const Result r = loiter(std::string(cmd) + " --help");
    INFO(cmd);
    CHECK(r.code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
  CHECK(loiter("").code == 2);
  CHECK(loiter("frobnicate").code == 2);
  CHECK(loiter("run").code == 2);
}

TEST_CASE("the loiter scenario's --log prints the book's lines", "[cli][book]") {
  const Result r =
      loiter("run " + source("scenarios/loiter.toml") + " --strategy map-in-order --log");
  REQUIRE(r.code == 0);
  // Fluent Python, the Executor.map demo's output, timestamps relative to 00:00:00 and without
  // the main thread's own lines ("Script starting.", "results: <generator ...>", "Waiting ...").
  const std::string book =
      "[00:00:00] loiter(0): doing nothing for 0s...\n"
      "[00:00:00] loiter(0): done.\n"
      "[00:00:00]      loiter(1): doing nothing for 1s...\n"
      "[00:00:00]              loiter(2): doing nothing for 2s...\n"
      "[00:00:00]                      loiter(3): doing nothing for 3s...\n"
      "[00:00:00] result 0: 0\n"
      "[00:00:01]      loiter(1): done.\n"
      "[00:00:01]                              loiter(4): doing nothing for 4s...\n"
      "[00:00:01] result 1: 10\n"
      "[00:00:02]              loiter(2): done.\n"
      "[00:00:02] result 2: 20\n"
      "[00:00:03]                      loiter(3): done.\n"
      "[00:00:03] result 3: 30\n"
      "[00:00:05]                              loiter(4): done.\n"
      "[00:00:05] result 4: 40\n";
  CHECK(expand_tabs(r.out).substr(0, book.size()) == book);
}

TEST_CASE("every bundled scenario runs in every format", "[cli]") {
  for (const char* name : {"loiter", "flags20", "flags20-local", "slow-server", "cpu-bound"}) {
    const std::string path = source(std::string("scenarios/") + name + ".toml");
    INFO(name);
    const Result text = loiter("run " + path);
    CHECK(text.code == 0);
    CHECK(text.out.find("makespan") != std::string::npos);
    const Result json = loiter("run " + path + " --format json");
    REQUIRE(json.code == 0);
    const auto j = nlohmann::json::parse(json.out);
    CHECK(j["scenario"] == name);
    const Result csv = loiter("run " + path + " --format csv");
    CHECK(csv.code == 0);
    // one header and one row per strategy
    const auto rows = std::count(csv.out.begin(), csv.out.end(), '\n');
    CHECK(rows == static_cast<long>(j["strategies"].size()) + 1);

    // The JSON agrees with the text report: each strategy's makespan, to the printed digits.
    for (const auto& s : j["strategies"]) {
      const std::string line_start = s["name"].get<std::string>() + " ";
      const auto pos = text.out.find("\n" + line_start);
      REQUIRE(pos != std::string::npos);
      const std::string line = text.out.substr(pos + 1, text.out.find('\n', pos + 1) - pos - 1);
      char expected[32];
      std::snprintf(expected, sizeof expected, "%.3fs", s["makespan_s"].get<double>());
      CHECK(line.find(expected) != std::string::npos);
      std::int64_t total = 0;
      for (const auto& [k, v] : s["outcomes"].items())
        total += v.get<std::int64_t>();
      CHECK(total == static_cast<std::int64_t>(s["downloads"].size()));
    }
  }
}

TEST_CASE("a report printed without --out is the one printed with it", "[cli]") {
  // Without --out a run keeps only the phases its report reads.
  for (const std::string args :
       {"loiter.toml", "flags20.toml", "cpu-bound.toml", "crawl.toml", "http2.toml",
        "slow-server.toml", "keep-up.toml", "million.toml --set workload.count=3000"}) {
    INFO(args);
    const std::string path = source("scenarios/" + args);
    for (const std::string format : {"text --explain", "json --downloads no", "csv", "json"}) {
      INFO(format);
      const Result lean = loiter("run " + path + " --format " + format);
      const auto dir = fresh_dir("lean");
      const Result full = loiter("run " + path + " --format " + format + " --out " + dir.string());
      REQUIRE(lean.code == 0);
      REQUIRE(full.code == 0);
      CHECK(full.out.substr(0, lean.out.size()) == lean.out);
      CHECK(lean.out.find("makespan") != std::string::npos);
      // A JSON report, written as it is made when it lists the downloads, is report.json.
      if (format.rfind("json", 0) == 0) CHECK(lean.out == read_file(dir / "report.json"));
    }
  }
}

TEST_CASE("the million-download scenario runs", "[cli][large]") {
  const Result r = loiter("run " + source("scenarios/million.toml") + " --format csv");
  REQUIRE(r.code == 0);
  CHECK(r.out.find(",1000000,") != std::string::npos);
}

TEST_CASE("run --out writes every file, and the same seed gives the same bytes", "[cli]") {
  const auto a = fresh_dir("a"), b = fresh_dir("b");
  const std::string path = source("scenarios/slow-server.toml");
  REQUIRE(loiter("run " + path + " --seed 7 --out " + a.string()).code == 0);
  REQUIRE(loiter("run " + path + " --seed 7 --out " + b.string()).code == 0);
  for (const char* f :
       {"report.json", "downloads.csv", "gantt.svg", "timeline.svg", "trace.json"}) {
    INFO(f);
    const std::string x = read_file(a / f);
    CHECK(!x.empty());
    CHECK(x == read_file(b / f));
  }
  const auto c = fresh_dir("c");
  REQUIRE(loiter("run " + path + " --seed 8 --out " + c.string()).code == 0);
  CHECK(read_file(a / "report.json") != read_file(c / "report.json"));
}

TEST_CASE("report.json and downloads.csv written as they are made hold the whole run", "[cli]") {
  // 20,000 downloads: a report.json of about 30 MB, written through the 1 MiB buffer; the file
  // must be the same bytes as the JSON report printed whole.
  const std::string run =
      "run " + source("scenarios/million.toml") + " --set workload.count=20000 --downloads yes";
  const auto dir = fresh_dir("streamed");
  const Result files = loiter(run + " --out " + dir.string());
  REQUIRE(files.code == 0);
  CHECK_THAT(files.err, Catch::Contains("report.json") && Catch::Contains("downloads.csv"));
  const Result whole = loiter(run + " --format json");
  REQUIRE(whole.code == 0);
  const std::string report = read_file(dir / "report.json");
  CHECK(report.size() > (std::size_t{4} << 20));
  CHECK(report == whole.out);
  const auto j = nlohmann::json::parse(report);
  CHECK(j["strategies"][0]["downloads"].size() == 20000);
  // One row per phase span, each download's rows together, in id order.
  const std::string csv = read_file(dir / "downloads.csv");
  std::size_t rows = 0, last_id = 0;
  bool ordered = true;
  for (std::size_t at = csv.find('\n') + 1; at < csv.size(); at = csv.find('\n', at) + 1) {
    ++rows;
    const std::size_t id_at = csv.find(',', at) + 1;
    const std::size_t id = std::stoul(csv.substr(id_at, csv.find(',', id_at) - id_at));
    ordered = ordered && id >= last_id;
    last_id = id;
  }
  CHECK(ordered);
  CHECK(last_id == 19999);
  CHECK(rows >= 20000);
}

TEST_CASE("an unknown strategy is bad input", "[cli]") {
  const Result r = loiter("run " + source("scenarios/flags20.toml") + " --strategy nope");
  CHECK(r.code == 2);
  CHECK(r.err.find("no strategy named 'nope'") != std::string::npos);
  const Result typo = loiter("run " + source("scenarios/flags20.toml") + " --strategy thredas-20");
  CHECK(typo.code == 2);
  CHECK(typo.err.find("did you mean 'threads-20'?") != std::string::npos);
}

TEST_CASE("bad scenario files: exit 2, file:line:column, nothing written", "[cli]") {
  const std::filesystem::path dir = source("tests/bad-scenarios");
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".toml") continue;
    const std::string first = read_file(entry.path()).substr(0, 200);
    std::smatch m;
    const std::regex expect(R"(# expect: (\d+):(\d+))");
    if (!std::regex_search(first, m, expect)) continue;
    INFO(entry.path().filename().string());
    const auto out = fresh_dir("bad");
    const Result r = loiter("run " + entry.path().string() + " --out " + out.string());
    CHECK(r.code == 2);
    const std::string where = entry.path().string() + ":" + m[1].str() + ":" + m[2].str() + ":";
    CHECK(r.err.find(where) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK(r.out.empty());
    ++checked;
  }
  CHECK(checked >= 30);
  const Result missing = loiter("run /nonexistent/scenario.toml");
  CHECK(missing.code == 2);
  CHECK(missing.err.find("/nonexistent/scenario.toml") != std::string::npos);
  CHECK(loiter("run " + source("scenarios")).code == 2);  // a directory
}

TEST_CASE("check prints the scenario with defaults filled in", "[cli]") {
  const Result r = loiter("check " + source("scenarios/loiter.toml"));
  CHECK(r.code == 0);
  CHECK(r.out.find("name = \"loiter\"") != std::string::npos);
  CHECK(r.out.find("[[strategy]]") != std::string::npos);
}
