// Large runs: density bands keep the Gantt small and readable; the timeline stays small too.
#include <catch2/catch.hpp>
#include <cmath>
#include <utility>
#include <vector>

#include "plots/plots.hpp"
#include "plots_support.hpp"

using namespace plots_test;

TEST_CASE("a million downloads on 1000 lanes: Gantt under 5 MB, banded, valid XML") {
  const model::StrategyResult big = synthetic(1'000'000, 1000);
  const std::string svg = plots::gantt_svg({big}, {"large"});
  CHECK(svg.size() < 5'000'000);
  CHECK(xml_problem(svg).empty());
  CHECK(with_class(svg, "rect", "bar").empty());
  CHECK(with_class(svg, "rect", "band").size() == 50);
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
  CHECK(with_class(svg, "rect", "band").size() == 50);
  CHECK(svg.find("40 lanes per band") != std::string::npos);
}

namespace {

// Area enclosed by a path of M, H, V and Z commands (shoelace formula).
double path_area(const std::string& d) {
  std::vector<std::pair<double, double>> pts;
  double x = 0, y = 0;
  std::size_t i = 0;
  while (i < d.size()) {
    const char cmd = d[i++];
    if (cmd == 'Z') continue;
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
  double twice = 0;
  for (std::size_t k = 0; k < pts.size(); ++k) {
    const auto& [x1, y1] = pts[k];
    const auto& [x2, y2] = pts[(k + 1) % pts.size()];
    twice += x1 * y2 - x2 * y1;
  }
  return std::abs(twice) / 2;
}

}  // namespace

TEST_CASE("density bands stack the share of lane time in each phase") {
  // 300 lanes (bands of 6): every lane transfers for the first 5 s of a 10 s axis, so each
  // band's transfer area fills half of the band, and nothing else is drawn.
  model::StrategyResult r;
  r.name = "async";
  r.kind = "async";
  r.lanes = 300;
  for (std::uint32_t i = 0; i < 301; ++i) {
    model::Outcome o;
    o.id = i;
    o.name = "f";
    o.lane = static_cast<int>(i % 300);
    o.span_begin = static_cast<std::uint32_t>(r.spans.size());
    if (i < 300) {
      o.end = sim::from_seconds(5);
      o.span_count = 1;
      r.spans.push_back({i, 0, model::Phase::transfer, sim::Time{0}, o.end});
    } else {  // a download that took no time, at 10 s: sets the axis
      o.start = o.end = sim::from_seconds(10);
    }
    o.consumed = o.end;
    r.downloads.push_back(o);
  }
  const std::string svg = plots::gantt_svg({r}, {"half"});
  CHECK(xml_problem(svg).empty());
  const auto bands = with_class(svg, "rect", "band");
  REQUIRE(bands.size() == 50);
  const double band_h = bands[0].num("height");
  const double plot_w = bands[0].num("width");
  const auto areas = with_class(svg, "path", "density");
  REQUIRE(areas.size() == 50);
  for (const Element& a : areas) {
    CHECK(a.attrs.at("data-phase") == "transfer");
    CHECK(path_area(a.attrs.at("d")) == Approx((band_h - 1) * plot_w / 2).epsilon(0.01));
  }
}
