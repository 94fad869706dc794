// Gantt time axes: shared when the panels' makespans are alike, one per panel when they differ.
#include <catch2/catch.hpp>
#include <string>

#include "plots/plots.hpp"
#include "plots_support.hpp"

using namespace plots_test;

namespace {

// The same result with every instant multiplied by k.
model::StrategyResult stretched(model::StrategyResult r, long k, const std::string& name) {
  r.name = name;
  const auto scale = [k](sim::Time& t) { t = sim::Time{t.count() * k}; };
  for (auto& d : r.downloads) {
    scale(d.submitted);
    scale(d.start);
    scale(d.end);
    scale(d.consumed);
  }
  for (auto& s : r.spans) {
    scale(s.start);
    scale(s.end);
  }
  r.summary.makespan *= k;
  r.summary.lower_bound *= k;
  return r;
}

std::vector<std::string> axis_ends(const std::string& svg) {
  std::vector<std::string> ends;
  for (const auto& g : elements(svg, "g"))
    if (g.has_class("panel")) ends.push_back(g.attrs.at("data-axis-end"));
  return ends;
}

}  // namespace

TEST_CASE("gantt: makespans more than 3x apart get one axis per panel, labelled as such") {
  const auto base = loiter_demo();
  const std::string svg =
      plots::gantt_svg({stretched(base, 1, "fast"), stretched(base, 10, "slow")}, {"t"});
  const auto ends = axis_ends(svg);
  REQUIRE(ends.size() == 2);
  CHECK(ends[0] != ends[1]);
  CHECK(std::stod(ends[0]) * 5 < std::stod(ends[1]));
  CHECK(with_class(svg, "text", "own-axis").size() == 2);
  CHECK(svg.find("each panel on its own axis") != std::string::npos);
  CHECK(xml_problem(svg).empty());
}

TEST_CASE("gantt: makespans within 3x share one axis, and --shared-axis forces one") {
  const auto base = loiter_demo();
  const auto alike =
      axis_ends(plots::gantt_svg({stretched(base, 1, "a"), stretched(base, 2, "b")}, {"t"}));
  REQUIRE(alike.size() == 2);
  CHECK(alike[0] == alike[1]);

  plots::ChartInfo forced{"t"};
  forced.shared_axis = true;
  const std::string svg =
      plots::gantt_svg({stretched(base, 1, "fast"), stretched(base, 10, "slow")}, forced);
  const auto ends = axis_ends(svg);
  REQUIRE(ends.size() == 2);
  CHECK(ends[0] == ends[1]);
  CHECK(with_class(svg, "text", "own-axis").empty());
}
