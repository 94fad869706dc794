// Completion timeline SVG: step lines per strategy, sim dashed against live solid, bounds.
#include <catch2/catch.hpp>

#include "plots/plots.hpp"
#include "plots_support.hpp"

using namespace plots_test;

namespace {

// The (x, y) corners of a path made of M, H and V commands.
std::vector<std::pair<double, double>> corners(const std::string& d) {
  std::vector<std::pair<double, double>> pts;
  double x = 0, y = 0;
  std::size_t i = 0;
  while (i < d.size()) {
    const char cmd = d[i++];
    std::size_t used = 0;
    const double a = std::stod(d.substr(i), &used);
    i += used;
    if (cmd == 'M') {
      x = a;
      while (d[i] == ' ')
        ++i;
      y = std::stod(d.substr(i), &used);
      i += used;
    }
    if (cmd == 'H') x = a;
    if (cmd == 'V') y = a;
    pts.emplace_back(x, y);
  }
  return pts;
}

// x of t seconds, from the first and last x ticks.
double x_at(const std::string& svg, double t) {
  const auto ticks = with_class(svg, "line", "tick");
  REQUIRE(ticks.size() >= 2);
  const double x0 = ticks.front().num("x1");
  return x0 + t * (ticks.back().num("x1") - x0) / std::stod(ticks.back().attrs.at("data-t"));
}

double ytick_y(const std::string& svg, const std::string& label) {
  for (const Element& t : with_class(svg, "line", "ytick")) {
    if (t.attrs.at("data-n") == label) return t.num("y1");
  }
  FAIL("no y tick " << label);
  return 0;
}

}  // namespace

TEST_CASE("the loiter timeline steps up at each completion") {
  const std::string svg = plots::timeline_svg({loiter_demo()}, {}, {"loiter"});
  CHECK(xml_problem(svg).empty());
  const auto lines = with_class(svg, "path", "completion");
  REQUIRE(lines.size() == 1);
  CHECK(!lines[0].attrs.count("stroke-dasharray"));  // only simulated: solid
  const double x0 = x_at(svg, 0), x1 = x_at(svg, 1);
  const double y0 = ytick_y(svg, "0"), y1 = ytick_y(svg, "1");
  // Completions at 0 (job 0), 1, 2, 3, 5 s: counts 1, 2, 3, 4, 5.
  const auto pts = corners(lines[0].attrs.at("d"));
  const std::vector<std::pair<double, double>> expected = {
      {0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 2}, {2, 2}, {2, 3}, {3, 3}, {3, 4}, {5, 4}, {5, 5}};
  REQUIRE(pts.size() == expected.size());
  for (std::size_t i = 0; i < pts.size(); ++i) {
    INFO("corner " << i);
    CHECK(pts[i].first == Approx(x0 + expected[i].first * (x1 - x0)).margin(0.02));
    CHECK(pts[i].second == Approx(y0 + expected[i].second * (y1 - y0)).margin(0.02));
  }
  const auto bounds = with_class(svg, "line", "lower-bound");
  REQUIRE(bounds.size() == 1);
  CHECK(bounds[0].num("x1") == Approx(x0 + 4 * (x1 - x0)).margin(0.02));
  CHECK(svg.find("time since start (s)") != std::string::npos);
  CHECK(svg.find("completed downloads") != std::string::npos);
  for (const auto& clash : overlapping_text(svg))
    FAIL_CHECK(clash);
}

TEST_CASE("simulated lines are dashed and live lines solid when both are given") {
  model::StrategyResult live = loiter_demo();
  live.live = true;
  for (auto& d : live.downloads)
    d.end += std::chrono::milliseconds(30);
  const std::string svg =
      plots::timeline_svg({loiter_demo(), flags_like(20, 4)}, {live}, {"loiter"});
  CHECK(xml_problem(svg).empty());
  const auto lines = with_class(svg, "path", "completion");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].attrs.at("data-source") == "sim");
  CHECK(lines[0].attrs.count("stroke-dasharray") == 1);
  CHECK(lines[2].attrs.at("data-source") == "live");
  CHECK(lines[2].attrs.count("stroke-dasharray") == 0);
  CHECK(lines[2].attrs.at("stroke") == lines[0].attrs.at("stroke"));  // same strategy, same colour
  CHECK(lines[1].attrs.at("stroke") != lines[0].attrs.at("stroke"));
  CHECK(svg.find(">pool (sim)</text>") != std::string::npos);
  CHECK(svg.find(">pool (live)</text>") != std::string::npos);
  for (const auto& clash : overlapping_text(svg))
    FAIL_CHECK(clash);
}

TEST_CASE("a timeline of many downloads ends at the total count") {
  const model::StrategyResult r = synthetic(20'000, 50);
  const std::string svg = plots::timeline_svg({r}, {}, {"big"});
  CHECK(xml_problem(svg).empty());
  const auto lines = with_class(svg, "path", "completion");
  REQUIRE(lines.size() == 1);
  const auto pts = corners(lines[0].attrs.at("d"));
  const double y0 = ytick_y(svg, "0");
  const double y5k = ytick_y(svg, "5000");
  CHECK(pts.back().second == Approx(y0 + 4 * (y5k - y0)).margin(0.1));
  CHECK(svg.size() < 100'000);
}

TEST_CASE("timelines are deterministic and survive empty input") {
  CHECK(plots::timeline_svg({loiter_demo()}, {}, {"x"}) ==
        plots::timeline_svg({loiter_demo()}, {}, {"x"}));
  CHECK(xml_problem(plots::timeline_svg({}, {}, {"none"})).empty());
}

TEST_CASE("a line hidden under an identical one is named in the legend") {
  model::StrategyResult twin = loiter_demo();
  twin.name = "twin";
  const std::string svg = plots::timeline_svg({loiter_demo(), twin}, {}, {"loiter"});
  CHECK(svg.find(">twin (same as pool)</text>") != std::string::npos);
  CHECK(svg.find(">lower bound</text>") != std::string::npos);  // one shared marker
  CHECK(with_class(svg, "line", "lower-bound").size() == 1);
}

TEST_CASE("timeline: each line's end is labelled with its strategy and makespan, apart") {
  auto a = loiter_demo();
  a.name = "first";
  auto b = loiter_demo();  // ends exactly where the first does
  b.name = "second";
  const std::string svg = plots::timeline_svg({a, b}, {}, {"loiter"});
  const auto labels = with_class(svg, "text", "end-label");
  REQUIRE(labels.size() == 2);
  CHECK(labels[0].text == "first \u00b7 5.00 s");
  CHECK(labels[1].text == "second \u00b7 5.00 s");
  CHECK(labels[0].num("y") != labels[1].num("y"));
  for (const auto& clash : overlapping_text(svg))
    FAIL_CHECK(clash);
}
