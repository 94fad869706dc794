// The waiting strip of a Gantt panel: how many downloads were queued for a lane over time.
// Queued time precedes getting a lane, so it is drawn here and not as a bar in a lane.
#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>
#include <vector>

#include "plots/gantt_parts.hpp"
#include "plots/palette.hpp"
#include "plots/text.hpp"

namespace plots {
namespace {

// (time, +1 when submitted / -1 when it got a lane), in time order.
std::vector<std::pair<sim::Time, int>> waiting_events(const model::StrategyResult& r) {
  std::vector<std::pair<sim::Time, int>> events;
  events.reserve(r.downloads.size() * 2);
  for (const model::Outcome& d : r.downloads) {
    if (d.start <= d.submitted) continue;
    events.emplace_back(d.submitted, +1);
    events.emplace_back(d.start, -1);
  }
  std::sort(events.begin(), events.end());
  return events;
}

}  // namespace

bool has_waiting(const model::StrategyResult& r) {
  return std::any_of(r.downloads.begin(), r.downloads.end(),
                     [](const model::Outcome& d) { return d.start > d.submitted; });
}

std::size_t max_waiting(const model::StrategyResult& r) {
  std::int64_t depth = 0, most = 0;
  const auto events = waiting_events(r);
  for (std::size_t i = 0; i < events.size(); ++i) {
    depth += events[i].second;
    if (i + 1 == events.size() || events[i + 1].first != events[i].first)
      most = std::max(most, depth);
  }
  return static_cast<std::size_t>(most);
}

void draw_waiting_strip(std::string& out, const model::StrategyResult& r, const LinearScale& x,
                        double left, double right, double top, double height) {
  // Deepest queue per 1-px column, so the path stays small for any number of downloads.
  const auto cols = static_cast<std::size_t>(std::max(1.0, std::ceil(right - left)));
  std::vector<std::int64_t> deepest(cols, 0);
  const auto column = [&](sim::Time t) {
    const double c = std::floor(x(sim::to_seconds(t)) - left);
    return static_cast<std::size_t>(std::clamp(c, 0.0, static_cast<double>(cols - 1)));
  };
  std::int64_t depth = 0;
  std::size_t last = 0;
  const auto events = waiting_events(r);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::size_t col = column(events[i].first);
    for (std::size_t c = last; c <= col; ++c)
      deepest[c] = std::max(deepest[c], depth);
    last = col;
    depth += events[i].second;
    if (i + 1 == events.size() || events[i + 1].first != events[i].first) {
      deepest[col] = std::max(deepest[col], depth);
    }
  }
  const std::int64_t most = *std::max_element(deepest.begin(), deepest.end());

  auto o = std::back_inserter(out);
  fmt::format_to(o,
                 "<rect class=\"waiting-strip\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
                 "fill=\"#F7F7F7\"/>\n",
                 num(left), num(top), num(right - left), num(height));
  if (most == 0) return;
  const double base = top + height;
  const double per = (height - 1) / static_cast<double>(most);
  std::string d = fmt::format("M{} {}", num(left, 1), num(base, 1));
  double level = base;
  for (std::size_t c = 0; c < cols; ++c) {
    const double y = base - static_cast<double>(deepest[c]) * per;
    if (y == level) continue;
    fmt::format_to(std::back_inserter(d), "H{}V{}", num(left + static_cast<double>(c), 1),
                   num(y, 1));
    level = y;
  }
  fmt::format_to(std::back_inserter(d), "H{}V{}Z", num(right, 1), num(base, 1));
  fmt::format_to(
      o, "<path class=\"waiting\" fill=\"{}\" stroke=\"#777\" stroke-width=\"0.6\" d=\"{}\"/>\n",
      phase_color(model::Phase::queued), d);
}

}  // namespace plots
