// Round axis ticks in 1-2-5 steps, and their labels.
#pragma once

#include <string>
#include <vector>

namespace plots {

struct Ticks {
  double step = 1;
  double max = 1;              // axis end: the first tick at or above the data maximum
  int decimals = 0;            // digits after the point that the labels need
  std::vector<double> values;  // 0, step, 2*step, ..., max
};

// Ticks from 0 to at least `max_value` with at most `max_intervals` intervals, the step being
// 1, 2 or 5 times a power of ten (at least `min_step`, e.g. 1 for counts).
Ticks nice_ticks(double max_value, int max_intervals, double min_step = 0);

// The label of tick value `v` ("0", "0.5", "12").
std::string tick_label(double v, int decimals);

}  // namespace plots
