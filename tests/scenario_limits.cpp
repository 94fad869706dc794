// Retry and server-limit keys load, keep their defaults when absent, and print back.
#include <catch2/catch.hpp>

#include "model/scenario_load.hpp"
#include "model/scenario_print.hpp"

namespace {

model::Scenario load(const std::string& extra) {
  return model::parse_scenario("[workload]\nsleeps = [\"1s\"]\n" + extra +
                                   "\n[[strategy]]\nname = \"s\"\nkind = \"sequential\"\n",
                               "limits.toml");
}

}  // namespace

TEST_CASE("retries default to no jitter and the statuses urllib3 and httpx retry", "[scenario]") {
  const auto s = load("");
  CHECK(s.client.jitter == model::Jitter::none);
  CHECK(s.client.retry_on.statuses == std::vector<int>{429, 500, 502, 503, 504});
  CHECK(s.client.retry_on.errors);
  CHECK(s.client.retry_on.timeouts);
}

TEST_CASE("jitter and retry_on load and print back", "[scenario]") {
  const auto s = load("[client]\njitter = \"equal\"\nretry_on = [503, \"timeouts\"]\n");
  CHECK(s.client.jitter == model::Jitter::equal);
  CHECK(s.client.retry_on.statuses == std::vector<int>{503});
  CHECK_FALSE(s.client.retry_on.errors);
  CHECK(s.client.retry_on.timeouts);
  const std::string printed = model::print_scenario(s);
  CHECK_THAT(printed, Catch::Contains("jitter = \"equal\"\nretry_on = [503, \"timeouts\"]"));
  CHECK(model::print_scenario(model::parse_scenario(printed, "limits.toml")) == printed);
  const auto none = load("[client]\nretry_on = []\n");
  CHECK(none.client.retry_on.statuses.empty());
  CHECK_FALSE(none.client.retry_on.errors);
  CHECK_THAT(model::print_scenario(none), Catch::Contains("retry_on = []\n"));
}

TEST_CASE("a server rate limit and backlog load and print back", "[scenario]") {
  const auto s = load(
      "[server]\nrate_limit = { rate = \"3000/min\", burst = 20, status = 503, retry_after = "
      "\"2s\" }\nbacklog = 5\nsyn_retries = 3\n");
  const auto& r = s.server.rate_limit;
  CHECK(r.rate == 50);
  CHECK(r.burst == 20);
  CHECK(r.status == 503);
  CHECK(r.retry_after == std::chrono::seconds(2));
  CHECK(s.server.backlog == 5);
  CHECK(s.server.syn_retries == 3);
  const std::string printed = model::print_scenario(s);
  CHECK_THAT(printed, Catch::Contains("rate_limit = { rate = \"50/s\", burst = 20, status = 503, "
                                      "retry_after = \"2s\" }\nbacklog = 5"));
  CHECK(model::print_scenario(model::parse_scenario(printed, "limits.toml")) == printed);
  const auto plain = load("[server]\nrate_limit = { rate = \"10/h\" }\n");
  CHECK(plain.server.rate_limit.burst == 1);
  CHECK(plain.server.rate_limit.status == 429);
  CHECK_FALSE(plain.server.rate_limit.retry_after.has_value());
  CHECK(plain.server.backlog == 0);
  CHECK(plain.server.syn_retries == 6);
  CHECK(model::print_scenario(model::parse_scenario(model::print_scenario(plain), "limits.toml")) ==
        model::print_scenario(plain));
}
