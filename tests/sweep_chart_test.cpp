// Tests for plots/sweep_chart: the sweep SVG.
#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "plots/sweep_chart.hpp"
#include "plots/text.hpp"

namespace {

plots::SweepSeries curve(const std::string& label, double band, std::size_t color) {
  plots::SweepSeries s;
  s.label = label;
  s.color = color;
  for (double x : {64.0, 1.0, 4.0, 16.0, 2.0, 8.0, 32.0}) {  // any order
    const double m = 1 + 16 / x;
    s.points.push_back({x, {m, m - band, m + band}, {20 / m, 20 / m - band, 20 / m + band}, 1.0});
  }
  return s;
}

std::vector<double> xs_of(const std::string& svg, const std::string& css) {
  // the x coordinates of the first path of this class
  const auto at = svg.find("class=\"" + css + "\"");
  const auto d = svg.find(" d=\"", at) + 4;
  const std::string path = svg.substr(d, svg.find('"', d) - d);
  std::vector<double> xs;
  static const std::regex point("[ML]([0-9.]+) ");
  for (std::sregex_iterator it(path.begin(), path.end(), point), end; it != end; ++it)
    xs.push_back(std::stod((*it)[1]));
  return xs;
}

}  // namespace

TEST_CASE("the sweep chart: log x, bands, lower bound, marks, deterministic", "[sweep][chart]") {
  plots::SweepChartInfo info;
  info.scenario = "demo";
  info.x_label = "strategy.pool.workers";
  info.log_x = true;
  for (double x : {1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0})
    info.x_ticks.push_back({x, std::to_string(static_cast<int>(x))});
  info.marks.push_back({0, 16, "recommended: 16"});
  const std::vector<plots::SweepSeries> series = {curve("pool", 0.1, 0), curve("async", 0, 1)};
  const std::string svg = plots::sweep_chart_svg(series, info);
  CHECK(svg == plots::sweep_chart_svg(series, info));
  CHECK(svg.starts_with("<?xml"));
  CHECK(svg.find("</svg>") != std::string::npos);

  // Points are drawn by x, evenly spaced on a log axis for a geometric range.
  const auto xs = xs_of(svg, "makespan");
  REQUIRE(xs.size() == 7);
  for (std::size_t i = 2; i < xs.size(); ++i)
    CHECK(xs[i] - xs[i - 1] == Approx(xs[1] - xs[0]).margin(0.02));

  // A band only where there is an interval; one shared lower bound; the mark and its label.
  CHECK(svg.find("class=\"band\" data-series=\"pool\"") != std::string::npos);
  CHECK(svg.find("class=\"band\" data-series=\"async\"") == std::string::npos);
  CHECK(std::count(svg.begin(), svg.end(), '\n') > 20);
  std::size_t bounds = 0;
  for (auto p = svg.find("class=\"lower-bound\""); p != std::string::npos;
       p = svg.find("class=\"lower-bound\"", p + 1))
    ++bounds;
  CHECK(bounds == 1);
  CHECK(svg.find("class=\"mark\"") != std::string::npos);
  CHECK(svg.find(">recommended: 16</text>") != std::string::npos);
  CHECK(svg.find("(log scale)") != std::string::npos);
}

TEST_CASE("x tick labels that would overlap are left out", "[sweep][chart]") {
  plots::SweepChartInfo info;
  info.x_label = "network.rtt";
  for (int i = 0; i <= 200; ++i)
    info.x_ticks.push_back({i * 0.001, std::to_string(i) + "ms"});
  plots::SweepSeries s;
  s.label = "x";
  s.points.push_back({0.0, {1, 1, 1}, {1, 1, 1}, -1});
  s.points.push_back({0.2, {2, 2, 2}, {1, 1, 1}, -1});
  const std::string svg = plots::sweep_chart_svg({s}, info);
  // Tick labels of the two panels: each label's box clears the next one.
  static const std::regex label(
      "<text x=\"([0-9.]+)\" y=\"([0-9.]+)\" font-size=\"11\" "
      "text-anchor=\"middle\" fill=\"#333\">([0-9]+ms)</text>");
  std::map<std::string, std::vector<std::pair<double, std::string>>> rows;
  for (std::sregex_iterator it(svg.begin(), svg.end(), label), end; it != end; ++it)
    rows[(*it)[2]].push_back({std::stod((*it)[1]), (*it)[3]});
  REQUIRE(rows.size() == 2);
  for (const auto& [y, labels] : rows) {
    CHECK(labels.size() > 3);
    CHECK(labels.size() < 60);
    for (std::size_t i = 1; i < labels.size(); ++i) {
      const double gap = labels[i].first - labels[i - 1].first;
      CHECK(gap > (plots::text_width(labels[i].second, 11) +
                   plots::text_width(labels[i - 1].second, 11)) /
                      2);
    }
  }
  CHECK(svg.find("class=\"lower-bound\"") == std::string::npos);  // none given
}
