// CSV export: one row per download and phase, exact fixed-decimal seconds, RFC 4180 quoting.
#include <catch2/catch.hpp>
#include <sstream>

#include "plots/plots.hpp"
#include "plots_support.hpp"

using namespace plots_test;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("the loiter CSV has a header and one row per phase span") {
  const std::string csv = plots::downloads_csv({loiter_demo()});
  const auto lines = lines_of(csv);
  REQUIRE(lines.size() == 1 + 6);  // five sleeps and job 4's wait
  CHECK(lines[0] ==
        "strategy,id,name,lane,status,http_status,attempts,bytes,phase,attempt,start_s,end_s,"
        "consumed_s");
  CHECK(lines[1] == "pool,0,loiter(0),0,ok,0,1,0,sleep,0,0.000000000,0.000000000,0.000000000");
  CHECK(lines[5] == "pool,4,loiter(4),1,ok,0,1,0,queued,0,0.000000000,1.000000000,5.000000000");
  CHECK(lines[6] == "pool,4,loiter(4),1,ok,0,1,0,sleep,0,1.000000000,5.000000000,5.000000000");
  CHECK(csv.back() == '\n');
}

TEST_CASE("CSV quotes awkward names and keeps nanoseconds exact") {
  model::StrategyResult r = loiter_demo();
  r.name = "pool, in order";
  r.downloads[0].name = "say \"hi\"\nthere";
  r.spans[0].end = sim::Time{1};
  const auto lines = lines_of(plots::downloads_csv({r}));
  CHECK(lines[1] == "\"pool, in order\",0,\"say \"\"hi\"\"");
  CHECK(lines[2] == "there\",0,ok,0,1,0,sleep,0,0.000000000,0.000000001,0.000000000");
}

TEST_CASE("a download without spans still gets a row; counts add up for many strategies") {
  model::StrategyResult r = loiter_demo();
  r.downloads[2].span_count = 0;
  const auto one = lines_of(plots::downloads_csv({r}));
  CHECK(one[3] == "pool,2,loiter(2),2,ok,0,1,0,,,0.000000000,2.000000000,2.000000000");
  const model::StrategyResult flags = flags_like(100, 10);
  const auto both = lines_of(plots::downloads_csv({loiter_demo(), flags}));
  CHECK(both.size() == 1 + 6 + flags.spans.size());
}
