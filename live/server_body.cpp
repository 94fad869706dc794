// Chunked, paced and fault-injecting response bodies for the test server.
#include "live/server_body.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace live {

namespace {

constexpr std::uint64_t kMaxChunk = 64 * 1024;

// A paced chunk carries ~20 ms worth of bytes, so the rate is smooth at any scale.
std::uint64_t chunk_size(double rate) {
  if (rate <= 0) return kMaxChunk;
  return std::clamp<std::uint64_t>(static_cast<std::uint64_t>(rate / 50), 1, kMaxChunk);
}

struct BodyState {
  BodyPlan plan;
  std::vector<char> buffer;
  std::optional<StopSignal::Clock::time_point> started;  // first chunk, for pacing
  std::uint64_t first_offset = 0;                        // where it started (ranges)
};

}  // namespace

httplib::ContentProvider make_body_provider(BodyPlan plan, const StopSignal& stop,
                                            BodyCounters& counters) {
  auto state = std::make_shared<BodyState>();
  state->buffer.resize(chunk_size(plan.rate));
  state->plan = std::move(plan);
  return
      [state, &stop, &counters](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        const BodyPlan& p = state->plan;
        if (stop.requested()) return false;
        if (p.cut != BodyPlan::Cut::none && offset >= p.cut_offset) {
          if (p.cut == BodyPlan::Cut::reset) {
            if (const auto fd = find_connection_socket(p.address)) reset_connection(*fd);
            counters.resets.fetch_add(1);
          } else {
            counters.truncations.fetch_add(1);
          }
          return false;  // httplib closes the connection
        }
        std::uint64_t n = std::min<std::uint64_t>(length, state->buffer.size());
        if (p.cut != BodyPlan::Cut::none) n = std::min<std::uint64_t>(n, p.cut_offset - offset);
        const std::span<char> chunk(state->buffer.data(), n);
        if (!p.fill(offset, chunk)) return false;
        if (p.rate > 0) {
          const auto now = StopSignal::Clock::now();
          if (!state->started) {
            state->started = now;
            state->first_offset = offset;
          }
          const std::chrono::duration<double> due(
              static_cast<double>(offset + n - state->first_offset) / p.rate);
          const auto deadline =
              *state->started + std::chrono::duration_cast<StopSignal::Clock::duration>(due);
          if (!stop.sleep_until(deadline)) return false;
        }
        if (!sink.write(chunk.data(), chunk.size())) return false;
        counters.bytes.fetch_add(n);
        return true;
      };
}

}  // namespace live
