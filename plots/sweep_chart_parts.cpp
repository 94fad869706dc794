// The pieces of the sweep charts (see sweep_chart_parts.hpp).
#include "plots/sweep_chart_parts.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <iterator>

#include "plots/palette.hpp"
#include "plots/text.hpp"

namespace plots::sweep_parts {

std::vector<SweepPoint> by_x(std::vector<SweepPoint> points) {
  std::stable_sort(points.begin(), points.end(),
                   [](const SweepPoint& a, const SweepPoint& b) { return a.x < b.x; });
  return points;
}

double XAxis::operator()(double x) const {
  return scale(log ? std::log10(x) : x);
}

XAxis x_axis(const std::vector<std::vector<SweepPoint>>& series, const SweepChartInfo& info,
             double left, double right) {
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
  ax.scale = {lo - pad, hi + pad, left, right};
  return ax;
}

Plot plot(double top, double height, double left, double right, std::string title,
          double max_value) {
  Plot p;
  p.top = top;
  p.height = height;
  p.left = left;
  p.right = right;
  p.title = std::move(title);
  p.ticks = nice_ticks(max_value * 1.02, height > 250 ? 8 : 5);
  p.y = {0, p.ticks.max, top + height, top};
  return p;
}

void draw_frame(std::string& out, const Plot& p, const XAxis& x, const SweepChartInfo& info) {
  auto o = std::back_inserter(out);
  const double bottom = p.top + p.height;
  svg_text(out, p.left, p.top - 10, fit_text(p.title, 12, p.right - p.left),
           {.size = 12, .fill = "#333"});
  fmt::format_to(o, "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#F7F7F7\"/>\n",
                 num(p.left), num(p.top), num(p.right - p.left), num(p.height));
  for (double v : p.ticks.values) {
    fmt::format_to(o,
                   "<line class=\"ytick\" x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" "
                   "stroke=\"#DDD\"/>\n",
                   num(p.left - 4), num(p.right), num(p.y(v)));
    if (p.y_labels) {
      svg_text(out, p.left - 7, p.y(v) + 4, tick_label(v, p.ticks.decimals),
               {.size = kFont, .anchor = "end", .fill = "#333"});
    }
  }
  std::vector<SweepTick> ticks = info.x_ticks;
  std::stable_sort(ticks.begin(), ticks.end(),
                   [](const SweepTick& a, const SweepTick& b) { return a.x < b.x; });
  double last_right = -1e9;
  for (const SweepTick& t : ticks) {
    if (x.log && !(t.x > 0)) continue;
    const double px = x(t.x);
    if (px < p.left - 0.5 || px > p.right + 0.5) continue;
    fmt::format_to(o,
                   "<line class=\"xtick\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" "
                   "stroke=\"#DDD\"/>\n",
                   num(px), num(p.top), num(bottom + 4));
    const double w = text_width(t.label, kFont);
    if (px - w / 2 < last_right + 6) continue;  // would overlap the previous label
    last_right = px + w / 2;
    svg_text(out, px, bottom + 17, t.label, {.size = kFont, .anchor = "middle", .fill = "#333"});
  }
  fmt::format_to(o, "<path d=\"M{0} {1}V{2}H{3}\" fill=\"none\" stroke=\"#555\"/>\n", num(p.left),
                 num(p.top), num(bottom), num(p.right));
}

namespace {

std::string line_path(const std::vector<SweepPoint>& pts, const XAxis& x, const LinearScale& y,
                      double SweepValue::*field, const SweepValue SweepPoint::*metric) {
  std::string d;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    d += fmt::format("{}{} {}", i ? "L" : "M", num(x(pts[i].x)), num(y((pts[i].*metric).*field)));
  }
  return d;
}

}  // namespace

void draw_series(std::string& out, const std::vector<SweepPoint>& pts, const std::string& label,
                 const std::string& color, const std::string& dash, const XAxis& x, const Plot& p,
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

void draw_context(std::string& out, const std::vector<SweepPoint>& pts, const std::string& label,
                  const std::string& color, const XAxis& x, const Plot& p,
                  const SweepValue SweepPoint::*metric) {
  if (pts.empty()) return;
  fmt::format_to(std::back_inserter(out),
                 "<path class=\"context\" data-series=\"{}\" d=\"{}\" fill=\"none\" stroke=\"{}\" "
                 "stroke-width=\"1.2\" stroke-opacity=\"0.45\"/>\n",
                 xml_escape(label), line_path(pts, x, p.y, &SweepValue::mean, metric), color);
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
                const std::string& label, const XAxis& x, const Plot& p) {
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

bool draw_bounds(std::string& out, const std::vector<std::vector<SweepPoint>>& pts,
                 const std::vector<SweepSeries>& series, const XAxis& x, const Plot& p) {
  if (pts.empty()) return true;
  if (same_bounds(pts)) {
    draw_bound(out, pts.front(), kBoundColor, "", x, p);
    return true;
  }
  for (std::size_t i = 0; i < pts.size(); ++i)
    draw_bound(out, pts[i], std::string(series_color(series[i].color)), series[i].label, x, p);
  return false;
}

void draw_mark_lines(std::string& out, const std::vector<SweepMark>& marks, const XAxis& x,
                     const std::vector<const Plot*>& plots) {
  for (const SweepMark& m : marks) {
    if (x.log && !(m.x > 0)) continue;
    for (const Plot* p : plots) {  // inside the plots, clear of the tick labels
      fmt::format_to(std::back_inserter(out),
                     "<line class=\"mark-line\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" "
                     "stroke=\"#888\" stroke-dasharray=\"2 3\"/>\n",
                     num(x(m.x)), num(p->top), num(p->top + p->height));
    }
  }
}

void draw_marks(std::string& out, const std::vector<SweepMark>& marks,
                const std::vector<std::vector<SweepPoint>>& pts,
                const std::vector<SweepSeries>& series, const XAxis& x, const Plot& mk) {
  auto o = std::back_inserter(out);
  struct Box {
    double left, right, baseline;
  };
  std::vector<Box> placed;
  for (const SweepMark& m : marks) {
    if (m.series >= pts.size() || (x.log && !(m.x > 0))) continue;
    const auto at = std::find_if(pts[m.series].begin(), pts[m.series].end(),
                                 [&](const SweepPoint& q) { return q.x == m.x; });
    if (at == pts[m.series].end()) continue;
    const double px = x(m.x), py = mk.y(at->makespan_s.mean);
    fmt::format_to(o,
                   "<path class=\"mark\" d=\"M{} {}l6 6l-6 6l-6 -6z\" fill=\"#FFF\" "
                   "stroke=\"{}\" stroke-width=\"2\"/>\n",
                   num(px), num(py - 6), series_color(series[m.series].color));
    const double w = text_width(m.label, kFont);
    const double lx = std::clamp(px, mk.left + w / 2 + 2, mk.right - w / 2 - 2);
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
    svg_text(out, lx, ly, m.label,
             {.size = kFont, .anchor = "middle", .fill = "#000", .bold = true});
  }
}

}  // namespace plots::sweep_parts
