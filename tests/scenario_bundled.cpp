// Every scenario in scenarios/ loads with the values its comments promise, and prints back
// to TOML that loads into the same scenario.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "model/scenario_load.hpp"
#include "model/scenario_print.hpp"
#include "model/scenario_warnings.hpp"
#include "model/simulate.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using model::Distribution;
using model::Strategy;
using model::Workload;

namespace {

fs::path bundled(const char* name) {
  return fs::path(LOITER_SOURCE_DIR) / "scenarios" / name;
}

}  // namespace

TEST_CASE("loiter.toml: the Executor.map demo", "[scenario]") {
  const auto s = model::load_scenario(bundled("loiter.toml"));
  CHECK(s.name == "loiter");
  REQUIRE(s.workload.kind == Workload::Kind::sleeps);
  CHECK(s.workload.sleeps == std::vector<model::Duration>{0s, 1s, 2s, 3s, 4s});
  CHECK(s.workload.download_count() == 5);
  REQUIRE(s.strategies.size() == 2);
  for (const auto& st : s.strategies) {
    CHECK(st.kind == Strategy::Kind::pool);
    CHECK(st.workers == 3);
    CHECK(st.pool_kind == Strategy::PoolKind::thread);
  }
  CHECK(s.strategies[0].consume == Strategy::Consume::in_order);
  CHECK(s.strategies[1].consume == Strategy::Consume::as_completed);
}

