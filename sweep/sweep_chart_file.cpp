// sweep.svg: the sweep's series, x ticks and recommendation marks, drawn by plots/.
#include "sweep/sweep_file_parts.hpp"

#include <algorithm>
#include <cmath>

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

}  // namespace

std::string sweep_svg(const SweepMeta& meta, const std::vector<PointStats>& stats,
                      const std::vector<Recommendation>& recs) {
  // One series per strategy and combination of the other axes' values.
  const std::size_t others = meta.point_count() / meta.axes.front().values.size();
  auto series_of = [&](const PointStats& ps) { return ps.strategy * others + ps.point % others; };
  std::vector<plots::SweepSeries> series(meta.strategies.size() * others);
  for (std::size_t s = 0; s < meta.strategies.size(); ++s) {
    for (std::size_t o = 0; o < others; ++o) {
      std::string label = meta.strategies[s];
      const auto c = meta.coordinates(o);
      for (std::size_t i = 1; i < meta.axes.size(); ++i)
        label += ", " + meta.axes[i].key + " = " + meta.axes[i].labels[c[i]];
      series[s * others + o].label = label;
      series[s * others + o].color = s;
      series[s * others + o].dash = o;
    }
  }
  auto value = [](const Estimate& e) {
    const double h = e.has_interval() ? e.half_width : 0;
    return plots::SweepValue{e.mean, e.mean - h, e.mean + h};
  };
  for (const PointStats& ps : stats) {
    plots::SweepPoint p;
    p.x = meta.axes.front().values[meta.coordinates(ps.point).front()];
    p.makespan_s = value(ps.makespan_s);
    p.throughput_per_s = value(ps.throughput_per_s);
    p.lower_bound_s = ps.lower_bound_s;
    series[series_of(ps)].points.push_back(p);
  }
  series.erase(std::remove_if(series.begin(), series.end(),
                              [](const plots::SweepSeries& s) { return s.points.empty(); }),
               series.end());

  plots::SweepChartInfo info;
  info.scenario = meta.scenario;
  info.x_label = meta.axes.front().key;
  info.log_x = meta.axes.front().geometric;
  info.x_ticks = x_ticks(meta.axes.front());
  info.subtitle = fmt::format("{} replication{} per point \u00b7 seeds derived from {}",
                              meta.replications, meta.replications == 1 ? "" : "s", meta.seed);
  if (!meta.shard.whole())
    info.subtitle += fmt::format(" \u00b7 shard {}/{} only", meta.shard.index, meta.shard.count);
  for (const Recommendation& r : recs) {
    if (!axis_changes(meta, 0, r.strategy)) continue;  // its setting is not on the x axis
    const std::size_t wanted = series_of(*r.chosen);
    std::size_t index = 0;
    for (std::size_t s = 0, kept = 0; s < meta.strategies.size() * others; ++s) {
      // the series kept after erasing empty ones, in the same order
      const bool has = std::any_of(stats.begin(), stats.end(),
                                   [&](const PointStats& ps) { return series_of(ps) == s; });
      if (s == wanted) index = kept;
      if (has) ++kept;
    }
    const auto c = meta.coordinates(r.chosen->point);
    info.marks.push_back({index, meta.axes.front().values[c.front()],
                          (recs.size() > 1 ? meta.strategies[r.strategy] : "recommended") + ": " +
                              meta.axes.front().labels[c.front()]});
  }
  return plots::sweep_chart_svg(series, info);
}

}  // namespace sweep
