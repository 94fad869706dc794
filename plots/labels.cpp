// Human names for strategies, lanes and failures, shared by the pictures and the trace.
#include "plots/labels.hpp"

#include <fmt/format.h>
#include <cmath>

namespace plots {

std::string strategy_title(const model::StrategyResult& r) {
  std::string title = r.name.empty() ? r.kind : r.name;
  std::string what = r.kind == title ? std::string() : r.kind;
  if (!r.detail.empty()) what += (what.empty() ? "" : ", ") + r.detail;
  if (!what.empty()) title += " (" + what + ")";
  if (r.live) title += " \u00b7 live";
  return title;
}

std::string lane_name(const model::StrategyResult& r, int lane) {
  if (lane >= 0 && static_cast<std::size_t>(lane) < r.lane_names.size())
    return r.lane_names[static_cast<std::size_t>(lane)];
  if (r.kind == "pool") return fmt::format("worker {}", lane);
  if (r.kind == "async") return fmt::format("slot {}", lane);
  if (r.kind == "sequential" && r.lanes <= 1) return "main";
  return fmt::format("lane {}", lane);
}

std::string failure_label(const model::Outcome& o) {
  if (o.status == model::Status::ok) return {};
  if (o.http_status != 0) return fmt::format("{}", o.http_status);
  return std::string(model::to_string(o.status));
}

std::string count_label(std::size_t n) {
  std::string digits = fmt::format("{}", n);
  for (std::size_t i = digits.size(); i > 3; i -= 3)
    digits.insert(i - 3, ",");
  return digits;
}

std::string seconds_label(double s) {
  const double a = std::fabs(s);
  if (a >= 100) return fmt::format("{:.0f} s", s);
  if (a >= 1 || a == 0) return fmt::format("{:.2f} s", s);
  return fmt::format("{:.3f} s", s);
}

}  // namespace plots
