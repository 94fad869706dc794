// Summary SVG: a bar per strategy as long as its makespan, split into phase shares and idle.
#include <catch2/catch.hpp>

#include "plots/plots.hpp"
#include "plots_support.hpp"

using namespace plots_test;

TEST_CASE("summary: the loiter demo's bar is its makespan, 10 s of sleep over 3 lanes x 5 s") {
  auto fast = loiter_demo();
  fast.name = "fast";
  auto slow = loiter_demo();
  slow.name = "slow";
  slow.summary.makespan *= 2;  // same work, twice as long: more idle
  const std::string svg = plots::summary_svg({fast, slow}, {"loiter"});
  CHECK(xml_problem(svg).empty());
  const auto shares = with_class(svg, "rect", "share");
  double width[2] = {0, 0};
  double sleep[2] = {0, 0}, idle[2] = {0, 0};
  int bar = -1;
  for (const Element& e : shares) {
    if (e.attrs.at("data-phase") == "sleep") ++bar;  // each bar starts with sleep here
    REQUIRE(bar >= 0);
    width[bar] += e.num("width");
    if (e.attrs.at("data-phase") == "sleep") sleep[bar] = e.num("data-share");
    if (e.attrs.at("data-phase") == "idle") idle[bar] = e.num("data-share");
  }
  REQUIRE(bar == 1);
  CHECK(sleep[0] == Approx(10.0 / 15).margin(1e-4));
  CHECK(idle[0] == Approx(5.0 / 15).margin(1e-4));
  CHECK(sleep[1] == Approx(10.0 / 30).margin(1e-4));
  CHECK(idle[1] == Approx(20.0 / 30).margin(1e-4));
  CHECK(width[1] == Approx(2 * width[0]).epsilon(1e-3));  // bars scale with the makespan
  CHECK(with_class(svg, "line", "lower-bound").size() == 2);
  for (const auto& clash : overlapping_text(svg))
    FAIL_CHECK(clash);
}

TEST_CASE("the pictures do not depend on the order downloads ended in") {
  // A run keeps each download's spans as it ends; the same downloads with their span groups
  // stored in reverse must draw the same bytes.
  const model::StrategyResult r = flags_like(60, 4, 3);
  model::StrategyResult reversed = r;
  reversed.spans.clear();
  for (std::size_t i = r.downloads.size(); i-- > 0;) {
    const model::Outcome& o = r.downloads[i];
    reversed.downloads[i].span_begin = static_cast<std::uint32_t>(reversed.spans.size());
    for (std::uint32_t k = 0; k < o.span_count; ++k)
      reversed.spans.push_back(r.spans[o.span_begin + k]);
  }
  CHECK(reversed.spans.front().download != r.spans.front().download);
  CHECK(plots::summary_svg({reversed}, {"order"}) == plots::summary_svg({r}, {"order"}));
  CHECK(plots::gantt_svg({reversed}, {"order"}) == plots::gantt_svg({r}, {"order"}));
  CHECK(plots::downloads_csv({reversed}) == plots::downloads_csv({r}));
}
