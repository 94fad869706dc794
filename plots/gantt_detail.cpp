// Gantt detail view: one bar per download in its lane, split into phases, with consumption
// ticks, failure hatching and labels where they fit.
#include <fmt/format.h>
#include <algorithm>
#include <iterator>
#include <vector>

#include "plots/gantt_parts.hpp"
#include "plots/labels.hpp"
#include "plots/palette.hpp"
#include "plots/text.hpp"

namespace plots {
namespace {

constexpr double kMinBar = 2;  // px: a zero-length download still shows as a mark

// A download's spans (a few: copied).
std::vector<model::PhaseSpan> spans_of(const model::StrategyResult& r, const model::Outcome& d) {
  const std::size_t begin = std::min<std::size_t>(d.span_begin, r.spans.size());
  const std::size_t end = std::min<std::size_t>(begin + d.span_count, r.spans.size());
  const auto first = r.spans.begin() + static_cast<std::ptrdiff_t>(begin);
  return {first, first + static_cast<std::ptrdiff_t>(end - begin)};
}

std::string bar_title(const model::Outcome& d) {
  std::string t =
      fmt::format("{} #{}: {:.3f}\u2013{:.3f} s, {}", d.name, d.id, sim::to_seconds(d.start),
                  sim::to_seconds(d.end), model::to_string(d.status));
  if (d.http_status != 0) t += fmt::format(" {}", d.http_status);
  if (d.attempts > 1) t += fmt::format(", {} attempts", d.attempts);
  if (!d.error.empty()) t += ", " + d.error;
  t += fmt::format(", consumed {:.3f} s", sim::to_seconds(d.consumed));
  return t;
}

}  // namespace

bool has_gaps(const model::StrategyResult& r) {
  for (const model::Outcome& d : r.downloads) {
    const auto held = d.end - d.start;
    if (held.count() <= 0) continue;
    sim::Duration busy{0};
    for (const model::PhaseSpan& s : spans_of(r, d)) {
      if (s.phase != model::Phase::queued) busy += s.end - s.start;
    }
    if (busy < held - held / 50) return true;  // more than 2 % of the bar is empty
  }
  return false;
}

void draw_detail_lanes(std::string& out, std::string& overlay, const model::StrategyResult& r,
                       const PanelRows& p) {
  auto o = std::back_inserter(out);
  auto top = std::back_inserter(overlay);
  const double pad = p.row_h >= 8 ? 2 : (p.row_h >= 4 ? 1 : 0);
  const double h = p.row_h - 2 * pad;
  const double font = std::min(11.0, h - 3);
  std::vector<double> label_end(static_cast<std::size_t>(p.rows), p.left - 1);
  const auto sx = [&](sim::Time t) { return p.x(sim::to_seconds(t)); };
  struct Instant {
    std::uint32_t id;
    double x, y;
    std::string_view color;
  };
  std::vector<Instant> instants;

  for (const model::Outcome& d : r.downloads) {
    const int row = std::clamp(d.lane, 0, p.rows - 1);
    const double y = p.top + row * p.row_h + pad;
    const double x1 = sx(d.start);
    const double width = sx(d.end) - x1;
    const double shown = std::max(width, kMinBar);
    const bool failed = d.status != model::Status::ok;

    std::string_view first_color = "#444";
    bool first = true;
    for (const model::PhaseSpan& s : spans_of(r, d)) {
      if (s.phase == model::Phase::queued) continue;
      if (first) first_color = phase_color(s.phase);
      first = false;
      const double a = sx(s.start);
      const double w = sx(s.end) - a;
      if (w < 0.01) continue;
      fmt::format_to(o,
                     "<rect class=\"ph\" data-id=\"{}\" data-phase=\"{}\" x=\"{}\" y=\"{}\" "
                     "width=\"{}\" height=\"{}\" fill=\"{}\"/>\n",
                     d.id, model::to_string(s.phase), num(a), num(y), num(w), num(h),
                     phase_color(s.phase));
    }

    // The bar itself: an outline over the phases (hatched when failed), or a solid mark when
    // the download took (almost) no time.
    std::string_view fill = "none";
    if (failed) {
      fill = "url(#hatch)";
    } else if (width < kMinBar) {
      fill = first_color;  // too short to show its phases: one solid mark
    }
    const bool outline = failed || shown >= 4 || width < kMinBar;
    fmt::format_to(o,
                   "<rect class=\"bar{}\" data-id=\"{}\" data-lane=\"{}\" data-status=\"{}\" "
                   "x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{} "
                   "pointer-events=\"all\"><title>{}</title></rect>\n",
                   failed ? " failed" : "", d.id, d.lane, model::to_string(d.status), num(x1),
                   num(y), num(shown), num(h), fill,
                   outline ? (failed ? " stroke=\"#000\" stroke-width=\"0.8\""
                                     : " stroke=\"#333\" stroke-width=\"0.6\"")
                           : "",
                   xml_escape(bar_title(d)));

    // A white hairline at a failure's start keeps a run of adjacent failures apart.
    if (failed && shown >= 3) {
      fmt::format_to(o,
                     "<line class=\"gap\" data-id=\"{0}\" x1=\"{1}\" y1=\"{2}\" x2=\"{1}\" "
                     "y2=\"{3}\" stroke=\"#fff\" stroke-width=\"1\"/>\n",
                     d.id, num(x1), num(y), num(y + h));
    }

    // Where the caller saw the result; a dotted line shows how long the result waited for it.
    const double cx = sx(d.consumed);
    if (cx - (x1 + shown) > 1.5) {
      fmt::format_to(o,
                     "<line class=\"wait\" data-id=\"{0}\" x1=\"{1}\" y1=\"{2}\" x2=\"{3}\" "
                     "y2=\"{2}\" stroke=\"#000\" stroke-width=\"1\" stroke-dasharray=\"2 2\"/>\n",
                     d.id, num(x1 + shown), num(y + h - 0.5), num(cx));
    }
    fmt::format_to(o,
                   "<line class=\"consumed\" data-id=\"{0}\" x1=\"{1}\" y1=\"{2}\" x2=\"{1}\" "
                   "y2=\"{3}\" stroke=\"#000\" stroke-width=\"1.5\"/>\n",
                   d.id, num(cx), num(y - std::min(pad, 1.0)), num(y + h + std::min(pad, 1.0)));

    // A download that took no time is a milestone: a diamond, drawn last so it stays on top.
    const auto lane = static_cast<std::size_t>(row);
    if (d.end <= d.start) {
      instants.push_back({d.id, x1 + shown / 2, y + h / 2, first_color});
      label_end[lane] = std::max(label_end[lane], x1 + std::min(h / 2, 5.0));
    }

    // A label inside the bar when it fits, after any label or milestone already in the lane.
    if (font < 8) continue;
    const double lx = std::max(x1 + 3, label_end[lane] + 3);
    const double room = x1 + shown - 3 - lx;
    const std::string status = failure_label(d);
    std::string label = failed ? d.name + " \u00b7 " + status : d.name.str();
    if (text_width(label, font) > room) label = status;
    if (label.empty() || text_width(label, font) > room) continue;
    fmt::format_to(top,
                   "<text class=\"label\" x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"start\" "
                   "fill=\"#000\" stroke=\"#fff\" stroke-width=\"2.5\" stroke-linejoin=\"round\" "
                   "paint-order=\"stroke\">{}</text>\n",
                   num(lx), num(y + h / 2 + font * 0.35), num(font, 1), xml_escape(label));
    label_end[lane] = lx + text_width(label, font);
  }
  const double half = std::max(2.0, std::min(h / 2 + 1, 6.0));
  for (const Instant& m : instants) {
    fmt::format_to(top,
                   "<path class=\"instant\" data-id=\"{}\" d=\"M{} {}l{} {}l{} {}l{} {}z\" "
                   "fill=\"{}\" stroke=\"#000\" stroke-width=\"1\"/>\n",
                   m.id, num(m.x), num(m.y - half), num(half), num(half), num(-half), num(half),
                   num(-half), num(-half), m.color);
  }
}

}  // namespace plots
