// Gantt SVG: geometry follows the data (loiter demo), failures, escaping, stacks, determinism.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "plots/plots.hpp"
#include "plots_support.hpp"

using namespace plots_test;

namespace {

// x of t seconds on the shared axis, from the first and last tick marks.
struct Axis {
  double x0, per_s;
  double at(double s) const { return x0 + s * per_s; }
};

Axis axis_of(const std::string& svg) {
  const auto ticks = with_class(svg, "line", "tick");
  REQUIRE(ticks.size() >= 2);
  REQUIRE(ticks.front().attrs.at("data-t") == "0");
  const double last = std::stod(ticks.back().attrs.at("data-t"));
  return {ticks.front().num("x1"), (ticks.back().num("x1") - ticks.front().num("x1")) / last};
}

const Element& by_id(const std::vector<Element>& es, int id) {
  const auto it = std::find_if(es.begin(), es.end(), [&](const Element& e) {
    return e.attrs.at("data-id") == std::to_string(id);
  });
  REQUIRE(it != es.end());
  return *it;
}

}  // namespace

TEST_CASE("the loiter Gantt is well-formed XML with one lane per worker") {
  const std::string svg = plots::gantt_svg({loiter_demo()}, {"loiter"});
  CHECK(xml_problem(svg).empty());
  CHECK(with_class(svg, "rect", "lane").size() == 3);
  CHECK(with_class(svg, "rect", "bar").size() == 5);
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("@font-face") == std::string::npos);
  CHECK(svg.find("font-family=\"sans-serif\"") != std::string::npos);
}

TEST_CASE("loiter bars sit where and as long as the simulated downloads") {
  const std::string svg = plots::gantt_svg({loiter_demo()}, {"loiter"});
  const Axis axis = axis_of(svg);
  const auto bars = with_class(svg, "rect", "bar");
  const double start[] = {0, 0, 0, 0, 1};
  const double end[] = {0, 1, 2, 3, 5};
  const int lane[] = {0, 1, 2, 0, 1};
  for (int id = 0; id < 5; ++id) {
    INFO("download " << id);
    const Element& bar = by_id(bars, id);
    CHECK(bar.attrs.at("data-lane") == std::to_string(lane[id]));
    CHECK(bar.num("x") == Approx(axis.at(start[id])).margin(0.02));
    const double expected = (end[id] - start[id]) * axis.per_s;
    CHECK(bar.num("width") == Approx(std::max(expected, 2.0)).margin(0.02));
  }
  // Zero-length job 0 still shows as a visible, filled mark.
  CHECK(by_id(bars, 0).num("width") >= 1.5);
  CHECK(by_id(bars, 0).attrs.at("fill") != "none");
  const auto instants = with_class(svg, "path", "instant");
  REQUIRE(instants.size() == 1);
  CHECK(instants[0].attrs.at("data-id") == "0");

  // Bars of one lane share a row; different lanes do not.
  CHECK(by_id(bars, 0).num("y") == by_id(bars, 3).num("y"));
  CHECK(by_id(bars, 1).num("y") == by_id(bars, 4).num("y"));
  std::set<double> rows;
  for (const Element& b : bars)
    rows.insert(b.num("y"));
  CHECK(rows.size() == 3);

  // The sleep phases fill the bars exactly.
  const auto phases = with_class(svg, "rect", "ph");
  CHECK(phases.size() == 4);  // job 0 has no length
  for (const Element& p : phases) {
    const int id = std::stoi(p.attrs.at("data-id"));
    CHECK(p.attrs.at("data-phase") == "sleep");
    CHECK(p.num("x") == Approx(axis.at(start[id])).margin(0.02));
    CHECK(p.num("width") == Approx((end[id] - start[id]) * axis.per_s).margin(0.02));
  }
}

TEST_CASE("consumption ticks mark when Executor.map handed each result over") {
  const std::string svg = plots::gantt_svg({loiter_demo()}, {"loiter"});
  const Axis axis = axis_of(svg);
  const auto ticks = with_class(svg, "line", "consumed");
  REQUIRE(ticks.size() == 5);
  const double consumed[] = {0, 1, 2, 3, 5};
  for (int id = 0; id < 5; ++id) {
    CHECK(by_id(ticks, id).num("x1") == Approx(axis.at(consumed[id])).margin(0.02));
  }
}

TEST_CASE("a result consumed after it finished shows its wait") {
  model::StrategyResult r = loiter_demo();
  r.downloads[1].consumed = sim::from_seconds(3);  // finished at 1, seen at 3
  const std::string svg = plots::gantt_svg({r}, {"loiter"});
  const Axis axis = axis_of(svg);
  const auto waits = with_class(svg, "line", "wait");
  REQUIRE(waits.size() == 1);
  CHECK(waits[0].num("x1") == Approx(axis.at(1)).margin(0.02));
  CHECK(waits[0].num("x2") == Approx(axis.at(3)).margin(0.02));
}

TEST_CASE("queued time is not drawn in a worker lane but in the waiting strip") {
  const std::string svg = plots::gantt_svg({loiter_demo()}, {"loiter"});
  for (const Element& p : with_class(svg, "rect", "ph"))
    CHECK(p.attrs.at("data-phase") != "queued");
  CHECK(with_class(svg, "path", "waiting").size() == 1);
  CHECK(svg.find("up to 1 waiting") != std::string::npos);
}

