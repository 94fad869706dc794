// Tests for plots/sweep_chart: the sweep SVG, for one key and as small multiples for more.
#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>
#include <string>

#include "model/scenario_load.hpp"
#include "plots/sweep_chart.hpp"
#include "plots/text.hpp"
#include "sweep/sweep_files.hpp"
#include "sweep/sweep_run.hpp"

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

namespace {

// sweep.svg of flags20 swept over `vary`, two replications per point; the text report in
// `report` when given.
std::string flags20_sweep_svg(const std::vector<std::string>& vary,
                              const std::vector<std::string>& only = {},
                              std::string* report = nullptr) {
  const model::Scenario s =
      model::load_scenario(std::string(LOITER_SOURCE_DIR) + "/scenarios/flags20.toml");
  sweep::SweepMeta m;
  m.scenario = s.name;
  m.scenario_path = s.source_path;
  m.seed = s.seed;
  m.replications = 2;
  for (const auto& v : vary)
    m.axes.push_back(sweep::parse_axis(s, v));
  m.strategies = sweep::sweep_strategies(s, m.axes, only);
  m.varied = sweep::varied_strategies(s, m.axes, m.strategies);
  const auto outputs = sweep::sweep_outputs(m, sweep::run_sweep(s, m, {2, false}));
  if (report) *report = outputs.report;
  for (const auto& [name, text] : outputs.files)
    if (name == "sweep.svg") return text;
  FAIL("no sweep.svg");
  return "";
}

// What a reader sees of one panel: its title, the full lines and faint ones by strategy, the
// heights of its grid lines below its title.
struct PanelView {
  std::string title;
  std::multiset<std::string> lines, faint;
  std::vector<double> grid;
  std::string note;
};

std::vector<PanelView> panels_of(const std::string& svg) {
  std::vector<PanelView> panels;
  static const std::regex title(
      "class=\"panel-title\" x=\"[0-9.]+\" y=\"([0-9.]+)\"[^>]*>([^<]*)</text>");
  static const std::regex line("class=\"makespan\" data-series=\"([^\"]*)\"");
  static const std::regex faint("class=\"context\" data-series=\"([^\"]*)\"");
  static const std::regex note("class=\"panel-note\"[^>]*>([^<]*)</text>");
  static const std::regex grid("class=\"ytick\" x1=\"[0-9.]+\" y1=\"([0-9.]+)\"");
  for (auto at = svg.find("<g class=\"panel\""); at != std::string::npos;
       at = svg.find("<g class=\"panel\"", at + 1)) {
    const std::string g = svg.substr(at, svg.find("</g>", at) - at);
    PanelView p;
    std::smatch m;
    REQUIRE(std::regex_search(g, m, title));
    const double title_y = std::stod(m[1]);
    for (std::sregex_iterator it(g.begin(), g.end(), title), end; it != end; ++it)
      p.title += (p.title.empty() ? "" : " ") + (*it)[2].str();  // lines of a long title
    if (std::regex_search(g, m, note)) p.note = m[1];
    for (std::sregex_iterator it(g.begin(), g.end(), line), end; it != end; ++it)
      p.lines.insert((*it)[1]);
    for (std::sregex_iterator it(g.begin(), g.end(), faint), end; it != end; ++it)
      p.faint.insert((*it)[1]);
    for (std::sregex_iterator it(g.begin(), g.end(), grid), end; it != end; ++it)
      p.grid.push_back(std::stod((*it)[1]) - title_y);
    panels.push_back(p);
  }
  return panels;
}

std::size_t count_of(const std::string& svg, const std::string& what) {
  std::size_t n = 0;
  for (auto p = svg.find(what); p != std::string::npos; p = svg.find(what, p + 1))
    ++n;
  return n;
}

// Every path of the class, whole.
std::vector<std::string> paths_of(const std::string& svg, const std::string& css) {
  std::vector<std::string> paths;
  for (auto p = svg.find("<path class=\"" + css + "\""); p != std::string::npos;
       p = svg.find("<path class=\"" + css + "\"", p + 1))
    paths.push_back(svg.substr(p, svg.find("/>", p) - p));
  return paths;
}

}  // namespace

