// Gantt SVG: geometry follows the data (loiter demo), failures, escaping, stacks, determinism.
#include <fmt/format.h>
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

namespace {

// The strip's height in use at pixel column x, read off its path "M.. ..H x V y ... Z" (y grows
// down from the strip's top): 0 at its base, 1 at its top.
double strip_level(const Element& path, const Element& strip, double x) {
  const std::string& d = path.attrs.at("d");
  const double base = strip.num("y") + strip.num("height");
  double level = base;
  for (std::size_t i = d.find('H'); i != std::string::npos; i = d.find('H', i + 1)) {
    const std::size_t v = d.find('V', i);
    if (std::stod(d.substr(i + 1, v - i - 1)) > x) break;
    level = std::stod(d.substr(v + 1));
  }
  return (base - level) / strip.num("height");
}

}  // namespace

TEST_CASE("usage strips under the lanes show the server's workers and the link in use") {
  // Two server workers: d0 in service 0-1 s, d1 0-2 s; then d2 moves 1000 bytes 2-4 s over a
  // link carrying 1000 B/s. Workers: both busy to 1 s, one to 2 s, none after (busy 3/8 over
  // the 4 s makespan); the link: half used 2-4 s (busy 1/4).
  model::StrategyResult r;
  r.name = "pool";
  r.kind = "pool";
  r.lanes = 3;
  const double spans[3][2] = {{0, 1}, {0, 2}, {2, 4}};
  for (std::uint32_t i = 0; i < 3; ++i) {
    model::Outcome o;
    o.id = i;
    o.name = fmt::format("d{}", i);
    o.lane = static_cast<int>(i);
    o.attempts = 1;
    o.bytes = i == 2 ? 1000 : 0;
    o.end = sim::from_seconds(spans[i][1]);
    o.consumed = o.end;
    o.span_begin = i;
    o.span_count = 1;
    r.downloads.push_back(o);
    r.spans.push_back({i, 0, i == 2 ? model::Phase::transfer : model::Phase::service,
                       sim::from_seconds(spans[i][0]), sim::from_seconds(spans[i][1])});
  }
  r.summary.makespan = sim::from_seconds(4);
  r.explanation.constraints = {
      {"lanes", "3 threads", 1.0, 0.0},
      {"server workers", "2 workers", 0.375, 0.0, model::Phase::service, 2},
      {"link", "8 kbit/s", 0.25, -1, model::Phase::transfer, 1000},
      {"client pool", "10 connections", -1, 0.0}};  // measured as waiting only: no strip

  const std::string svg = plots::gantt_svg({r}, {"usage"});
  CHECK(xml_problem(svg).empty());
  const Axis axis = axis_of(svg);
  const auto strips = with_class(svg, "rect", "usage-strip");
  const auto paths = with_class(svg, "path", "usage");
  REQUIRE(strips.size() == 2);
  REQUIRE(paths.size() == 2);
  CHECK(paths[0].attrs.at("data-resource") == "server workers");
  CHECK(paths[1].attrs.at("data-resource") == "link");
  CHECK(strips[0].num("y") > with_class(svg, "rect", "lane").back().num("y"));  // under lanes
  const double workers[][2] = {{0.5, 1}, {1.5, 0.5}, {3, 0}};
  for (const auto& [t, level] : workers)
    CHECK(strip_level(paths[0], strips[0], axis.at(t)) == Approx(level).margin(0.01));
  const double link[][2] = {{1, 0}, {3, 0.5}};
  for (const auto& [t, level] : link)
    CHECK(strip_level(paths[1], strips[1], axis.at(t)) == Approx(level).margin(0.01));
  // Averaged over the makespan, each strip gives the explanation's figure.
  for (int k = 0; k < 2; ++k) {
    double sum = 0;
    const int n = 400;
    for (int i = 0; i < n; ++i)
      sum += strip_level(paths[static_cast<std::size_t>(k)], strips[static_cast<std::size_t>(k)],
                         axis.at(4.0 * (i + 0.5) / n));
    CHECK(sum / n == Approx(k == 0 ? 0.375 : 0.25).margin(0.01));
  }
  CHECK(svg.find(">workers 38%<") != std::string::npos);
  CHECK(svg.find(">link 25%<") != std::string::npos);
  CHECK(svg.find("under the lanes: share of") != std::string::npos);
  // Without those resources, no strip and no legend line.
  r.explanation.constraints.resize(1);
  const std::string none = plots::gantt_svg({r}, {"usage"});
  CHECK(with_class(none, "path", "usage").empty());
  CHECK(none.find("under the lanes") == std::string::npos);
}
