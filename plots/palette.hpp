// Colours: the Okabe-Ito palette (colour-blind safe) for phases and for strategy series.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "model/outcome.hpp"

namespace plots {

// Fill colour of a phase. `queued` is neutral grey: it is waiting, not work.
constexpr std::string_view phase_color(model::Phase p) {
  switch (p) {
    case model::Phase::queued:
      return "#BBBBBB";
    case model::Phase::rate_limit:
      return "#661100";  // brown: waiting for a token of the client's own rate limit
    case model::Phase::pool:
      return "#332288";  // indigo: waiting for a connection from the client's pool
    case model::Phase::connect:
      return "#E69F00";  // orange
    case model::Phase::request:
      return "#F0E442";  // yellow
    case model::Phase::server_queue:
      return "#882255";  // wine: waiting for a server worker
    case model::Phase::service:
      return "#CC79A7";  // reddish purple
    case model::Phase::transfer:
      return "#0072B2";  // blue
    case model::Phase::cpu:
      return "#009E73";  // bluish green
    case model::Phase::sleep:
      return "#56B4E9";  // sky blue
    case model::Phase::backoff:
      return "#7F7F7F";  // dark grey: a pause, far from connect's orange
  }
  return "#000000";
}

// Phases in the order a download passes through them (legend order).
inline constexpr std::array<model::Phase, model::kPhaseCount> kPhases = {
    model::Phase::queued,  model::Phase::rate_limit, model::Phase::pool,
    model::Phase::connect, model::Phase::request,    model::Phase::server_queue,
    model::Phase::service, model::Phase::transfer,   model::Phase::cpu,
    model::Phase::sleep,   model::Phase::backoff};

// Line colour of the i-th strategy series: Okabe-Ito, then Paul Tol's muted colours, 13 distinct
// colours before any repeats; series_dash tells repeated colours apart.
inline constexpr std::size_t kSeriesColors = 13;
constexpr std::string_view series_color(std::size_t i) {
  constexpr std::array<std::string_view, kSeriesColors> colors = {
      "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
      "#882255", "#44AA99", "#999933", "#332288", "#AA4499", "#661100"};
  return colors[i % colors.size()];
}

// Dash pattern of the i-th series: solid for the first kSeriesColors, then dashed patterns.
constexpr std::string_view series_dash(std::size_t i) {
  constexpr std::array<std::string_view, 3> dashes = {"", "8 3", "2 2"};
  return dashes[(i / kSeriesColors) % dashes.size()];
}

}  // namespace plots
