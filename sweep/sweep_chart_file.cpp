// sweep.svg: the sweep's series, x ticks and recommendation marks, drawn by plots/: one chart
// for one key; for more, a panel per combination of the other keys' values, where a strategy
// those keys do not change is drawn once.
#include "sweep/sweep_file_parts.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "plots/axis.hpp"
#include "plots/sweep_chart.hpp"

namespace sweep {
namespace {

using Kind = model::ScenarioKey::Kind;

model::ScenarioKey key_of(const SweepAxis& a) {
  model::ScenarioKey k;
  k.name = a.key;
  k.kind = a.kind;
  return k;
}

std::vector<plots::SweepTick> x_ticks(const SweepAxis& a) {
  std::vector<plots::SweepTick> ticks;
  const model::ScenarioKey k = key_of(a);
  if (a.values.size() <= 16) {
    for (std::size_t i = 0; i < a.values.size(); ++i)
      ticks.push_back({a.values[i], a.labels[i]});
    return ticks;
  }
  const double lo = *std::min_element(a.values.begin(), a.values.end());
  const double hi = *std::max_element(a.values.begin(), a.values.end());
  if (a.geometric) {
    for (int e = static_cast<int>(std::floor(std::log10(lo))); std::pow(10.0, e) <= hi * 1.0001;
         ++e) {
      for (double m : {1.0, 2.0, 5.0}) {
        const double v = m * std::pow(10.0, e);
        if (v >= lo * 0.9999 && v <= hi * 1.0001)
          ticks.push_back({v, model::format_key_value(k, v)});
      }
    }
    return ticks;
  }
  const plots::Ticks t = plots::nice_ticks(hi, 8, a.kind == Kind::count ? 1 : 0);
  for (double v : t.values) {
    ticks.push_back(
        {v, a.kind == Kind::count || a.kind == Kind::probability || a.kind == Kind::factor
                ? plots::tick_label(v, t.decimals)
                : model::format_key_value(k, v)});
  }
  return ticks;
}

plots::SweepValue value(const Estimate& e) {
  const double h = e.has_interval() ? e.half_width : 0;
  return plots::SweepValue{e.mean, e.mean - h, e.mean + h};
}

plots::SweepPoint point_of(const SweepMeta& meta, const PointStats& ps) {
  plots::SweepPoint p;
  p.x = meta.axes.front().values[meta.coordinates(ps.point).front()];
  p.makespan_s = value(ps.makespan_s);
  p.throughput_per_s = value(ps.throughput_per_s);
  p.lower_bound_s = ps.lower_bound_s;
  return p;
}

plots::SweepChartInfo chart_info(const SweepMeta& meta) {
  plots::SweepChartInfo info;
  info.scenario = meta.scenario;
  info.x_label = meta.axes.front().key;
  info.log_x = meta.axes.front().geometric;
  info.x_ticks = x_ticks(meta.axes.front());
  info.subtitle = fmt::format("{} replication{} per point \u00b7 seeds derived from {}",
                              meta.replications, meta.replications == 1 ? "" : "s", meta.seed);
  if (!meta.shard.whole())
    info.subtitle += fmt::format(" \u00b7 shard {}/{} only", meta.shard.index, meta.shard.count);
  return info;
}

plots::SweepMark mark_of(const SweepMeta& meta, const std::vector<Recommendation>& recs,
                         const Recommendation& r, std::size_t series) {
  const auto c = meta.coordinates(r.chosen->point);
  return {series, meta.axes.front().values[c.front()],
          (recs.size() > 1 ? meta.strategies[r.strategy] : "recommended") + ": " +
              meta.axes.front().labels[c.front()]};
}

bool same_results(const SweepRow& a, const SweepRow& b) {
  return a.makespan_ns == b.makespan_ns && a.throughput_per_s == b.throughput_per_s &&
         a.p95_ns == b.p95_ns && a.lower_bound_ns == b.lower_bound_ns &&
         a.downloads == b.downloads && a.ok == b.ok && a.failed == b.failed;
}

// Whether the strategy's runs are the same, replication by replication, at every point of each
// group (group(point) names it), and at least two points of one group were compared. Common
// random numbers make this exact when the setting does not matter.
template <typename Group>
bool same_within(const std::vector<SweepRow>& rows, std::size_t strategy, Group group) {
  std::map<std::pair<std::size_t, int>, const SweepRow*> first;
  bool compared = false;
  for (const SweepRow& r : rows) {
    if (r.strategy != strategy) continue;
    const auto [at, fresh] = first.emplace(std::pair{group(r.point), r.replication}, &r);
    if (fresh) continue;
    if (!same_results(*at->second, r)) return false;
    compared = true;
  }
  return compared;
}

// Two keys or more: a panel per combination of the values of the keys after the first, and
// first, when there are any, a panel of the strategies those keys do not change, drawn once
// (and faint in the other panels, so that every panel still compares them).
std::string panels_svg(const SweepMeta& meta, const std::vector<SweepRow>& rows,
                       const std::vector<PointStats>& stats,
                       const std::vector<Recommendation>& recs) {
  const std::size_t others = meta.point_count() / meta.axes.front().values.size();
  std::string keys;
  for (std::size_t i = 1; i < meta.axes.size(); ++i)
    keys += (i > 1 ? ", " : "") + meta.axes[i].key;
  const std::size_t n = meta.strategies.size();
  std::vector<bool> once(n), flat(n);
  for (std::size_t s = 0; s < n; ++s) {
    once[s] = same_within(rows, s, [&](std::size_t p) { return p / others; });  // the x value
    flat[s] = same_within(rows, s, [&](std::size_t p) { return p % others; });  // the panel
  }
  const bool any_once = std::find(once.begin(), once.end(), true) != once.end();

  plots::SweepPanels chart;
  chart.panel_keys = keys;
  const std::string x_key = meta.axes.front().key;
  for (std::size_t s = 0; s < n; ++s) {
    std::string text = meta.strategies[s];
    if (once[s] && flat[s])
      text += " (changed by no swept key: drawn once, in the first panel)";
    else if (once[s])
      text += " (not changed by " + keys + ": drawn once, in the first panel)";
    else if (flat[s])
      text += " (flat: not changed by " + x_key + ")";
    chart.legend.push_back({text, s});
  }
  chart.context_legend = "faint: the first panel's lines, repeated for comparison";

  std::vector<plots::SweepSeries> drawn_once(n);
  std::vector<std::vector<plots::SweepSeries>> by_panel(others, std::vector<plots::SweepSeries>(n));
  std::set<std::pair<std::size_t, std::size_t>> seen;  // (strategy, x index) drawn once
  for (const PointStats& ps : stats) {
    plots::SweepSeries& series =
        once[ps.strategy] ? drawn_once[ps.strategy] : by_panel[ps.point % others][ps.strategy];
    if (once[ps.strategy] && !seen.emplace(ps.strategy, ps.point / others).second)
      continue;  // the same runs as at the first panel's point
    series.points.push_back(point_of(meta, ps));
  }
  auto label_all = [&](std::vector<plots::SweepSeries>& list) {
    for (std::size_t s = 0; s < n; ++s) {
      list[s].label = meta.strategies[s];
      list[s].color = s;
    }
    list.erase(std::remove_if(list.begin(), list.end(),
                              [](const plots::SweepSeries& x) { return x.points.empty(); }),
               list.end());
  };
  label_all(drawn_once);
  std::vector<std::size_t> panel_of(others);  // index in chart.panels, or none
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  const bool once_panel = any_once && !drawn_once.empty();
  if (once_panel) chart.panels.push_back({"any " + keys, drawn_once, {}, {}, ""});
  for (std::size_t o = 0; o < others; ++o) {
    label_all(by_panel[o]);
    panel_of[o] = kNone;
    if (by_panel[o].empty()) continue;  // another shard's points, or all drawn once
    std::string title;
    const auto c = meta.coordinates(o);
    for (std::size_t i = 1; i < meta.axes.size(); ++i)
      title += (i > 1 ? ", " : "") + meta.axes[i].key + " = " + meta.axes[i].labels[c[i]];
    panel_of[o] = chart.panels.size();
    chart.panels.push_back({title, by_panel[o], drawn_once, {}, ""});
  }
  for (const Recommendation& r : recs) {
    const std::size_t at =
        once[r.strategy] ? (once_panel ? 0 : kNone) : panel_of[r.chosen->point % others];
    if (at == kNone) continue;
    plots::SweepPanel& panel = chart.panels[at];
    if (!axis_changes(meta, 0, r.strategy)) {  // its setting is the panel's, not on the x axis
      const std::string what = recs.size() > 1 ? "for " + meta.strategies[r.strategy] : "";
      panel.note += panel.note.empty() ? "recommended " + what : ", " + what;
      continue;
    }
    const auto series =
        std::find_if(panel.series.begin(), panel.series.end(),
                     [&](const plots::SweepSeries& x) { return x.color == r.strategy; });
    if (series == panel.series.end()) continue;
    panel.marks.push_back(
        mark_of(meta, recs, r, static_cast<std::size_t>(series - panel.series.begin())));
  }
  return plots::sweep_panels_svg(chart, chart_info(meta));
}

}  // namespace

std::string sweep_svg(const SweepMeta& meta, const std::vector<SweepRow>& rows,
                      const std::vector<PointStats>& stats,
                      const std::vector<Recommendation>& recs) {
  if (meta.axes.size() > 1) return panels_svg(meta, rows, stats, recs);
  // One key: one series per strategy.
  std::vector<plots::SweepSeries> series(meta.strategies.size());
  for (std::size_t s = 0; s < series.size(); ++s) {
    series[s].label = meta.strategies[s];
    series[s].color = s;
  }
  for (const PointStats& ps : stats)
    series[ps.strategy].points.push_back(point_of(meta, ps));
  std::vector<std::size_t> index(series.size());  // after the empty ones are left out
  for (std::size_t s = 0, kept = 0; s < series.size(); ++s) {
    index[s] = kept;
    if (!series[s].points.empty()) ++kept;
  }
  series.erase(std::remove_if(series.begin(), series.end(),
                              [](const plots::SweepSeries& s) { return s.points.empty(); }),
               series.end());
  plots::SweepChartInfo info = chart_info(meta);
  for (const Recommendation& r : recs) {
    if (!axis_changes(meta, 0, r.strategy)) continue;  // its setting is not on the x axis
    info.marks.push_back(mark_of(meta, recs, r, index[r.strategy]));
  }
  return plots::sweep_chart_svg(series, info);
}

}  // namespace sweep
