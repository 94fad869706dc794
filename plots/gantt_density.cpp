// Gantt density view: lanes grouped into bands, time into bins; each band is a stacked area of
// the share of its lane time in each phase. Bounded size for any number of downloads.
#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <vector>

#include "plots/gantt_parts.hpp"
#include "plots/palette.hpp"
#include "plots/text.hpp"

namespace plots {
namespace {

constexpr double kBinPx = 4;

// Busy time per (row, phase, bin), in units of one bin's duration.
class BusyGrid {
 public:
  BusyGrid(int rows, int bins)
      : bins_(bins),
        busy_(static_cast<std::size_t>(rows) * model::kPhaseCount * bins, 0.0),
        full_(static_cast<std::size_t>(rows) * model::kPhaseCount * (bins + 1), 0.0) {}

  // Adds the interval [a, b) (in bin units) of `phase` to `row`: partial bins directly, the
  // bins it covers whole through a difference array, so each span costs O(1).
  void add(int row, model::Phase phase, double a, double b) {
    a = std::clamp(a, 0.0, static_cast<double>(bins_));
    b = std::clamp(b, 0.0, static_cast<double>(bins_));
    if (b <= a) return;
    const int ia = std::min(static_cast<int>(a), bins_ - 1);
    const int ib = std::min(static_cast<int>(b), bins_ - 1);
    const std::size_t base = series(row, phase) * width();
    if (ia == ib) {
      busy_[base + static_cast<std::size_t>(ia)] += b - a;
      return;
    }
    busy_[base + static_cast<std::size_t>(ia)] += (ia + 1) - a;
    busy_[base + static_cast<std::size_t>(ib)] += b - ib;
    const std::size_t diff = series(row, phase) * (width() + 1);
    full_[diff + static_cast<std::size_t>(ia + 1)] += 1;
    full_[diff + static_cast<std::size_t>(ib)] -= 1;
  }

  // Folds the difference arrays into the busy times; call once after the last add().
  void finish() {
    const std::size_t count = busy_.size() / width();
    for (std::size_t s = 0; s < count; ++s) {
      double run = 0;
      for (std::size_t i = 0; i < width(); ++i) {
        run += full_[s * (width() + 1) + i];
        busy_[s * width() + i] += run;
      }
    }
  }

  double at(int row, model::Phase phase, int bin) const {
    return busy_[series(row, phase) * width() + static_cast<std::size_t>(bin)];
  }

 private:
  static std::size_t series(int row, model::Phase phase) {
    return static_cast<std::size_t>(row) * model::kPhaseCount + static_cast<std::size_t>(phase);
  }
  std::size_t width() const { return static_cast<std::size_t>(bins_); }
  int bins_;
  std::vector<double> busy_;
  std::vector<double> full_;
};

}  // namespace

void draw_density_bands(std::string& out, const model::StrategyResult& r, const PanelRows& p) {
  const int bins = std::max(1, static_cast<int>((p.right - p.left) / kBinPx));
  const double bin_px = (p.right - p.left) / bins;
  const double bin_s = (p.x.d1 - p.x.d0) / bins;
  BusyGrid grid(p.rows, bins);
  for (const model::Outcome& d : r.downloads) {
    const int row = std::clamp(d.lane / p.lanes_per_row, 0, p.rows - 1);
    const std::size_t begin = std::min<std::size_t>(d.span_begin, r.spans.size());
    const std::size_t end = std::min<std::size_t>(begin + d.span_count, r.spans.size());
    for (std::size_t i = begin; i < end; ++i) {
      const model::PhaseSpan& s = r.spans[i];
      if (s.phase == model::Phase::queued) continue;
      grid.add(row, s.phase, sim::to_seconds(s.start) / bin_s, sim::to_seconds(s.end) / bin_s);
    }
  }
  grid.finish();

  // Per band, a stacked area per phase: the share of the band's lane time spent in each
  // phase, bin by bin, from the bottom up; what stays empty was idle.
  auto o = std::back_inserter(out);
  const int lanes = std::max(1, r.lanes);
  std::vector<double> below(static_cast<std::size_t>(bins));
  std::vector<double> above(static_cast<std::size_t>(bins));
  for (int row = 0; row < p.rows; ++row) {
    const int in_row = std::max(1, std::min(p.lanes_per_row, lanes - row * p.lanes_per_row));
    const double base = p.top + (row + 1) * p.row_h;
    const double height = p.row_h - 1;  // a 1-px gap separates bands
    std::fill(below.begin(), below.end(), 0.0);
    for (model::Phase ph : kPhases) {
      if (ph == model::Phase::queued) continue;
      bool any = false;
      for (int b = 0; b < bins; ++b) {
        const auto k = static_cast<std::size_t>(b);
        above[k] = std::min(1.0, below[k] + grid.at(row, ph, b) / in_row);
        any = any || above[k] - below[k] > 0.005;
      }
      if (any) {
        // Step outline: along the top edge left to right, back along the bottom edge.
        std::string d = fmt::format("M{} {}", num(p.left, 1), num(base - height * below[0], 1));
        auto dd = std::back_inserter(d);
        std::string last;
        for (int b = 0; b < bins; ++b) {
          const std::string y = num(base - height * above[static_cast<std::size_t>(b)], 1);
          if (y != last) fmt::format_to(dd, "V{}", y);
          fmt::format_to(dd, "H{}", num(p.left + (b + 1) * bin_px, 1));
          last = y;
        }
        for (int b = bins - 1; b >= 0; --b) {
          const std::string y = num(base - height * below[static_cast<std::size_t>(b)], 1);
          if (y != last) fmt::format_to(dd, "V{}", y);
          fmt::format_to(dd, "H{}", num(p.left + b * bin_px, 1));
          last = y;
        }
        fmt::format_to(
            o,
            "<path class=\"density\" data-phase=\"{}\" data-row=\"{}\" fill=\"{}\" d=\"{}Z\"/>\n",
            model::to_string(ph), row, phase_color(ph), d);
      }
      below.swap(above);
    }
  }
}

}  // namespace plots
