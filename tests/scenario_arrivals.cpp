// [workload] arrivals and the items' `at` times: what the loader accepts, what it refuses
// (file, line, column, what was expected), and that the printed scenario reads back the same.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "model/scenario_keys.hpp"
#include "model/scenario_load.hpp"
#include "model/scenario_print.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using model::Arrivals;

namespace {

const std::string kStrategy = "[[strategy]]\nname = \"s\"\nkind = \"sequential\"\n";

model::Scenario parse(const std::string& workload_lines) {
  return model::parse_scenario("[workload]\n" + workload_lines + kStrategy, "a.toml");
}

model::ScenarioError error_of(const std::string& workload_lines) {
  try {
    parse(workload_lines);
  } catch (const model::ScenarioError& e) {
    return e;
  }
  FAIL("expected a ScenarioError for:\n" << workload_lines);
  throw std::logic_error("unreachable");
}

// Printing a scenario and reading it back gives the same text.
void round_trips(const model::Scenario& s) {
  const std::string text = model::print_scenario(s);
  CHECK(model::print_scenario(model::parse_scenario(text, "a.toml")) == text);
}

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() /
             ("loiter-arrivals-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

TEST_CASE("arrivals: the forms a scenario can write", "[scenario][arrivals]") {
  const std::string gen = "count = 10\nsize = \"1 KiB\"\n";
  CHECK(parse(gen).workload.arrivals.kind == Arrivals::Kind::at_once);
  CHECK(parse(gen + "arrivals = \"at_once\"\n").workload.arrivals.kind == Arrivals::Kind::at_once);
  const auto poisson = parse(gen + "arrivals = \"200/s\"\n");
  CHECK(poisson.workload.arrivals.kind == Arrivals::Kind::poisson);
  CHECK(poisson.workload.arrivals.rate == 200);
  const auto per_min = parse(gen + "arrivals = { rate = \"6000/min\", process = \"constant\" }\n");
  CHECK(per_min.workload.arrivals.kind == Arrivals::Kind::constant);
  CHECK(per_min.workload.arrivals.rate == 100);
  round_trips(poisson);
  round_trips(per_min);
  round_trips(parse(gen + "arrivals = \"0.25/s\"\n"));
}

TEST_CASE("arrivals: each item's own at", "[scenario][arrivals]") {
  const auto s = parse(
      "items = [{ name = \"a\", size = 1, at = \"0s\" }, { name = \"b\", size = 1, at = "
      "\"1.5s\" }, { name = \"c\", size = 1, at = \"1.5s\" }]\n");
  CHECK(s.workload.arrivals.kind == Arrivals::Kind::listed);
  REQUIRE(s.workload.items[1].at);
  CHECK(*s.workload.items[1].at == std::chrono::milliseconds(1500));
  round_trips(s);
}

TEST_CASE("arrivals: bad values are refused where they are written", "[scenario][arrivals]") {
  const std::string gen = "count = 10\nsize = \"1 KiB\"\n";
  struct Case {
    std::string lines;
    int line, column;
    std::string says;
  };
  const Case cases[] = {
      {gen + "arrivals = \"fast\"\n", 4, 12, "expected \"at_once\", a rate such as \"100/s\""},
      {gen + "arrivals = \"at-once\"\n", 4, 12, "did you mean 'at_once'?"},
      {gen + "arrivals = \"100/day\"\n", 4, 12, "unknown unit '/day'"},
      {gen + "arrivals = \"0/s\"\n", 4, 12, "out of range; expected above 0"},
      {gen + "arrivals = \"-5/s\"\n", 4, 12, "negative"},
      {gen + "arrivals = 100\n", 4, 12, "must be a string or a table, got an integer"},
      {gen + "arrivals = { rate = \"10/s\", process = \"poison\" }\n", 4, 39,
       "did you mean 'poisson'?"},
      {gen + "arrivals = { rate = 10 }\n", 4, 21, "must be a string such as \"100/s\""},
      {gen + "arrivals = { process = \"constant\" }\n", 4, 12, "rate"},
      {gen + "arrivals = { rate = \"10/s\", sped = 1 }\n", 4, 29, "sped"},
      {"items = [{ name = \"a\", size = 1, at = \"2s\" }, { name = \"b\", size = 1, at = \"1s\" "
       "}]\n",
       2, 76, "is before the previous item's 2s; expected items in the order they arrive"},
      {"items = [{ name = \"a\", size = 1, at = \"2s\" }, { name = \"b\", size = 1 }]\n", 2, 56,
       "has no 'at' time and workload.items[0] has one"},
      {"items = [{ name = \"a\", size = 1 }, { name = \"b\", size = 1, at = \"1s\" }]\n", 2, 65,
       "has an 'at' time and workload.items[0] has none"},
      {"items = [{ name = \"a\", size = 1, at = 3 }]\n", 2, 39, "a duration needs a unit"},
      {"items = [{ name = \"a\", size = 1, at = \"1s\" }]\narrivals = \"10/s\"\n", 3, 12,
       "arrivals is given and the items have their own 'at' times"},
  };
  for (const Case& c : cases) {
    INFO(c.lines);
    const auto e = error_of(c.lines);
    CHECK(e.line() == c.line);
    CHECK(e.column() == c.column);
    CHECK_THAT(e.message(), Contains(c.says));
  }
}

TEST_CASE("arrivals: an at column in items_csv", "[scenario][arrivals]") {
  TempDir dir("csv");
  std::ofstream(dir.path / "trace.csv") << "name,size,at\nA,100,0s\nB,200,250ms\nC,300,1s\n";
  std::ofstream(dir.path / "late.csv") << "name,size,at\nA,100,1s\nB,200,500ms\n";
  std::ofstream(dir.path / "unit.csv") << "name,size,at\nA,100,1\n";
  std::ofstream(dir.path / "other.csv") << "name,size,t\nA,100,1s\n";
  auto load = [&](const std::string& csv_value) {
    const fs::path p = dir.path / "s.toml";
    std::ofstream(p) << "[workload]\nitems_csv = " << csv_value << "\n" << kStrategy;
    return model::load_scenario(p);
  };
  auto error = [&](const std::string& csv_value) {
    try {
      load(csv_value);
    } catch (const model::ScenarioError& e) {
      return e;
    }
    FAIL("expected a ScenarioError for items_csv = " << csv_value);
    throw std::logic_error("unreachable");
  };
  const auto s = load("\"trace.csv\"");
  CHECK(s.workload.arrivals.kind == Arrivals::Kind::listed);
  REQUIRE(s.workload.items.size() == 3);
  CHECK(*s.workload.items[1].at == std::chrono::milliseconds(250));
  // A CSV without an at column: all at once, as before.
  CHECK(load("\"other.csv\"").workload.arrivals.kind == Arrivals::Kind::at_once);
  // The column can be named; then it must be there.
  CHECK(*load("{ path = \"other.csv\", at = \"t\" }").workload.items[0].at ==
        std::chrono::seconds(1));
  const auto missing = error("{ path = \"trace.csv\", at = \"when\" }");
  CHECK(missing.path() == (dir.path / "trace.csv").string());
  CHECK_THAT(missing.message(), Contains("no column 'when'"));
  const auto late = error("\"late.csv\"");
  CHECK(late.path() == (dir.path / "late.csv").string());
  CHECK(late.line() == 3);
  CHECK(late.column() == 7);
  CHECK_THAT(late.message(), Contains("before the previous row's 1s"));
  const auto unit = error("\"unit.csv\"");
  CHECK(unit.line() == 2);
  CHECK(unit.column() == 7);
  CHECK_THAT(unit.message(), Contains("arrival time") && Contains("unit"));
}

TEST_CASE("arrivals: --set and sweeps reach the rate", "[scenario][arrivals]") {
  auto s = parse("count = 10\nsize = \"1 KiB\"\narrivals = \"100/s\"\n");
  model::apply_setting(s, "workload.arrivals.rate=250/s");
  CHECK(s.workload.arrivals.rate == 250);
  model::apply_setting(s, "workload.arrivals.rate=60");
  CHECK(s.workload.arrivals.rate == 60);
  CHECK_THROWS_WITH(model::apply_setting(s, "workload.arrivals.rate=0"),
                    Contains("out of range; expected above 0/s"));
  // All at once has no rate to set.
  auto at_once = parse("count = 10\nsize = \"1 KiB\"\n");
  CHECK_THROWS_WITH(model::apply_setting(at_once, "workload.arrivals.rate=10"),
                    Contains("unknown key"));
}
