// Gantt density view: lanes grouped into bands, time into bins; each cell takes the colour of
// its main phase, shaded by how busy the band's lanes were. Bounded size for any run.
#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <map>
#include <utility>
#include <vector>

#include "plots/gantt_parts.hpp"
#include "plots/palette.hpp"
#include "plots/text.hpp"

namespace plots {
namespace {

constexpr double kBinPx = 3;
constexpr int kLevels = 5;  // shade steps: busy share rounded up to 20 %, 40 %, ... 100 %

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

  // One path per (phase, shade); adjacent bins with the same look merge into one rectangle.
  std::map<std::pair<int, int>, std::string> paths;
  const int lanes = std::max(1, r.lanes);
  for (int row = 0; row < p.rows; ++row) {
    const int in_row = std::max(1, std::min(p.lanes_per_row, lanes - row * p.lanes_per_row));
    const double y = p.top + row * p.row_h;
    std::pair<int, int> run_key{-1, 0};
    int run_start = 0;
    const auto flush = [&](int until) {
      if (run_key.first < 0) return;
      fmt::format_to(std::back_inserter(paths[run_key]), "M{} {}h{}v{}h-{}z",
                     num(p.left + run_start * bin_px, 1), num(y, 1),
                     num((until - run_start) * bin_px, 1), num(p.row_h, 1),
                     num((until - run_start) * bin_px, 1));
    };
    for (int bin = 0; bin < bins; ++bin) {
      double total = 0;
      double best = -1;
      int best_phase = 0;
      for (model::Phase ph : kPhases) {
        if (ph == model::Phase::queued) continue;
        const double v = grid.at(row, ph, bin);
        total += v;
        if (v > best) {
          best = v;
          best_phase = static_cast<int>(ph);
        }
      }
      const double share = std::min(1.0, total / in_row);
      const std::pair<int, int> key =
          share < 0.01
              ? std::pair{-1, 0}
              : std::pair{best_phase,
                          std::max(1, static_cast<int>(std::ceil(share * kLevels - 1e-9)))};
      if (key != run_key) {
        flush(bin);
        run_key = key;
        run_start = bin;
      }
    }
    flush(bins);
  }
  auto o = std::back_inserter(out);
  for (const auto& [key, d] : paths) {
    const auto phase = static_cast<model::Phase>(key.first);
    fmt::format_to(o,
                   "<path class=\"density\" data-phase=\"{}\" data-level=\"{}\" fill=\"{}\" "
                   "fill-opacity=\"{}\" d=\"{}\"/>\n",
                   model::to_string(phase), key.second, phase_color(phase),
                   num(static_cast<double>(key.second) / kLevels), d);
  }
}

}  // namespace plots
