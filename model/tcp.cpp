#include "model/tcp.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace model::tcp {

std::int64_t initial_window(const Network& n) {
  return std::max<std::int64_t>(1, std::llround(n.init_cwnd * n.mss));
}

std::int64_t grown(const Network& n, std::int64_t window, std::int64_t acked) {
  const auto cap = static_cast<std::int64_t>(n.max_window);
  return window >= cap - acked ? std::max(cap, window) : window + acked;
}

Duration rto(Duration rtt) {
  return sim::add_saturating(rtt, std::chrono::milliseconds(200));
}

std::int64_t after_idle(const Network& n, std::int64_t window, Duration idle, Duration rtt) {
  if (window <= 0 || (n.idle_restart && idle > rto(rtt))) return initial_window(n);
  return window;
}

Duration ack_time(const Network& n, double rate, Duration rtt) {
  return rate > 0 ? sim::add_saturating(rtt, sim::from_seconds(n.mss / rate)) : rtt;
}

Duration alone(const Network& n, double rate, Duration rtt, std::int64_t bytes,
               std::int64_t window) {
  const auto seconds = [rate](double b) { return rate > 0 ? b / rate : 0.0; };
  if (!on(n, rtt)) return sim::from_seconds(seconds(static_cast<double>(bytes)));
  const double round = sim::to_seconds(ack_time(n, rate, rtt));
  double t = 0;
  std::int64_t left = bytes;
  while (left > 0) {
    const std::int64_t sent = std::min(window, left);
    const double on_link = seconds(static_cast<double>(sent));
    left -= sent;
    if (left == 0) return sim::from_seconds(t + on_link);
    if (on_link >= round)
      return sim::from_seconds(t + on_link + seconds(static_cast<double>(left)));
    window = grown(n, window, sent);
    t += round;
    // At the window's cap every round is alike: count the rest at once.
    if (window >= static_cast<std::int64_t>(n.max_window) &&
        seconds(static_cast<double>(window)) < round) {
      const std::int64_t rounds = (left - 1) / window;  // full rounds before the last
      return sim::from_seconds(t + static_cast<double>(rounds) * round +
                               seconds(static_cast<double>(left - rounds * window)));
    }
  }
  return sim::from_seconds(t);
}

}  // namespace model::tcp
