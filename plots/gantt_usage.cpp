// The usage strips of a Gantt panel: how much of each shared resource past the lanes (the
// server's workers, the CPU slots, the link) was in use over time, drawn under the lanes.
// Workers and CPU slots count the spans of the phase that holds them (at most their number);
// the link adds up the body bytes of each answer spread evenly over its transfer span (the mean
// over the makespan is then the explanation's figure).
#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>
#include <vector>

#include "plots/gantt_parts.hpp"
#include "plots/palette.hpp"
#include "plots/text.hpp"

namespace plots {
namespace {

bool drawn(const model::Constraint& k) {
  return k.holds != model::Phase::queued && k.amount > 0 && k.busy >= 0;
}

// (time, change in use): a slot (1) or, for the link, an answer's bytes per second.
std::vector<std::pair<sim::Time, double>> use_edges(const model::StrategyResult& r,
                                                    const model::Constraint& k) {
  const bool link = k.holds == model::Phase::transfer;
  std::vector<std::pair<sim::Time, double>> edges;
  for (const model::Outcome& d : r.downloads) {
    for (std::uint32_t i = d.span_begin; i < d.span_begin + d.span_count; ++i) {
      const model::PhaseSpan& s = r.spans[i];
      if (s.phase != k.holds || s.end <= s.start) continue;
      double use = 1;
      if (link) {  // the bytes counted are the last attempt's: the download's body
        if (s.attempt + 1 != d.attempts || d.bytes <= 0) continue;
        use = static_cast<double>(d.bytes) / sim::to_seconds(s.end - s.start);
      }
      edges.emplace_back(s.start, use);
      edges.emplace_back(s.end, -use);
    }
  }
  std::sort(edges.begin(), edges.end());
  return edges;
}

// Per 1-px column of [left, right): the share of the resource in use, 0..1, averaged over the
// column's time.
std::vector<double> column_use(const model::StrategyResult& r, const model::Constraint& k,
                               const LinearScale& x, double left, double right) {
  const auto cols = static_cast<std::size_t>(std::max(1.0, std::ceil(right - left)));
  std::vector<double> used(cols, 0.0);
  const double t0 = (left - x.r0) / x.per_unit() + x.d0;  // seconds at the left edge
  const double per_col = 1 / x.per_unit();                // seconds per column
  const auto edges = use_edges(r, k);
  double level = 0;
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    level += edges[i].second;
    const double a = sim::to_seconds(edges[i].first), b = sim::to_seconds(edges[i + 1].first);
    if (b <= a || level <= 1e-9) continue;
    const double share = std::min(level, k.amount) / k.amount;
    const double ca = (a - t0) / per_col, cb = (b - t0) / per_col;  // in columns
    const auto first = static_cast<std::size_t>(std::clamp(std::floor(ca), 0.0, cols - 1.0));
    const auto last = static_cast<std::size_t>(std::clamp(std::floor(cb), 0.0, cols - 1.0));
    for (std::size_t c = first; c <= last; ++c) {
      const double lo = std::max(ca, static_cast<double>(c));
      const double hi = std::min(cb, static_cast<double>(c + 1));
      if (hi > lo) used[c] += share * (hi - lo);
    }
  }
  for (double& u : used)
    u = std::min(1.0, u);
  return used;
}

std::string strip_label(const model::Constraint& k) {
  const char* word = k.holds == model::Phase::service ? "workers"
                     : k.holds == model::Phase::cpu   ? "CPU"
                                                      : "link";
  return fmt::format("{} {:.0f}%", word, 100 * k.busy);
}

}  // namespace

int usage_strip_count(const model::StrategyResult& r) {
  return static_cast<int>(
      std::count_if(r.explanation.constraints.begin(), r.explanation.constraints.end(), drawn));
}

void draw_usage_strips(std::string& out, const model::StrategyResult& r, const LinearScale& x,
                       double left, double right, double top, double height, double gap) {
  auto o = std::back_inserter(out);
  for (const model::Constraint& k : r.explanation.constraints) {
    if (!drawn(k)) continue;
    const std::vector<double> used = column_use(r, k, x, left, right);
    fmt::format_to(o,
                   "<rect class=\"usage-strip\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
                   "fill=\"#F7F7F7\"/>\n",
                   num(left), num(top), num(right - left), num(height));
    const double base = top + height;
    std::string d = fmt::format("M{} {}", num(left, 1), num(base, 1));
    double level = base;
    for (std::size_t c = 0; c < used.size(); ++c) {
      const double y = std::round((base - used[c] * height) * 10) / 10;
      if (y == level) continue;
      fmt::format_to(std::back_inserter(d), "H{}V{}", num(left + static_cast<double>(c), 1),
                     num(y, 1));
      level = y;
    }
    fmt::format_to(std::back_inserter(d), "H{}V{}Z", num(right, 1), num(base, 1));
    fmt::format_to(o,
                   "<path class=\"usage\" data-resource=\"{}\" data-capacity=\"{}\" "
                   "data-busy=\"{:.3f}\" fill=\"{}\" stroke=\"#777\" stroke-width=\"0.6\" "
                   "d=\"{}\"/>\n",
                   xml_escape(k.name), xml_escape(k.capacity), k.busy, phase_color(k.holds), d);
    svg_text(out, left - 8, top + height / 2 + 3.5, strip_label(k),
             {.size = 10, .anchor = "end", .fill = "#444"});
    top += height + gap;
  }
}

}  // namespace plots