TEST_CASE("two keys: a panel per value of the second; a strategy it does not change, once",
          "[sweep][chart]") {
  std::string report;
  const std::string svg = flags20_sweep_svg(
      {"strategy.threads-20.workers=1,4,16", "strategy.async.max_concurrency=1,5,20"}, {}, &report);
  CHECK(svg == flags20_sweep_svg({"strategy.threads-20.workers=1,4,16",
                                  "strategy.async.max_concurrency=1,5,20"}));
  const std::vector<PanelView> panels = panels_of(svg);
  REQUIRE(panels.size() == 4);
  REQUIRE(!panels[0].grid.empty());
  // threads-20 does not depend on the async strategy's setting: one panel of its own, first.
  CHECK(panels[0].title == "any strategy.async.max_concurrency");
  CHECK(panels[0].lines == std::multiset<std::string>{"threads-20"});
  CHECK(count_of(svg, "class=\"makespan\" data-series=\"threads-20\"") == 1);
  const std::vector<std::string> titles = {"strategy.async.max_concurrency = 1",
                                           "strategy.async.max_concurrency = 5",
                                           "strategy.async.max_concurrency = 20"};
  for (std::size_t i = 1; i < panels.size(); ++i) {
    CHECK(panels[i].title == titles[i - 1]);
    CHECK(panels[i].lines == std::multiset<std::string>{"async"});
    // ... and faint in the others, so that each panel still compares the two.
    CHECK(panels[i].faint == std::multiset<std::string>{"threads-20", "threads-20"});
    REQUIRE(panels[i].grid.size() == panels[0].grid.size());  // one y axis for all panels
    for (std::size_t g = 0; g < panels[0].grid.size(); ++g)
      CHECK(panels[i].grid[g] == Approx(panels[0].grid[g]).margin(0.02));
  }
  // The legend says which key changes what.
  CHECK(svg.find("threads-20 (not changed by strategy.async.max_concurrency: drawn once, in "
                 "the first panel)") != std::string::npos);
  CHECK(svg.find("async (flat: not changed by strategy.threads-20.workers)") != std::string::npos);
  // The lower bound is dashed in every panel; no strategy line is.
  CHECK(paths_of(svg, "lower-bound").size() >= panels.size());
  for (const std::string& p : paths_of(svg, "lower-bound"))
    CHECK(p.find("stroke-dasharray=\"5 4\"") != std::string::npos);
  for (const char* css : {"makespan", "throughput", "context"}) {
    REQUIRE(!paths_of(svg, css).empty());
    for (const std::string& p : paths_of(svg, css))
      CHECK(p.find("stroke-dasharray") == std::string::npos);
  }
  // The recommendation of each strategy is marked where it is: threads-20's on its line,
  // async's (a panel's setting, not on the x axis) by the title of that panel.
  CHECK(count_of(svg, "class=\"mark\"") == 2);
  CHECK(svg.find(">threads-20: ") != std::string::npos);
  const auto line = report.find("recommended for async: ");
  REQUIRE(line != std::string::npos);
  const std::string chosen = report.substr(line + 23, report.find(" (", line) - line - 23);
  std::size_t noted = 0;
  for (const PanelView& p : panels) {
    if (p.note.empty()) continue;
    ++noted;
    CHECK(p.title == chosen);
    CHECK(p.note == "recommended for async");
  }
  CHECK(noted == 1);
}

TEST_CASE("two keys that change every strategy: no panel is left out, none drawn once",
          "[sweep][chart]") {
  const std::string svg = flags20_sweep_svg(
      {"strategy.threads-20.workers=1,4,16", "network.rtt=50ms,200ms"}, {"threads-20", "async"});
  const std::vector<PanelView> panels = panels_of(svg);
  REQUIRE(panels.size() == 2);
  CHECK(panels[0].title == "network.rtt = 50ms");
  CHECK(panels[1].title == "network.rtt = 200ms");
  for (const PanelView& p : panels) {
    CHECK(p.lines == std::multiset<std::string>{"threads-20", "async"});
    CHECK(p.faint.empty());
  }
  CHECK(svg.find("async (flat: not changed by strategy.threads-20.workers)") != std::string::npos);
  CHECK(svg.find("threads-20 (") == std::string::npos);  // changed by both keys
}

TEST_CASE("three keys: a panel per combination of the second and third", "[sweep][chart]") {
  const std::string svg = flags20_sweep_svg(
      {"strategy.threads-20.workers=1,8", "network.rtt=50ms,200ms", "client.thread_start=0,20ms"},
      {"threads-20"});
  const std::vector<PanelView> panels = panels_of(svg);
  REQUIRE(panels.size() == 4);
  CHECK(panels[0].title == "network.rtt = 50ms, client.thread_start = 0s");
  CHECK(panels[3].title == "network.rtt = 200ms, client.thread_start = 20ms");
  CHECK(svg.find("a panel per network.rtt, client.thread_start") != std::string::npos);
}
