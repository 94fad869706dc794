// The sweep chart (see sweep_chart.hpp): two panels on a shared x axis, makespan (with the
// lower bound) above throughput.
#include "plots/sweep_chart.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>

#include "plots/axis.hpp"
#include "plots/legend.hpp"
#include "plots/palette.hpp"
#include "plots/svg.hpp"
#include "plots/text.hpp"

namespace plots {
namespace {

constexpr double kWidth = 960;
constexpr double kLeft = 72;
constexpr double kRight = kWidth - 28;
constexpr double kMakespanHeight = 300;
constexpr double kThroughputHeight = 190;
constexpr double kPanelGap = 62;  // tick labels, then the next panel's title
constexpr double kFont = 11;
constexpr const char* kBoundColor = "#555";
constexpr std::array<const char*, 5> kDashes = {"", "8 4", "2 3", "10 3 2 3", "4 4"};

std::string dash_of(std::size_t i) {
  return kDashes[i % kDashes.size()];
}

std::vector<SweepPoint> by_x(std::vector<SweepPoint> points) {
  std::stable_sort(points.begin(), points.end(),
                   [](const SweepPoint& a, const SweepPoint& b) { return a.x < b.x; });
  return points;
}

// The x axis: linear, or linear in log10(x).
struct XAxis {
  bool log = false;
  LinearScale scale;
  double operator()(double x) const { return scale(log ? std::log10(x) : x); }
};

XAxis x_axis(const std::vector<std::vector<SweepPoint>>& series, const SweepChartInfo& info) {
  XAxis ax;
  ax.log = info.log_x;
  double lo = 0, hi = 0;
  bool any = false;
  auto see = [&](double x) {
    if (ax.log && !(x > 0)) return;
    const double v = ax.log ? std::log10(x) : x;
    lo = any ? std::min(lo, v) : v;
    hi = any ? std::max(hi, v) : v;
    any = true;
  };
  for (const auto& s : series)
    for (const SweepPoint& p : s)
      see(p.x);
  for (const SweepTick& t : info.x_ticks)
    see(t.x);
  if (!any) hi = 1;
  const double span = hi - lo;
  const double pad = span > 0 ? span * 0.03 : (ax.log ? 0.5 : std::max(std::abs(hi) * 0.5, 1.0));
  ax.scale = {lo - pad, hi + pad, kLeft, kRight};
  return ax;
}

struct Panel {
  double top = 0;
  double height = 0;
  std::string title;  // over the y axis
  Ticks ticks;
  LinearScale y;
};

Panel panel(double top, double height, std::string title, double max_value) {
  Panel p;
  p.top = top;
  p.height = height;
  p.title = std::move(title);
  p.ticks = nice_ticks(max_value * 1.02, height > 250 ? 8 : 5);
  p.y = {0, p.ticks.max, top + height, top};
  return p;
}

void draw_frame(std::string& out, const Panel& p, const XAxis& x, const SweepChartInfo& info) {
  auto o = std::back_inserter(out);
  const double bottom = p.top + p.height;
  svg_text(out, kLeft, p.top - 10, p.title, {.size = 12, .fill = "#333"});
  fmt::format_to(o, "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#F7F7F7\"/>\n",
                 num(kLeft), num(p.top), num(kRight - kLeft), num(p.height));
  for (double v : p.ticks.values) {
    fmt::format_to(o,
                   "<line class=\"ytick\" x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" "
                   "stroke=\"#DDD\"/>\n",
                   num(kLeft - 4), num(kRight), num(p.y(v)));
    svg_text(out, kLeft - 7, p.y(v) + 4, tick_label(v, p.ticks.decimals),
             {.size = kFont, .anchor = "end", .fill = "#333"});
  }
  std::vector<SweepTick> ticks = info.x_ticks;
  std::stable_sort(ticks.begin(), ticks.end(),
                   [](const SweepTick& a, const SweepTick& b) { return a.x < b.x; });
  double last_right = -1e9;
  for (const SweepTick& t : ticks) {
    if (x.log && !(t.x > 0)) continue;
    const double px = x(t.x);
    if (px < kLeft - 0.5 || px > kRight + 0.5) continue;
    fmt::format_to(o,
                   "<line class=\"xtick\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" "
                   "stroke=\"#DDD\"/>\n",
                   num(px), num(p.top), num(bottom + 4));
    const double w = text_width(t.label, kFont);
    if (px - w / 2 < last_right + 6) continue;  // would overlap the previous label
    last_right = px + w / 2;
    svg_text(out, px, bottom + 17, t.label, {.size = kFont, .anchor = "middle", .fill = "#333"});
  }
  fmt::format_to(o, "<path d=\"M{0} {1}V{2}H{3}\" fill=\"none\" stroke=\"#555\"/>\n", num(kLeft),
                 num(p.top), num(bottom), num(kRight));
}

std::string line_path(const std::vector<SweepPoint>& pts, const XAxis& x, const LinearScale& y,
                      double SweepValue::*field, const SweepValue SweepPoint::*metric) {
  std::string d;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    d += fmt::format("{}{} {}", i ? "L" : "M", num(x(pts[i].x)), num(y((pts[i].*metric).*field)));
  }
  return d;
}

void draw_series(std::string& out, const std::vector<SweepPoint>& pts, const std::string& label,
                 const std::string& color, const std::string& dash, const XAxis& x, const Panel& p,
                 const SweepValue SweepPoint::*metric, const char* css) {
  if (pts.empty()) return;
  auto o = std::back_inserter(out);
  const bool band = std::any_of(pts.begin(), pts.end(), [&](const SweepPoint& q) {
    return (q.*metric).low != (q.*metric).high;
  });
  if (band) {
    std::string d = line_path(pts, x, p.y, &SweepValue::high, metric);
    for (std::size_t i = pts.size(); i-- > 0;)
      d += fmt::format("L{} {}", num(x(pts[i].x)), num(p.y((pts[i].*metric).low)));
    if (pts.size() == 1) {  // a single point: a short bar
      const double px = x(pts[0].x);
      d = fmt::format("M{} {}H{}V{}H{}", num(px - 3), num(p.y((pts[0].*metric).high)), num(px + 3),
                      num(p.y((pts[0].*metric).low)), num(px - 3));
    }
    fmt::format_to(o,
                   "<path class=\"band\" data-series=\"{}\" d=\"{}Z\" fill=\"{}\" "
                   "fill-opacity=\"0.2\" stroke=\"none\"/>\n",
                   xml_escape(label), d, color);
  }
  fmt::format_to(o,
                 "<path class=\"{}\" data-series=\"{}\" d=\"{}\" fill=\"none\" stroke=\"{}\" "
                 "stroke-width=\"2\"{}/>\n",
                 css, xml_escape(label), line_path(pts, x, p.y, &SweepValue::mean, metric), color,
                 dash.empty() ? "" : fmt::format(" stroke-dasharray=\"{}\"", dash));
  for (const SweepPoint& q : pts) {
    fmt::format_to(o, "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{}\"/>\n", num(x(q.x)),
                   num(p.y((q.*metric).mean)), color);
  }
}

bool same_bounds(const std::vector<std::vector<SweepPoint>>& series) {
  for (const auto& s : series) {
    if (s.size() != series.front().size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i].x != series.front()[i].x || s[i].lower_bound_s != series.front()[i].lower_bound_s)
        return false;
    }
  }
  return true;
}

