// A sweep's outputs together: the three files and the text on stdout (table, then the
// recommendation).
#include "sweep/sweep_files.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sweep/sweep_file_parts.hpp"

namespace sweep {
namespace {

std::string what_if_axes(const SweepMeta& meta) {
  std::string keys;
  for (const SweepAxis& a : meta.axes)
    if (what_if_key(a.key)) keys += (keys.empty() ? "" : ", ") + a.key;
  return keys;
}

// Why there is no recommendation, and which strategy is fastest at each what-if point.
std::string what_if_text(const SweepMeta& meta, const std::vector<PointStats>& stats) {
  const std::string keys = what_if_axes(meta);
  const bool mixed = std::any_of(meta.axes.begin(), meta.axes.end(),
                                 [](const SweepAxis& a) { return !what_if_key(a.key); });
  std::string out =
      fmt::format("no recommendation: {} describe{} the environment (what-if, not a decision)",
                  keys, keys.find(',') == std::string::npos ? "s" : "");
  if (mixed) {
    out += "; to choose a client or strategy setting, sweep it at one value of " + keys;
  }
  out += "\n";
  if (mixed || meta.strategies.size() < 2) return out;
  for (std::size_t i = 0; i < stats.size();) {
    const PointStats* fastest = &stats[i];
    const std::size_t point = stats[i].point;
    for (; i < stats.size() && stats[i].point == point; ++i)
      if (stats[i].makespan_s.mean < fastest->makespan_s.mean) fastest = &stats[i];
    out +=
        fmt::format("fastest at {}: {} ({})\n", meta.setting_text(point),
                    meta.strategies[fastest->strategy], seconds_with_interval(fastest->makespan_s));
  }
  return out;
}

std::string text_report(const SweepMeta& meta, const std::vector<PointStats>& stats,
                        const std::vector<Recommendation>& recs) {
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> head;
  for (const SweepAxis& a : meta.axes)
    head.push_back(a.key);
  for (const char* h :
       {"strategy", "makespan (95% CI)", "throughput/s", "p95 latency", "lower bound", "failed"})
    head.emplace_back(h);
  table.push_back(head);
  for (const PointStats& ps : stats) {
    std::vector<std::string> row;
    const auto c = meta.coordinates(ps.point);
    for (std::size_t i = 0; i < meta.axes.size(); ++i)
      row.push_back(meta.axes[i].labels[c[i]]);
    row.push_back(meta.strategies[ps.strategy]);
    row.push_back(seconds_with_interval(ps.makespan_s));
    row.push_back(fmt::format("{:.4g}", ps.throughput_per_s.mean));
    row.push_back(fmt::format("{:.3f} s", ps.p95_s.mean));
    row.push_back(fmt::format("{:.3f} s", ps.lower_bound_s));
    row.push_back(std::to_string(ps.failed));
    table.push_back(row);
  }
  std::vector<std::size_t> width(head.size(), 0);
  auto length = [](const std::string& s) {  // in characters, for the UTF-8 "±"
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  };
  for (const auto& row : table)
    for (std::size_t i = 0; i < row.size(); ++i)
      width[i] = std::max(width[i], length(row[i]));
  std::string out = fmt::format(
      "sweep of {} ({}): {} point{} x {} replication{}, seeds derived from {}\n", meta.scenario,
      meta.scenario_path, meta.point_count(), meta.point_count() == 1 ? "" : "s", meta.replications,
      meta.replications == 1 ? "" : "s", meta.seed);
  if (!meta.shard.whole())
    out +=
        fmt::format("shard {}/{}: points {}, {}, ... of {}\n", meta.shard.index, meta.shard.count,
                    meta.shard.index, meta.shard.index + meta.shard.count, meta.point_count());
  out += "\n";
  for (const auto& row : table) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - length(row[i]) + 2, ' ');
    }
    out += line + "\n";
  }
  out += "\n";
  if (!meta.shard.whole()) {
    out += fmt::format(
        "shard {}/{} done: combine the {} shard folders with 'loiter merge DIR... --out DIR' for "
        "the recommendation\n",
        meta.shard.index, meta.shard.count, meta.shard.count);
  } else if (!what_if_axes(meta).empty()) {
    out += what_if_text(meta, stats);
  } else if (recs.empty()) {
    out += "no recommendation: no strategy run depends on the varied keys\n";
  } else {
    for (const Recommendation& r : recs)
      out += recommendation_line(meta, r) + "\n";
  }
  return out;
}

}  // namespace

SweepOutputs sweep_outputs(const SweepMeta& meta, const std::vector<SweepRow>& rows) {
  const std::vector<PointStats> stats = point_stats(meta, rows);
  const std::vector<Recommendation> recs =
      meta.shard.whole() ? recommend(meta, stats) : std::vector<Recommendation>{};
  SweepOutputs out;
  out.files = {{"sweep.csv", sweep_csv(meta, rows)},
               {"sweep.json", sweep_json(meta, stats, recs)},
               {"sweep.svg", sweep_svg(meta, rows, stats, recs)}};
  out.report = text_report(meta, stats, recs);
  return out;
}

}  // namespace sweep
