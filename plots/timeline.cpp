// Completion timeline SVG: completed downloads (or consumed results) against time, one step line
// per strategy, simulated (dashed) and live (solid) overlaid, lower bounds marked.
#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <vector>

#include "plots/axis.hpp"
#include "plots/labels.hpp"
#include "plots/legend.hpp"
#include "plots/palette.hpp"
#include "plots/plots.hpp"
#include "plots/svg.hpp"
#include "plots/text.hpp"

namespace plots {
namespace {

constexpr double kWidth = 960;
constexpr double kLeft = 72;
constexpr double kRight = kWidth - 28;
constexpr double kPlotHeight = 360;
constexpr double kFont = 11;
constexpr std::size_t kExactSteps = 4000;  // above this, one step per pixel column

struct Series {
  const model::StrategyResult* result;
  std::string color;
  bool live;
  std::string dash;  // past the distinct colours, repeated colours are dashed
};

std::vector<Series> all_series(const std::vector<model::StrategyResult>& sim,
                               const std::vector<model::StrategyResult>& live) {
  std::vector<Series> series;
  for (std::size_t i = 0; i < sim.size(); ++i) {
    series.push_back({&sim[i], std::string(series_color(i)), false, std::string(series_dash(i))});
  }
  std::size_t next = sim.size();
  for (const auto& r : live) {
    const auto twin =
        std::find_if(sim.begin(), sim.end(), [&](const auto& s) { return s.name == r.name; });
    const std::size_t index =
        twin != sim.end() ? static_cast<std::size_t>(twin - sim.begin()) : next++;
    series.push_back({&r, std::string(series_color(index)), true, std::string(series_dash(index))});
  }
  return series;
}

// A vertical lower-bound marker; strategies sharing one bound share one grey marker.
struct BoundMarker {
  double seconds;
  std::string color;
  std::string strategy;  // "" when shared by all
};

std::vector<BoundMarker> bound_markers(const std::vector<Series>& series, bool live) {
  std::vector<BoundMarker> markers;
  for (const auto& s : series) {
    if (s.live != live || s.result->summary.lower_bound.count() <= 0) continue;
    markers.push_back({sim::to_seconds(s.result->summary.lower_bound), s.color, s.result->name});
  }
  const bool shared =
      markers.size() > 1 && std::all_of(markers.begin(), markers.end(), [&](const BoundMarker& m) {
        return m.seconds == markers.front().seconds;
      });
  if (shared) markers = {{markers.front().seconds, "#555", ""}};
  return markers;
}

std::string series_label(const Series& s, bool both) {
  std::string label = s.result->name.empty() ? s.result->kind : s.result->name;
  if (both || s.live) label += s.live ? " (live)" : " (sim)";
  return label;
}

// When each download finished (or its result was consumed), in time order.
std::vector<sim::Time> completion_times(const model::StrategyResult& r, bool consumed) {
  std::vector<sim::Time> ends;
  ends.reserve(r.downloads.size());
  for (const auto& d : r.downloads)
    ends.push_back(consumed ? d.consumed : d.end);
  std::sort(ends.begin(), ends.end());
  return ends;
}

// The step path of completions; exact below kExactSteps, else sampled per pixel column.
std::string completion_path(const std::vector<sim::Time>& ends, const LinearScale& x,
                            const LinearScale& y) {
  std::string d = fmt::format("M{} {}", num(x(0)), num(y(0)));
  auto o = std::back_inserter(d);
  if (ends.size() <= kExactSteps) {
    for (std::size_t i = 0; i < ends.size(); ++i) {
      if (i + 1 < ends.size() && ends[i + 1] == ends[i]) continue;
      fmt::format_to(o, "H{}V{}", num(x(sim::to_seconds(ends[i]))),
                     num(y(static_cast<double>(i + 1))));
    }
    return d;
  }
  std::size_t done = 0;
  for (int column = 1; done < ends.size(); ++column) {
    const double px = x.r0 + column;
    std::size_t now = ends.size();
    if (px < x.r1) {
      const sim::Time t = sim::from_seconds(x.d0 + (px - x.r0) / x.per_unit());
      now = static_cast<std::size_t>(std::upper_bound(ends.begin(), ends.end(), t) - ends.begin());
    }
    if (now == done) continue;
    done = now;
    fmt::format_to(o, "H{}V{}", num(std::min(px, x.r1), 1), num(y(static_cast<double>(done)), 1));
  }
  return d;
}

// Each line's end labelled with its strategy and makespan, right of where it ends; labels that
// would cover one another are pushed down until they do not.
void draw_end_labels(std::string& out, const std::vector<Series>& series,
                     const std::vector<std::vector<sim::Time>>& ends, bool both,
                     const LinearScale& x, const LinearScale& y) {
  struct Box {
    double x0, x1, y;
  };
  std::vector<Box> placed;
  std::vector<std::size_t> order(series.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  const auto end_x = [&](std::size_t i) {
    return ends[i].empty() ? x(0) : x(sim::to_seconds(ends[i].back()));
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return end_x(a) < end_x(b); });
  for (std::size_t i : order) {
    const Series& s = series[i];
    const std::string label = series_label(s, both) + " \u00b7 " +
                              seconds_label(sim::to_seconds(s.result->summary.makespan));
    const double w = text_width(label, kFont);
    const double ex = end_x(i);
    double x0 = ex + 5;
    if (x0 + w > kWidth - 4) x0 = kWidth - 4 - w;
    double ly = y(static_cast<double>(ends[i].size())) + 4 + kFont;
    for (bool moved = true; moved;) {
      moved = false;
      for (const Box& b : placed) {
        if (x0 < b.x1 + 2 && b.x0 < x0 + w + 2 && std::abs(ly - b.y) < kFont + 3) {
          ly = b.y + kFont + 3;
          moved = true;
        }
      }
    }
    placed.push_back({x0, x0 + w, ly});
    fmt::format_to(
        std::back_inserter(out),
        "<text class=\"end-label\" data-strategy=\"{}\" x=\"{}\" y=\"{}\" "
        "font-size=\"{}\" text-anchor=\"start\" fill=\"{}\" stroke=\"#fff\" "
        "stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text>\n",
        xml_escape(s.result->name), num(x0), num(ly), num(kFont, 1), s.color, xml_escape(label));
  }
}

}  // namespace

std::string timeline_svg(const std::vector<model::StrategyResult>& sim,
                         const std::vector<model::StrategyResult>& live, const ChartInfo& info) {
  const std::vector<Series> series = all_series(sim, live);
  const bool both = !sim.empty() && !live.empty();
  sim::Time t_end{0};
  std::size_t most = 0;
  for (const auto& s : series) {
    most = std::max(most, s.result->downloads.size());
    t_end = std::max(t_end, s.result->summary.lower_bound);
    for (const auto& d : s.result->downloads)
      t_end = std::max({t_end, d.end, info.consumed ? d.consumed : d.end});
  }

  // A line hidden under an identical earlier one says so in the legend.
  std::vector<LegendItem> legend;
  std::vector<std::vector<sim::Time>> ends;
  for (std::size_t i = 0; i < series.size(); ++i) {
    ends.push_back(completion_times(*series[i].result, info.consumed));
    std::string label = series_label(series[i], both);
    for (std::size_t j = 0; j < i; ++j) {
      if (ends[j] == ends[i] && series[j].live == series[i].live) {
        label += " (same as " + series_label(series[j], both) + ")";
        break;
      }
    }
    legend.push_back({LegendItem::Swatch::line, series[i].color, label,
                      both && !series[i].live ? "6 4" : series[i].dash});
  }
  const std::vector<BoundMarker> bounds = bound_markers(series, sim.empty());
  if (!bounds.empty()) {
    const bool shared = bounds.size() == 1;
    legend.push_back({LegendItem::Swatch::line, shared ? bounds[0].color : "#555",
                      shared ? "lower bound" : "lower bound (strategy colour)", "1.5 3"});
  }

  std::string body;
  const std::string title = (info.scenario.empty() ? std::string("loiter") : info.scenario) +
                            (info.consumed ? " \u2014 results consumed by the caller over time"
                                           : " \u2014 completed downloads over time");
  const double top = draw_chart_header(body, title, info.subtitle, legend, kWidth - 24) + 30;
  const double bottom = top + kPlotHeight;

  Ticks xt;
  for (int intervals = 8;; --intervals) {
    xt = nice_ticks(sim::to_seconds(t_end) * 1.02, intervals);
    double widest = 0;
    for (double v : xt.values)
      widest = std::max(widest, text_width(tick_label(v, xt.decimals), kFont));
    if ((kRight - kLeft) / (static_cast<double>(xt.values.size()) - 1) >= widest + 12 ||
        intervals <= 2)
      break;
  }
  const Ticks yt = nice_ticks(static_cast<double>(std::max<std::size_t>(most, 1)), 8, 1);
  const LinearScale x{0, xt.max, kLeft, kRight};
  const LinearScale y{0, yt.max, bottom, top};

  auto o = std::back_inserter(body);
  svg_text(body, kLeft, top - 10, info.consumed ? "results consumed" : "completed downloads",
           {.size = 12, .fill = "#333"});
  fmt::format_to(o, "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#F7F7F7\"/>\n",
                 num(kLeft), num(top), num(kRight - kLeft), num(kPlotHeight));
  for (double v : xt.values) {
    fmt::format_to(
        o,
        "<line class=\"tick\" data-t=\"{0}\" x1=\"{1}\" y1=\"{2}\" x2=\"{1}\" y2=\"{3}\" "
        "stroke=\"#DDD\"/>\n",
        tick_label(v, xt.decimals), num(x(v)), num(top), num(bottom + 4));
    svg_text(body, x(v), bottom + 17, tick_label(v, xt.decimals),
             {.size = kFont, .anchor = "middle", .fill = "#333"});
  }
  for (double v : yt.values) {
    fmt::format_to(
        o,
        "<line class=\"ytick\" data-n=\"{0}\" x1=\"{1}\" y1=\"{3}\" x2=\"{2}\" y2=\"{3}\" "
        "stroke=\"#DDD\"/>\n",
        tick_label(v, yt.decimals), num(kLeft - 4), num(kRight), num(y(v)));
    svg_text(body, kLeft - 7, y(v) + 4, tick_label(v, yt.decimals),
             {.size = kFont, .anchor = "end", .fill = "#333"});
  }
  fmt::format_to(o, "<path d=\"M{0} {1}V{2}H{3}\" fill=\"none\" stroke=\"#555\"/>\n", num(kLeft),
                 num(top), num(bottom), num(kRight));
  svg_text(body, (kLeft + kRight) / 2, bottom + 36, "time since start (s)",
           {.size = 12, .anchor = "middle", .fill = "#333"});

  for (const BoundMarker& b : bounds) {
    const double bx = x(b.seconds);
    fmt::format_to(o,
                   "<line class=\"lower-bound\" data-strategy=\"{0}\" x1=\"{1}\" y1=\"{2}\" "
                   "x2=\"{1}\" y2=\"{3}\" stroke=\"{4}\" stroke-width=\"1.5\" "
                   "stroke-dasharray=\"1.5 3\"/>\n"
                   "<path d=\"M{5} {2}h8l-4 7z\" fill=\"{4}\"/>\n",
                   xml_escape(b.strategy), num(bx), num(top), num(bottom), b.color, num(bx - 4));
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    const Series& s = series[i];
    fmt::format_to(o,
                   "<path class=\"completion\" data-strategy=\"{}\" data-source=\"{}\" "
                   "fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{} d=\"{}\"/>\n",
                   xml_escape(s.result->name), s.live ? "live" : "sim", s.color, 2,
                   both && !s.live  ? std::string(" stroke-dasharray=\"6 4\"")
                   : s.dash.empty() ? std::string()
                                    : fmt::format(" stroke-dasharray=\"{}\"", s.dash),
                   completion_path(ends[i], x, y));
  }

  draw_end_labels(body, series, ends, both, x, y);

  return svg_document(kWidth, bottom + 50, body);
}

}  // namespace plots
