// Round axis ticks in 1-2-5 steps, and their labels.
#include "plots/axis.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

namespace plots {

Ticks nice_ticks(double max_value, int max_intervals, double min_step) {
  if (!(max_value > 0) || !std::isfinite(max_value)) max_value = 1;
  max_intervals = std::max(1, max_intervals);
  const double raw = std::max(max_value / max_intervals, min_step);
  const double base = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * base;
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * base >= raw * (1 - 1e-9)) {
      step = m * base;
      break;
    }
  }
  Ticks t;
  t.step = step;
  const auto n = static_cast<int>(std::ceil(max_value / step - 1e-9));
  t.max = n * step;
  t.decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  for (int i = 0; i <= n; ++i)
    t.values.push_back(i * step);
  return t;
}

std::string tick_label(double v, int decimals) {
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s.find_first_not_of("-0.") == std::string::npos) s = "0";
  return s;
}

}  // namespace plots
