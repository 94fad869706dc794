// The drawing layers of one Gantt panel: lanes in detail, lanes banded by density, and the
// strip of downloads waiting for a lane, and the strips of shared resources in use. gantt.cpp lays
// panels out and calls these.
#pragma once

#include <string>

#include "model/outcome.hpp"
#include "plots/svg.hpp"

namespace plots {

// Above these a panel switches from one bar per download to density bands.
inline constexpr int kMaxDetailLanes = 256;
inline constexpr std::size_t kMaxDetailDownloads = 4000;
// At most this many bands in the density view.
inline constexpr int kMaxBands = 50;

// Where a panel's rows are: row i spans [top + i*row_h, top + (i+1)*row_h).
struct PanelRows {
  LinearScale x;    // seconds -> px, shared by every panel of the figure
  double left = 0;  // plot area: [left, right]
  double right = 0;
  double label_right = 0;  // lane labels are right-aligned here
  double top = 0;
  double row_h = 0;
  int rows = 1;
  int lanes_per_row = 1;  // 1 in the detail view
};

bool uses_density(const model::StrategyResult& r);

// Rows the panel of `r` needs (lanes, or bands of lanes).
int panel_row_count(const model::StrategyResult& r);
int lanes_per_band(const model::StrategyResult& r);

// Row height for `rows` rows: tall enough for labels when few, at least a few px when many.
double row_height(int rows, bool density);

// Alternating lane backgrounds and lane (or band) names left of the plot.
void draw_lane_backgrounds(std::string& out, const model::StrategyResult& r, const PanelRows& p);

// One bar per download split into its phases (queued is not drawn: the download did not hold
// the lane yet), failures hatched with their status, consumption ticks, labels where they fit.
// Labels and milestone marks go to `overlay`, to be drawn above any marker lines.
void draw_detail_lanes(std::string& out, std::string& overlay, const model::StrategyResult& r,
                       const PanelRows& p);

// True when some download held its lane without being in any phase for a while (e.g. waiting
// for the CPU): the gap shows as an empty stretch inside its bar.
bool has_gaps(const model::StrategyResult& r);

// Per band of lanes: a stacked area over time of the share of lane time in each phase (empty =
// idle). Size is bounded by bands x bins x phases, whatever the number of downloads.
void draw_density_bands(std::string& out, const model::StrategyResult& r, const PanelRows& p);

// True when some download waited for a lane (start > submitted).
bool has_waiting(const model::StrategyResult& r);

// Maximum number of downloads waiting for a lane at once.
std::size_t max_waiting(const model::StrategyResult& r);

// Area chart of the number of downloads waiting for a lane, in [top, top + height).
void draw_waiting_strip(std::string& out, const model::StrategyResult& r, const LinearScale& x,
                        double left, double right, double top, double height);

// How many usage strips the panel of `r` has: one per resource of its explanation that is
// measured over time (the server's workers, CPU slots, the link).
int usage_strip_count(const model::StrategyResult& r);

// Those strips, each an area chart of the share in use (0 to 100%) per 1-px column, `height`
// tall and `gap` apart from `top` down, labelled left of `left` with the mean over the makespan.
void draw_usage_strips(std::string& out, const model::StrategyResult& r, const LinearScale& x,
                       double left, double right, double top, double height, double gap);

}  // namespace plots