TEST_CASE("flags20.toml: the book's 20 flags with their real sizes", "[scenario]") {
  const auto s = model::load_scenario(bundled("flags20.toml"));
  REQUIRE(s.workload.kind == Workload::Kind::items);
  REQUIRE(s.workload.items.size() == 20);
  CHECK(s.workload.items[0].name == "CN");
  CHECK(s.workload.items[0].bytes == 11925);
  CHECK(s.workload.items[19].name == "FR");
  CHECK(s.workload.items[19].bytes == 5140);
  std::int64_t total = 0;
  for (const auto& it : s.workload.items)
    total += it.bytes;
  CHECK(total == 267'092);
  CHECK_FALSE(s.client.keep_alive);
  CHECK(s.network.rtt.kind() == Distribution::Kind::lognormal);
  CHECK(s.network.rtt.a() == Approx(0.165));
  CHECK(s.network.bandwidth == 1.25e6);
  REQUIRE(s.strategies.size() == 3);
  CHECK(s.strategies[0].kind == Strategy::Kind::sequential);
  CHECK(s.strategies[1].kind == Strategy::Kind::pool);
  CHECK(s.strategies[1].workers == 20);
  CHECK(s.strategies[2].kind == Strategy::Kind::async);
  CHECK(s.strategies[2].max_concurrency == 0);

  // The calibration in the file's comment: ~0.8 s per flag when downloaded one by one.
  const double per_flag = s.network.dns.mean() + 2 * s.network.rtt.mean() +
                          s.server.service.mean() +
                          static_cast<double>(total) / 20 / s.network.bandwidth;
  CHECK(per_flag == Approx(0.8).margin(0.05));
}

TEST_CASE("flags20-local.toml: a local server with 16 workers", "[scenario]") {
  const auto s = model::load_scenario(bundled("flags20-local.toml"));
  CHECK(s.workload.items.size() == 20);
  CHECK(s.server.workers == 16);
  CHECK(s.server.service.kind() == Distribution::Kind::constant);
  CHECK(s.server.service.a() == Approx(0.2));
  CHECK(s.network.rtt.a() == Approx(100e-6));
  CHECK(s.live.url == "http://127.0.0.1:8001/flags/{name}.gif");
  REQUIRE(s.strategies.size() == 4);
  CHECK(s.strategies[1].workers == 4);
  CHECK(s.strategies[2].workers == 16);
  CHECK(s.strategies[3].max_concurrency == 20);  // every flag in flight, more than the 16 workers
}

TEST_CASE("slow-server.toml: delays, errors, 404s and retries", "[scenario]") {
  const auto s = model::load_scenario(bundled("slow-server.toml"));
  CHECK(s.server.workers == 4);
  REQUIRE(s.server.errors.size() == 2);
  CHECK(s.server.errors[0].status == 503);
  CHECK(s.server.errors[0].rate == 0.10);
  CHECK(s.server.errors[1].status == 500);
  CHECK(s.server.missing == std::vector<std::string>{"report-04", "report-11"});
  CHECK(s.server.stall_rate == 0.02);
  REQUIRE(s.client.timeout.has_value());
  CHECK(*s.client.timeout == 5s);
  CHECK(s.client.retries == 2);
  CHECK(s.client.backoff == 200ms);
  CHECK(s.client.backoff_max == 2s);
  CHECK(s.workload.items[0].bytes == 48 * 1024);
}

TEST_CASE("cpu-bound.toml: CPU per download, threads vs processes", "[scenario]") {
  const auto s = model::load_scenario(bundled("cpu-bound.toml"));
  CHECK(s.workload.kind == Workload::Kind::generated);
  CHECK(s.workload.download_count() == 40);
  CHECK(s.client.cpu.kind() == Distribution::Kind::normal);
  CHECK(s.client.cpu.mean() == Approx(0.1));
  CHECK(s.client.cores == 8);
  CHECK(s.client.process_start == 50ms);
  REQUIRE(s.strategies.size() == 4);
  CHECK(s.strategies[1].pool_kind == Strategy::PoolKind::thread);
  CHECK(s.strategies[2].pool_kind == Strategy::PoolKind::process);
  CHECK(s.strategies[2].workers == 8);
  CHECK(s.strategies[3].kind == Strategy::Kind::async);
}

TEST_CASE("million.toml: a million generated items", "[scenario]") {
  const auto s = model::load_scenario(bundled("million.toml"));
  CHECK(s.workload.kind == Workload::Kind::generated);
  CHECK(s.workload.count == 1'000'000);
  CHECK(s.workload.download_count() == 1'000'000);
  CHECK(s.workload.size.kind() == Distribution::Kind::lognormal);
  CHECK(s.workload.size.a() == Approx(2355.2));
  CHECK(s.workload.size.b() == 0.3);
  CHECK(s.network.bandwidth == 1.25e8);
  REQUIRE(s.strategies.size() == 1);
  CHECK(s.strategies[0].max_concurrency == 1000);
}

TEST_CASE("python-clients.toml: four Python clients by their library profiles", "[scenario]") {
  const auto s = model::load_scenario(bundled("python-clients.toml"));
  CHECK(s.workload.download_count() == 100);
  CHECK(s.network.rtt.a() == Approx(0.080));
  CHECK(s.network.tls);
  REQUIRE(s.strategies.size() == 4);
  CHECK_FALSE(s.client_of(s.strategies[0]).keep_alive);  // requests.get
  CHECK(s.client_of(s.strategies[1]).max_per_host == 10);
  CHECK(s.client_of(s.strategies[1]).when_full == model::Client::WhenFull::open_extra);
  CHECK(s.client_of(s.strategies[2]).max_idle == 20);          // httpx
  CHECK(s.client_of(s.strategies[3]).max_connections == 100);  // aiohttp
  const auto runs = model::simulate(s, {});
  REQUIRE(runs.size() == 4);
  // A new TCP + TLS connection per file is what makes requests.get the slowest here.
  CHECK(runs[0].result.summary.makespan > runs[1].result.summary.makespan);
  CHECK(runs[1].result.summary.makespan > runs[2].result.summary.makespan);
}

TEST_CASE("every bundled scenario prints back to TOML that loads the same", "[scenario]") {
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(LOITER_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    ++seen;
    CAPTURE(entry.path().string());
    const auto s = model::load_scenario(entry.path());
    CHECK(s.source_path == entry.path().string());
    CHECK_FALSE(s.strategies.empty());
    CHECK(s.workload.download_count() > 0);
    const std::string printed = model::print_scenario(s);
    const auto again = model::parse_scenario(printed, entry.path().string());
    CHECK(model::print_scenario(again) == printed);
    CHECK(again.name == s.name);
    CHECK(again.seed == s.seed);
    CHECK(again.workload.download_count() == s.workload.download_count());
    CHECK(again.strategies.size() == s.strategies.size());
    CHECK(again.network.bandwidth == s.network.bandwidth);
    CHECK(again.client.timeout == s.client.timeout);
  }
  CHECK(seen >= 6);
}

TEST_CASE("defaults are filled in and printed", "[scenario]") {
  const auto s = model::parse_scenario(R"(
[workload]
sleeps = ["1s"]
[[strategy]]
name = "one"
kind = "sequential"
)",
                                       "mini.toml");
  CHECK(s.name == "mini");
  CHECK(s.seed == 1);
  CHECK(s.network.bandwidth == 0);
  CHECK_FALSE(s.client.timeout.has_value());
  CHECK(s.client.backoff == 100ms);
  const std::string printed = model::print_scenario(s);
  CHECK_THAT(printed, Catch::Contains("bandwidth = \"unlimited\""));
  CHECK_THAT(printed, Catch::Contains("timeout = \"none\""));
  CHECK_THAT(printed, Catch::Contains("backoff_max = \"10s\""));
  CHECK_THAT(printed, Catch::Contains("cores = 2"));
  CHECK_THAT(printed, Catch::Contains("name = \"one\"\nkind = \"sequential\""));
  CHECK(model::print_scenario(model::parse_scenario(printed, "mini.toml")) == printed);
}

