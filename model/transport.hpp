// What a strategy downloads and through what: a Job, the phases recorded while fetching it,
// and the Transport seam. The simulated transport (sim_transport.hpp) and the libcurl one
// (live/) implement the same interface, so strategy code cannot tell them apart.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/outcome.hpp"
#include "sim/sim.hpp"

namespace model {

struct Job {
  std::uint32_t id = 0;    // submission order
  std::uint32_t host = 0;  // Scenario::hosts index (0 when there are none)
  Text name;
  std::int64_t bytes = 0;         // body size (the simulated server's answer)
  std::optional<Duration> sleep;  // a pure sleep instead of a download
  Time arrival{0};                // handed to the strategy (the workload's arrivals)
};

// The phases of one download, attempt by attempt, as they happen.
class PhaseRecorder {
 public:
  explicit PhaseRecorder(sim::Simulation& sim, std::uint32_t download)
      : sim_(&sim), id_(download) {}
  // Starts over for another download, keeping the room its spans had (a lane's recorder
  // serves each of its downloads in turn).
  void reset(std::uint32_t download) {
    id_ = download;
    attempt_ = 0;
    is_open_ = false;
    connection_ = 0;
    spans_.clear();
  }

  // Closes the open phase (if any) now and opens `p`.
  void begin(Phase p) {
    end();
    open_ = p;
    open_start_ = sim_->now();
    is_open_ = true;
  }
  // Closes the open phase now.
  void end() {
    if (is_open_) add(open_, open_start_, sim_->now());
    is_open_ = false;
  }
  // A phase measured elsewhere (e.g. libcurl's timings), in run time.
  void add(Phase p, Time start, Time end) {
    if (end < start) end = start;
    if (end == start && p != Phase::sleep) return;  // nothing to draw
    spans_.push_back({id_, attempt_, p, start, end});
  }
  void next_attempt() {
    end();
    ++attempt_;
    connection_ = 0;
  }
  int attempt() const { return attempt_; }
  // The connection the attempt is on (Outcome::connection), once it has one.
  void on_connection(std::uint32_t id) { connection_ = id; }
  std::uint32_t connection() const { return connection_; }
  // The phase open now, if any.
  std::optional<Phase> open() const {
    return is_open_ ? std::optional<Phase>(open_) : std::nullopt;
  }
  const std::vector<PhaseSpan>& spans() const { return spans_; }

 private:
  sim::Simulation* sim_;
  std::uint32_t id_;
  std::uint16_t attempt_ = 0;
  Phase open_ = Phase::queued;
  Time open_start_{0};
  bool is_open_ = false;
  std::uint32_t connection_ = 0;
  std::vector<PhaseSpan> spans_;
};

struct AttemptResult {
  Status status = Status::ok;
  int http_status = 0;
  std::int64_t bytes = 0;
  std::string error;  // why, when status != ok
  // The server's Retry-After, when it sent one: the wait before a retry, instead of the backoff.
  std::optional<Duration> retry_after;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // One attempt at `job`, recording its phases (connect, request, server, transfer) on `rec`.
  // Failures are results, not exceptions; the only exception is sim::Interrupted, when the
  // caller gives up (timeout), after which the transport has released what it held.
  virtual sim::Process<AttemptResult> attempt(const Job& job, PhaseRecorder& rec) = 0;
  // True for real fetches: the run's result is marked live (and explained as the client saw it).
  virtual bool live() const { return false; }
};

}  // namespace model
