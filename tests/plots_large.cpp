// Large runs: density bands keep the Gantt small and readable; the timeline stays small too.
#include <catch2/catch.hpp>

#include "plots/plots.hpp"
#include "plots_support.hpp"

using namespace plots_test;

TEST_CASE("a million downloads on 1000 lanes: Gantt under 5 MB, banded, valid XML") {
  const model::StrategyResult big = synthetic(1'000'000, 1000);
  const std::string svg = plots::gantt_svg({big}, {"large"});
  CHECK(svg.size() < 5'000'000);
  CHECK(xml_problem(svg).empty());
  CHECK(with_class(svg, "rect", "bar").empty());
  CHECK(with_class(svg, "rect", "band").size() == 100);
  const auto cells = with_class(svg, "path", "density");
  CHECK(!cells.empty());
  for (const auto& clash : overlapping_text(svg))
    FAIL_CHECK(clash);

  const std::string timeline = plots::timeline_svg({big}, {}, {"large"});
  CHECK(timeline.size() < 200'000);
  CHECK(xml_problem(timeline).empty());
}

TEST_CASE("many lanes with few downloads are banded too") {
  const std::string svg = plots::gantt_svg({synthetic(2000, 2000)}, {"wide"});
  CHECK(xml_problem(svg).empty());
  CHECK(with_class(svg, "rect", "band").size() == 100);
  CHECK(svg.find("20 lanes per band") != std::string::npos);
}

TEST_CASE("density shading follows how busy a band was") {
  // 300 lanes, each busy for the first half of the run only: cells in the first half, none
  // in the second.
  model::StrategyResult r = synthetic(300, 300);
  model::Outcome late = r.downloads.back();
  late.id = 300;
  late.lane = 0;
  for (const auto& d : r.downloads)
    late.start = std::max(late.start, d.end * 2);
  late.end = late.start;
  late.consumed = late.end;
  late.span_count = 0;
  r.downloads.push_back(late);
  const std::string svg = plots::gantt_svg({r}, {"half"});
  double rightmost = 0;
  for (const Element& p : with_class(svg, "path", "density")) {
    const std::string& d = p.attrs.at("d");
    for (std::size_t m = d.find('M'); m != std::string::npos; m = d.find('M', m + 1)) {
      rightmost = std::max(rightmost, std::stod(d.substr(m + 1)));
    }
  }
  const auto ticks = with_class(svg, "line", "tick");
  const double x0 = ticks.front().num("x1");
  const double x1 = ticks.back().num("x1");
  CHECK(rightmost > x0);
  CHECK(rightmost < x0 + (x1 - x0) * 0.6);
}
