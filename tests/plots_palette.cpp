// Colours and failure marks: distinct series colours, connect apart from backoff, failures that
// keep their status and stay apart when adjacent.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <set>
#include <string>

#include "plots/palette.hpp"
#include "plots/plots.hpp"
#include "plots_support.hpp"

using namespace plots_test;

namespace {

int channel(std::string_view hex, int i) {
  return std::stoi(std::string(hex.substr(1 + 2 * i, 2)), nullptr, 16);
}

int distance(std::string_view a, std::string_view b) {
  int d = 0;
  for (int i = 0; i < 3; ++i)
    d += std::abs(channel(a, i) - channel(b, i));
  return d;
}

}  // namespace

TEST_CASE("palette: 13 distinct series colours, then the colours repeat dashed") {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < plots::kSeriesColors; ++i) {
    seen.insert(std::string(plots::series_color(i)));
    CHECK(plots::series_dash(i).empty());
  }
  CHECK(seen.size() == plots::kSeriesColors);
  CHECK(seen.size() > 8);
  CHECK_FALSE(plots::series_dash(plots::kSeriesColors).empty());
}

TEST_CASE("palette: connect and backoff are far apart, as are server queue and service") {
  using model::Phase;
  CHECK(distance(plots::phase_color(Phase::connect), plots::phase_color(Phase::backoff)) > 200);
  CHECK(distance(plots::phase_color(Phase::server_queue), plots::phase_color(Phase::service)) >
        100);
}

TEST_CASE("palette: the wait for a pooled connection stands apart from the other waits") {
  using model::Phase;
  const auto pool = plots::phase_color(Phase::pool);
  for (const Phase p : plots::kPhases) {
    if (p == Phase::pool) continue;
    INFO(model::to_string(p));
    CHECK(distance(pool, plots::phase_color(p)) > 100);
  }
  CHECK(plots::kPhases[2] == Phase::pool);  // legend order: after queued and rate_limit
}

TEST_CASE("palette: the wait for the client's rate limit stands apart from the other phases") {
  using model::Phase;
  const auto token = plots::phase_color(Phase::rate_limit);
  for (const Phase p : plots::kPhases) {
    if (p == Phase::rate_limit) continue;
    INFO(model::to_string(p));
    CHECK(distance(token, plots::phase_color(p)) > 100);
  }
  CHECK(plots::kPhases[1] == Phase::rate_limit);  // legend order: the first wait of an attempt
}

TEST_CASE("gantt: adjacent failures keep a white hairline between them and show their status") {
  auto r = synthetic(6, 1);
  for (auto& d : r.downloads) {
    d.status = model::Status::error;
    d.http_status = 503;
  }
  const std::string svg = plots::gantt_svg({r}, {"failures"});
  const auto bars = with_class(svg, "rect", "failed");
  const auto gaps = with_class(svg, "line", "gap");
  REQUIRE(bars.size() == 6);
  REQUIRE(gaps.size() == 6);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    CHECK(gaps[i].num("x1") == Approx(bars[i].num("x")));
    CHECK(gaps[i].attrs.at("stroke") == "#fff");
  }
  int labelled = 0;
  for (const auto& t : with_class(svg, "text", "label"))
    labelled += t.text.find("503") != std::string::npos ? 1 : 0;
  CHECK(labelled == 6);
}
