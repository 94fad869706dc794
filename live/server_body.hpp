// How the test server sends one response body: in chunks, optionally paced to a byte rate,
// optionally cut short by a fault (reset or truncation); stops early when the server stops.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>

#include <httplib.h>

#include "live/server_socket.hpp"
#include "live/server_stop.hpp"

namespace live {

struct BodyPlan {
  std::uint64_t size = 0;
  // Writes the body bytes at `offset` into the span; false when they cannot be read.
  std::function<bool(std::uint64_t offset, std::span<char> out)> fill;
  double rate = 0;  // bytes/s; 0 = as fast as the socket takes them
  enum class Cut { none, reset, truncate };
  Cut cut = Cut::none;
  std::uint64_t cut_offset = 0;  // bytes sent before the cut
  ConnectionAddress address;     // the connection, to reset it
};

struct BodyCounters {
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> resets{0};
  std::atomic<std::uint64_t> truncations{0};
};

// The provider for httplib::Response::set_content_provider(plan.size, ...). `stop` and
// `counters` must outlive the server's connection threads.
httplib::ContentProvider make_body_provider(BodyPlan plan, const StopSignal& stop,
                                            BodyCounters& counters);

}  // namespace live