TEST_CASE("every distribution spelling loads and prints back", "[scenario]") {
  const auto s = model::parse_scenario(R"(
description = "quote \" and backslash \\ and tab \t"
[workload]
count = 10
size = { dist = "empirical", samples = ["1 KiB", 2048, "3 kB"] }
[network]
rtt = { dist = "uniform", low = "100ms", high = "300ms" }
dns = { dist = "exponential", mean = "50ms" }
[server]
service = { dist = "normal", mean = "20ms", stddev = "5ms" }
[client]
cpu = { dist = "constant", value = "1.5ms" }
[[strategy]]
name = "a"
kind = "async"
max_concurrency = 5
)",
                                       "dists.toml");
  CHECK(s.workload.size.samples() == std::vector<double>{1024, 2048, 3000});
  CHECK(s.network.rtt.kind() == Distribution::Kind::uniform);
  CHECK(s.network.rtt.b() == Approx(0.3));
  CHECK(s.network.dns.kind() == Distribution::Kind::exponential);
  CHECK(s.server.service.kind() == Distribution::Kind::normal);
  CHECK(s.server.service.b() == Approx(0.005));
  CHECK(s.client.cpu.a() == Approx(0.0015));
  const std::string printed = model::print_scenario(s);
  CHECK_THAT(
      printed,
      Catch::Contains(R"(size = { dist = "empirical", samples = ["1 KiB", "2 KiB", "3 kB"] })"));
  const auto again = model::parse_scenario(printed, "dists.toml");
  CHECK(again.description == s.description);
  CHECK(model::print_scenario(again) == printed);
}

TEST_CASE("items_csv reads a CSV next to the scenario file", "[scenario]") {
  const fs::path dir = fs::temp_directory_path() / "loiter-scenario-csv-test";
  fs::create_directories(dir / "data");
  {
    std::ofstream(dir / "data" / "sizes.csv")
        << "cc,gif_bytes,other\r\nCN,11925,x\n\nUS, 2.5 KiB ,y\n";
    std::ofstream(dir / "s.toml") << "[workload]\nitems_csv = { path = \"data/sizes.csv\", name = "
                                     "\"cc\", size = \"gif_bytes\" }\n[[strategy]]\nname = "
                                     "\"s\"\nkind = \"sequential\"\n";
    std::ofstream(dir / "plain.csv") << "name,size\nA,1\nB,2\nA,3\n";
    std::ofstream(dir / "dup.toml")
        << "[workload]\nitems_csv = \"plain.csv\"\n[[strategy]]\nname = \"s\"\nkind = "
           "\"sequential\"\n";
  }
  const auto s = model::load_scenario(dir / "s.toml");
  REQUIRE(s.workload.items.size() == 2);
  CHECK(s.workload.items[0].name == "CN");
  CHECK(s.workload.items[0].bytes == 11925);
  CHECK(s.workload.items[1].name == "US");
  CHECK(s.workload.items[1].bytes == 2560);
  try {
    model::load_scenario(dir / "dup.toml");
    FAIL("duplicate CSV item accepted");
  } catch (const model::ScenarioError& e) {
    CHECK(e.path() == (dir / "plain.csv").string());
    CHECK(e.line() == 4);
    CHECK(e.column() == 1);
    CHECK_THAT(e.message(), Catch::Contains("duplicate item name 'A' (first at line 2)"));
  }
  fs::remove_all(dir);
}

TEST_CASE("every bundled scenario loads without a warning", "[scenario]") {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(LOITER_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    INFO(entry.path().filename().string());
    std::string printed;
    for (const auto& w : model::scenario_warnings(model::load_scenario(entry.path())))
      printed += w.text() + "\n";
    CHECK(printed.empty());
    ++checked;
  }
  CHECK(checked >= 6);
}