void draw_bound(std::string& out, const std::vector<SweepPoint>& pts, const std::string& color,
                const std::string& label, const XAxis& x, const Panel& p) {
  std::string d;
  for (const SweepPoint& q : pts) {
    if (q.lower_bound_s < 0) continue;
    d += fmt::format("{}{} {}", d.empty() ? "M" : "L", num(x(q.x)), num(p.y(q.lower_bound_s)));
  }
  if (d.empty()) return;
  if (pts.size() == 1)
    d += fmt::format("h{}M{} {}h-12", 6, num(x(pts[0].x) - 6), num(p.y(pts[0].lower_bound_s)));
  fmt::format_to(std::back_inserter(out),
                 "<path class=\"lower-bound\" data-series=\"{}\" d=\"{}\" fill=\"none\" "
                 "stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>\n",
                 xml_escape(label), d, color);
}

}  // namespace

std::string sweep_chart_svg(const std::vector<SweepSeries>& series, const SweepChartInfo& info) {
  std::vector<std::vector<SweepPoint>> pts;
  double max_makespan = 0, max_throughput = 0;
  bool any_bound = false;
  for (const SweepSeries& s : series) {
    pts.push_back(by_x(s.points));
    for (const SweepPoint& q : s.points) {
      max_makespan =
          std::max({max_makespan, q.makespan_s.high, q.makespan_s.mean, q.lower_bound_s});
      max_throughput = std::max({max_throughput, q.throughput_per_s.high, q.throughput_per_s.mean});
      any_bound = any_bound || q.lower_bound_s >= 0;
    }
  }
  const bool shared_bound = !pts.empty() && same_bounds(pts);
  auto color = [&](std::size_t i) { return std::string(series_color(series[i].color)); };
  auto dash = [&](std::size_t i) { return dash_of(series[i].dash); };

  std::vector<LegendItem> legend;
  for (std::size_t i = 0; i < series.size(); ++i)
    legend.push_back({LegendItem::Swatch::line, color(i), series[i].label, dash(i)});
  legend.push_back({LegendItem::Swatch::box, "#CCCCCC", "95% confidence band of the mean", ""});
  if (any_bound) {
    legend.push_back({LegendItem::Swatch::line, shared_bound ? kBoundColor : "#555",
                      shared_bound ? "lower bound (no schedule is faster)"
                                   : "lower bound (dashed, series colour)",
                      "5 4"});
  }
  if (!info.marks.empty())
    legend.push_back({LegendItem::Swatch::diamond, "#FFFFFF", "recommended", ""});

  std::string body;
  const std::string title = (info.scenario.empty() ? std::string("loiter") : info.scenario) +
                            " \u2014 sweep of " + info.x_label;
  svg_text(body, 12, 26, fit_text(title, 17, kWidth - 24), {.size = 17, .bold = true});
  double y0 = 34;
  if (!info.subtitle.empty()) {
    svg_text(body, 12, 50, fit_text(info.subtitle, 12, kWidth - 24), {.size = 12, .fill = "#555"});
    y0 = 58;
  }
  draw_legend(body, legend, 12, y0, kWidth - 24);
  const double top = y0 + legend_height(legend, kWidth - 24) + 30;

  const XAxis x = x_axis(pts, info);
  const Panel mk = panel(top, kMakespanHeight, "makespan (s), mean", max_makespan);
  const Panel tp = panel(top + kMakespanHeight + kPanelGap, kThroughputHeight,
                         "throughput (downloads/s), mean", max_throughput);
  draw_frame(body, mk, x, info);
  draw_frame(body, tp, x, info);
  const double bottom = tp.top + tp.height;
  svg_text(body, (kLeft + kRight) / 2, bottom + 36,
           info.x_label + (info.log_x ? " (log scale)" : ""),
           {.size = 12, .anchor = "middle", .fill = "#333"});

  auto o = std::back_inserter(body);
  // Recommended settings: a dotted line through both panels, under the curves.
  for (const SweepMark& m : info.marks) {
    if (x.log && !(m.x > 0)) continue;
    for (const Panel* p : {&mk, &tp}) {  // inside the panels, clear of the tick labels
      fmt::format_to(o,
                     "<line class=\"mark-line\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" "
                     "stroke=\"#888\" stroke-dasharray=\"2 3\"/>\n",
                     num(x(m.x)), num(p->top), num(p->top + p->height));
    }
  }
  if (shared_bound) {
    draw_bound(body, pts.front(), kBoundColor, "", x, mk);
  } else {
    for (std::size_t i = 0; i < pts.size(); ++i)
      draw_bound(body, pts[i], color(i), series[i].label, x, mk);
  }
  for (std::size_t i = 0; i < pts.size(); ++i) {
    draw_series(body, pts[i], series[i].label, color(i), dash(i), x, mk, &SweepPoint::makespan_s,
                "makespan");
    draw_series(body, pts[i], series[i].label, color(i), dash(i), x, tp,
                &SweepPoint::throughput_per_s, "throughput");
  }
  // Marks: a diamond on the point; its label above, moved up while it would cover another.
  struct Box {
    double left, right, baseline;
  };
  std::vector<Box> placed;
  for (const SweepMark& m : info.marks) {
    if (m.series >= pts.size() || (x.log && !(m.x > 0))) continue;
    const auto at = std::find_if(pts[m.series].begin(), pts[m.series].end(),
                                 [&](const SweepPoint& q) { return q.x == m.x; });
    if (at == pts[m.series].end()) continue;
    const double px = x(m.x), py = mk.y(at->makespan_s.mean);
    fmt::format_to(o,
                   "<path class=\"mark\" d=\"M{} {}l6 6l-6 6l-6 -6z\" fill=\"#FFF\" "
                   "stroke=\"{}\" stroke-width=\"2\"/>\n",
                   num(px), num(py - 6), color(m.series));
    const double w = text_width(m.label, kFont);
    const double lx = std::clamp(px, kLeft + w / 2 + 2, kRight - w / 2 - 2);
    double ly = std::max(py - 12, mk.top + 12);
    for (bool moved = true; moved;) {
      moved = false;
      for (const Box& b : placed) {
        if (lx - w / 2 < b.right + 4 && lx + w / 2 > b.left - 4 && std::abs(ly - b.baseline) < 14) {
          ly = b.baseline - 14;
          moved = true;
        }
      }
    }
    placed.push_back({lx - w / 2, lx + w / 2, ly});
    // A white halo keeps the label readable over lines and bands.
    fmt::format_to(o,
                   "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\" "
                   "font-weight=\"bold\" fill=\"#FFF\" stroke=\"#FFF\" stroke-width=\"3\" "
                   "stroke-linejoin=\"round\">{}</text>\n",
                   num(lx), num(ly), num(kFont, 1), xml_escape(m.label));
    svg_text(body, lx, ly, m.label,
             {.size = kFont, .anchor = "middle", .fill = "#000", .bold = true});
  }

  std::string out;
  svg_open(out, kWidth, bottom + 50);
  out += body;
  svg_close(out);
  return out;
}

}  // namespace plots
