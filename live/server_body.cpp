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

// One response body being sent; httplib calls it for each next chunk until it returns false.
class BodySender {
 public:
  BodySender(BodyPlan plan, const StopSignal& stop, BodyCounters& counters)
      : plan_(std::move(plan)), stop_(&stop), counters_(&counters) {
    buffer_.resize(chunk_size(plan_.rate));
  }

  bool operator()(std::size_t offset, std::size_t length, httplib::DataSink& sink) {
    if (stop_->requested()) return false;
    if (plan_.cut != BodyPlan::Cut::none && offset >= plan_.cut_offset) return cut();
    std::uint64_t n = std::min<std::uint64_t>(length, buffer_.size());
    if (plan_.cut != BodyPlan::Cut::none) n = std::min<std::uint64_t>(n, plan_.cut_offset - offset);
    const std::span<char> chunk(buffer_.data(), n);
    if (!plan_.fill(offset, chunk)) return false;
    if (plan_.rate > 0 && !wait_for_turn(offset, n)) return false;
    counters_->bytes.fetch_add(n);  // counted before the client can see the bytes
    return sink.write(chunk.data(), chunk.size());
  }

 private:
  // Ends the body early; counted before the client can notice.
  bool cut() {
    if (plan_.cut == BodyPlan::Cut::reset) {
      counters_->resets.fetch_add(1);
      if (const auto fd = find_connection_socket(plan_.address)) reset_connection(*fd);
    } else {
      counters_->truncations.fetch_add(1);
    }
    return false;  // httplib closes the connection
  }

  // Sleeps until the chunk ending at offset + n is due at the plan's rate; false on stop.
  bool wait_for_turn(std::uint64_t offset, std::uint64_t n) {
    if (!started_) {
      started_ = StopSignal::Clock::now();
      first_offset_ = offset;  // a range request starts past 0
    }
    const std::chrono::duration<double> due(static_cast<double>(offset + n - first_offset_) /
                                            plan_.rate);
    return stop_->sleep_until(*started_ +
                              std::chrono::duration_cast<StopSignal::Clock::duration>(due));
  }

  BodyPlan plan_;
  const StopSignal* stop_;
  BodyCounters* counters_;
  std::vector<char> buffer_;
  std::optional<StopSignal::Clock::time_point> started_;
  std::uint64_t first_offset_ = 0;
};

}  // namespace

httplib::ContentProvider make_body_provider(BodyPlan plan, const StopSignal& stop,
                                            BodyCounters& counters) {
  // httplib copies providers: share one sender so its pacing state is not duplicated.
  auto sender = std::make_shared<BodySender>(std::move(plan), stop, counters);
  return [sender](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
    return (*sender)(offset, length, sink);
  };
}

}  // namespace live
