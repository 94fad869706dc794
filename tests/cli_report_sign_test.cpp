// The run report's "vs bound": a signed percentage (a live run can beat the simulated bound).
#include <catch2/catch.hpp>

#include "app/report.hpp"

TEST_CASE("a makespan below the bound prints as -18%, not +-18%", "[cli][bound]") {
  model::StrategyResult r;
  r.name = "live";
  r.kind = "async";
  r.detail = "all at once";
  r.summary.makespan = sim::from_seconds(0.82);
  r.summary.lower_bound = sim::from_seconds(1.0);
  const std::string below = app::text_report({r}, app::ReportInfo{});
  CHECK(below.find(" -18%") != std::string::npos);
  CHECK(below.find("+-") == std::string::npos);
  r.summary.makespan = sim::from_seconds(1.25);
  CHECK(app::text_report({r}, app::ReportInfo{}).find(" +25%") != std::string::npos);
}
