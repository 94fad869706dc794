// A scenario's server, run for real: serve_options_from maps the scenario's knobs.
#include <catch2/catch.hpp>

#include "live/serve_options.hpp"
#include "live/server_content.hpp"
#include "live/test_server.hpp"
#include "live_server_fetch.hpp"
#include "model/scenario_load.hpp"
#include "model/simulate.hpp"

using namespace std::chrono_literals;

TEST_CASE("a scenario's server knobs and items become serve options") {
  model::Scenario s;
  s.seed = 9;
  s.server.workers = 3;
  s.server.service = model::Distribution::constant(0.25);
  s.server.errors = {{503, 0.1}};
  s.server.missing = {"XX"};
  s.server.stall_rate = 0.05;
  s.network.per_connection = 1e6;
  s.workload.items = {{"CN", 100}, {"BR", 200}};
  s.live.url = "http://127.0.0.1:8001/flags/{name}/{name}.gif";
  const auto o = live::serve_options_from(s);
  CHECK(o.host == "127.0.0.1");
  CHECK(o.port == 8001);
  CHECK(o.workers == 3);
  CHECK(o.delay == 250ms);
  CHECK(!o.delay_sampler);
  REQUIRE(o.errors.size() == 1);
  CHECK(o.errors[0].status == 503);
  CHECK(o.missing == std::vector<std::string>{"XX"});
  CHECK(o.stall_rate == 0.05);
  CHECK(o.bandwidth == 1e6);
  CHECK(o.items == std::map<std::string, std::int64_t>{{"BR", 200}, {"CN", 100}});
  CHECK(o.url_path == "/flags/{name}/{name}.gif");
  CHECK(o.seed == 9);
  CHECK(o.connection_threads == 3 + 8);  // no strategies: one client connection
}

TEST_CASE("the server gets a connection thread for every client connection") {
  model::Scenario s;
  s.server.workers = 4;
  s.workload.items = {{"a", 1}, {"b", 1}, {"c", 1}};
  model::Strategy pool;
  pool.kind = model::Strategy::Kind::pool;
  pool.workers = 20;
  s.strategies = {pool};
  CHECK(live::serve_options_from(s).connection_threads == 20 + 8);
  model::Strategy unbounded;
  unbounded.kind = model::Strategy::Kind::async;
  s.strategies.push_back(unbounded);
  s.workload.kind = model::Workload::Kind::generated;
  s.workload.count = 100'000;
  s.workload.size = model::Distribution::constant(10);
  CHECK(live::serve_options_from(s).connection_threads == 1024);
}

TEST_CASE("a service distribution is drawn per request, the same for the same seed") {
  model::Scenario s;
  s.server.service = model::Distribution::uniform(0.1, 0.2);
  const auto a = live::serve_options_from(s);
  const auto b = live::serve_options_from(s);
  REQUIRE(a.delay_sampler);
  for (int i = 0; i < 20; ++i) {
    const auto d = a.delay_sampler();
    CHECK(d == b.delay_sampler());
    CHECK(d >= 100ms);
    CHECK(d <= 200ms);
  }
  CHECK(a.url_path == "/{name}");
  CHECK(a.port == 0);
}

TEST_CASE("generated items are served as item-<n> with sizes from the size distribution") {
  model::Scenario s;
  s.workload.kind = model::Workload::Kind::generated;
  s.workload.count = 5;
  s.workload.size = model::Distribution::uniform(1000, 2000);
  const auto o = live::serve_options_from(s);
  REQUIRE(o.item_size);
  for (int n = 0; n < 5; ++n) {
    const auto size = o.item_size("item-" + std::to_string(n));
    REQUIRE(size);
    CHECK(*size >= 1000);
    CHECK(*size <= 2000);
  }
  // The very sizes the simulation draws for the same seed, so live and simulated compare
  // download by download.
  for (const model::Job& job : model::make_jobs(s, s.seed))
    CHECK(o.item_size(job.name) == job.bytes);
  CHECK(!o.item_size("item-5"));
  CHECK(!o.item_size("item-01"));
  CHECK(!o.item_size("item-"));
  CHECK(!o.item_size("CN"));
}

TEST_CASE("the flags20-local scenario's server runs for real") {
  const auto scenario = model::load_scenario(LOITER_SOURCE_DIR "/scenarios/flags20-local.toml");
  auto options = live::serve_options_from(scenario);
  CHECK(options.port == 8001);
  options.port = 0;
  live::TestServer server(options);
  server.start();
  const auto got = live_test::fetch(server.base_url() + "/flags/CN.gif");
  CHECK(got.status == 200);
  CHECK(got.content_type == "image/gif");
  CHECK(got.body == live::synthetic_body("CN", 11925));
  CHECK(got.seconds >= 0.2);
  CHECK(live_test::fetch(server.base_url() + "/flags/XX.gif").status == 404);
}