TEST_CASE("the time axis has round ticks in seconds and the lower bound is marked") {
  const std::string svg = plots::gantt_svg({loiter_demo()}, {"loiter"});
  std::vector<std::string> labels;
  for (const Element& t : with_class(svg, "line", "tick"))
    labels.push_back(t.attrs.at("data-t"));
  CHECK(labels == std::vector<std::string>{"0", "1", "2", "3", "4", "5"});
  CHECK(svg.find("time since start (s)") != std::string::npos);
  const auto bound = with_class(svg, "line", "lower-bound");
  REQUIRE(bound.size() == 1);
  CHECK(bound[0].num("x1") == Approx(axis_of(svg).at(4)).margin(0.02));
}

TEST_CASE("titles name the scenario and the strategy, the legend names the phases") {
  const std::string svg = plots::gantt_svg({loiter_demo()}, {"loiter", "seed 7"});
  CHECK(svg.find("loiter \u2014 downloads by lane") != std::string::npos);
  CHECK(svg.find("seed 7") != std::string::npos);
  CHECK(svg.find(">pool (3 threads, in order)</text>") != std::string::npos);
  CHECK(svg.find(">sleep</text>") != std::string::npos);
  CHECK(svg.find(">result consumed by caller</text>") != std::string::npos);
  CHECK(svg.find(">worker 2</text>") != std::string::npos);
}

TEST_CASE("failed downloads are hatched and show their status") {
  const std::string svg = plots::gantt_svg({flags_like(20, 20)}, {"flags20"});
  const auto failed = with_class(svg, "rect", "failed");
  REQUIRE(failed.size() == 1);  // download 16
  CHECK(failed[0].attrs.at("data-id") == "16");
  CHECK(failed[0].attrs.at("fill") == "url(#hatch)");
  CHECK(failed[0].attrs.at("data-status") == "not_found");
  bool labelled = false;
  for (const Element& t : with_class(svg, "text", "label"))
    labelled |= t.text.ends_with("404");
  CHECK(labelled);
}

TEST_CASE("names are escaped") {
  model::StrategyResult r = loiter_demo();
  r.name = "p<o>o&l";
  r.downloads[3].name = "<a href=\"x\">&'";
  r.downloads[4].name = std::string("bad\x01utf8\xff");
  const std::string svg = plots::gantt_svg({r}, {"a&b"});
  CHECK(xml_problem(svg).empty());
  CHECK(svg.find("&lt;a href=&quot;x&quot;&gt;&amp;&apos;") != std::string::npos);
}

TEST_CASE("20 flags on 20 workers: every bar labelled, no text overlaps") {
  const std::string svg = plots::gantt_svg({flags_like(20, 20)}, {"flags20"});
  CHECK(xml_problem(svg).empty());
  CHECK(with_class(svg, "rect", "lane").size() == 20);
  CHECK(with_class(svg, "text", "label").size() == 20);
  CHECK(overlapping_text(svg).empty());
  for (const auto& clash : overlapping_text(svg))
    FAIL_CHECK(clash);
}

TEST_CASE("2,000 downloads on 20 lanes: some labels, none overlapping") {
  const std::string svg = plots::gantt_svg({flags_like(2000, 20)}, {"flags2000"});
  CHECK(xml_problem(svg).empty());
  CHECK(with_class(svg, "rect", "bar").size() == 2000);
  const auto labels = with_class(svg, "text", "label");
  CHECK(labels.size() > 20);
  CHECK(labels.size() < 2000);
  for (const auto& clash : overlapping_text(svg))
    FAIL_CHECK(clash);
}

TEST_CASE("stacked strategies share one time axis when asked, however their makespans differ") {
  const std::vector<model::StrategyResult> runs = {flags_like(20, 1), flags_like(20, 4),
                                                   flags_like(20, 20)};
  plots::ChartInfo info{"flags20"};
  info.shared_axis = true;
  const std::string svg = plots::gantt_svg(runs, info);
  CHECK(xml_problem(svg).empty());
  CHECK(elements(svg, "g").size() >= 3);
  CHECK(with_class(svg, "text", "panel-title").size() == 3);
  // The same tick sits at the same x in every panel.
  std::map<std::string, std::set<double>> tick_x;
  for (const Element& t : with_class(svg, "line", "tick"))
    tick_x[t.attrs.at("data-t")].insert(t.num("x1"));
  CHECK(tick_x.size() >= 3);
  for (const auto& [label, xs] : tick_x)
    CHECK(xs.size() == 1);
  CHECK(with_class(svg, "rect", "lane").size() == 1 + 4 + 20);
  for (const auto& clash : overlapping_text(svg))
    FAIL_CHECK(clash);
}

TEST_CASE("the same results give the same bytes") {
  const std::vector<model::StrategyResult> runs = {loiter_demo(), flags_like(50, 5)};
  CHECK(plots::gantt_svg(runs, {"x"}) == plots::gantt_svg(runs, {"x"}));
}

TEST_CASE("empty input still makes a valid picture") {
  CHECK(xml_problem(plots::gantt_svg({}, {"nothing"})).empty());
  model::StrategyResult none;
  none.name = "pool";
  none.kind = "pool";
  none.lanes = 4;
  CHECK(xml_problem(plots::gantt_svg({none}, {"nothing"})).empty());
}

TEST_CASE("time a download holds its lane outside any phase is explained in the legend") {
  model::StrategyResult r = loiter_demo();
  CHECK(plots::gantt_svg({r}, {"loiter"}).find("no phase") == std::string::npos);
  r.spans.back().end = sim::from_seconds(2);  // job 4 sleeps 1..2 s but holds worker 1 until 5 s
  CHECK(plots::gantt_svg({r}, {"loiter"}).find("no phase") != std::string::npos);
}
