// The pieces both sweep charts draw with (sweep_chart.cpp, one key; sweep_chart_panels.cpp,
// small multiples): the x axis, a plot frame, a series with its band, the lower bound, marks.
#pragma once

#include <string>
#include <vector>

#include "plots/axis.hpp"
#include "plots/svg.hpp"
#include "plots/sweep_chart.hpp"

namespace plots::sweep_parts {

inline constexpr double kFont = 11;
inline constexpr const char* kBoundColor = "#555";

std::vector<SweepPoint> by_x(std::vector<SweepPoint> points);

// The x axis: linear, or linear in log10(x), onto [left, right].
struct XAxis {
  bool log = false;
  LinearScale scale;
  double operator()(double x) const;
};
XAxis x_axis(const std::vector<std::vector<SweepPoint>>& series, const SweepChartInfo& info,
             double left, double right);

// One plot: a metric against the setting.
struct Plot {
  double top = 0;
  double height = 0;
  double left = 0;
  double right = 0;
  std::string title;     // over the y axis
  bool y_labels = true;  // the y tick labels (left of the plot)
  Ticks ticks;
  LinearScale y;
};
Plot plot(double top, double height, double left, double right, std::string title,
          double max_value);

// Background, grid, tick labels and the axes.
void draw_frame(std::string& out, const Plot& p, const XAxis& x, const SweepChartInfo& info);

// A series' mean line with its dots, over its band where there is an interval.
void draw_series(std::string& out, const std::vector<SweepPoint>& pts, const std::string& label,
                 const std::string& color, const std::string& dash, const XAxis& x, const Plot& p,
                 const SweepValue SweepPoint::*metric, const char* css);

// A series drawn in full elsewhere: its mean line only, thin and faint.
void draw_context(std::string& out, const std::vector<SweepPoint>& pts, const std::string& label,
                  const std::string& color, const XAxis& x, const Plot& p,
                  const SweepValue SweepPoint::*metric);

// Whether every series has the same lower bound at the same settings.
bool same_bounds(const std::vector<std::vector<SweepPoint>>& series);

void draw_bound(std::string& out, const std::vector<SweepPoint>& pts, const std::string& color,
                const std::string& label, const XAxis& x, const Plot& p);

// The lower bounds of the series: one grey line when they agree, else one per series in its
// colour. Returns whether they agreed.
bool draw_bounds(std::string& out, const std::vector<std::vector<SweepPoint>>& pts,
                 const std::vector<SweepSeries>& series, const XAxis& x, const Plot& p);

// Dotted vertical lines at the marked settings, through each plot, under the curves.
void draw_mark_lines(std::string& out, const std::vector<SweepMark>& marks, const XAxis& x,
                     const std::vector<const Plot*>& plots);

// A diamond on each marked point of `mk`; its label above, moved up while it would cover
// another.
void draw_marks(std::string& out, const std::vector<SweepMark>& marks,
                const std::vector<std::vector<SweepPoint>>& pts,
                const std::vector<SweepSeries>& series, const XAxis& x, const Plot& mk);

}  // namespace plots::sweep_parts
