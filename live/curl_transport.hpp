// The libcurl transport: model::Transport for real HTTP. One multi handle carries every
// concurrent transfer of a run on the simulation's thread; the wall clock drives it while it
// waits (OutsideWork), and each completion triggers the waiting attempt's sim::Event at the
// real moment it was seen. Phases come from libcurl's own timings.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "live/curl_stop.hpp"
#include "live/wall_clock.hpp"
#include "model/client_rate_limit.hpp"
#include "model/scenario.hpp"
#include "model/transport.hpp"

namespace live {

inline constexpr std::int64_t kDefaultMaxBody = std::int64_t{100} << 20;  // 100 MiB

struct CurlOptions {
  std::string url_template;                 // http(s) URL with "{name}" (see curl_url.hpp)
  std::int64_t max_body = kDefaultMaxBody;  // a longer body aborts the attempt (status error)
  std::filesystem::path save_dir;           // keep successful bodies here; empty = count only
  bool follow_redirects = false;            // at most 5, http and https only
  // The server speaks HTTP/1.1 only (the built-in one): HTTP/2 clients ask for 1.1 too.
  bool http1_server = false;
  std::string ca_file;  // trust these certificates (PEM) instead of the system's; "" = system
  // Per-attempt limit when the scenario's client has no timeout (status timeout), so a stalled
  // server cannot hold a run forever.
  sim::Duration safety_timeout = std::chrono::minutes(10);
  LiveStop* stop = nullptr;  // SIGINT: no new transfers, the rest get a grace
  sim::Duration stop_grace = std::chrono::seconds(1);
};

// True when this libcurl multiplexes HTTP/2 over http:// (prior knowledge) on a reused
// connection; else live mode sends HTTP/2 clients' http:// requests over HTTP/1.1.
bool h2c_multiplexes();

class CurlTransport : public model::Transport, public OutsideWork {
 public:
  // Attaches itself to `clock` as its outside work (and detaches when destroyed).
  // `client` is the strategy's (Scenario::client_of); by default the scenario's [client].
  CurlTransport(sim::Simulation& sim, WallClock& clock, const model::Scenario& scenario,
                CurlOptions options);
  CurlTransport(sim::Simulation& sim, WallClock& clock, const model::Scenario& scenario,
                const model::Client& client, CurlOptions options);
  ~CurlTransport() override;
  bool live() const override { return true; }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  sim::Process<model::AttemptResult> attempt(const model::Job& job,
                                             model::PhaseRecorder& rec) override;

  bool pending() const override { return in_flight_ > 0; }
  bool drive(sim::Simulation& sim, WallTime deadline) override;

  // Called once, on the simulation's thread, when the transport first sees a stop request.
  void on_stop(std::function<void()> f) { on_stop_ = std::move(f); }
  bool stopped() const { return stopping_; }

  struct Stats {
    std::uint64_t transfers = 0;        // handed to libcurl
    std::uint64_t new_connections = 0;  // CURLINFO_NUM_CONNECTS summed (0 for a reused one)
    std::uint64_t aborted = 0;          // cut off at the end of a stop's grace period
  };
  const Stats& stats() const { return stats_; }

 private:
  struct Transfer;
  friend struct Transfer;

  CURL* take_easy();
  void give_back(CURL* easy);
  void notice_stop();
  // The attempt a stop reached before its transfer began, or nullopt.
  std::optional<model::AttemptResult> stopped(const model::PhaseRecorder& rec);
  bool drain(sim::Simulation& sim);
  void abort_all(sim::Simulation& sim);
  std::string save_name(const model::Job& job);

  sim::Simulation* sim_;
  WallClock* clock_;
  const model::Client* client_;
  CurlOptions options_;
  model::ClientRateLimiter client_limit_;  // the client's rate_limit, on the run's wall clock
  CURLM* multi_ = nullptr;
  std::vector<CURL*> idle_easy_;   // reset handles to reuse
  std::vector<Transfer*> active_;  // in the multi handle
  int in_flight_ = 0;
  bool stopping_ = false;
  WallTime grace_end_{};
  std::function<void()> on_stop_;
  Stats stats_;
  std::unordered_map<long, std::uint32_t> connections_;  // local port -> Outcome::connection
};

// What one finished (or given-up) libcurl attempt amounts to, as the model counts it.
struct CurlVerdict {
  CURLcode code = CURLE_OK;
  long http_status = 0;
  std::int64_t body_bytes = 0;  // 2xx body bytes received
  bool over_cap = false;        // the body passed max_body
  std::int64_t max_body = 0;
  bool stopped = false;                      // cut off by a stop request
  std::string curl_error;                    // CURLOPT_ERRORBUFFER
  std::string save_error;                    // --save could not write the body
  sim::Duration timeout{0};                  // the safety timeout, for the message
  std::optional<sim::Duration> retry_after;  // the answer's Retry-After header, if any
};
model::AttemptResult classify(const CurlVerdict& v);

// The Retry-After header of the transfer's answer (seconds or an HTTP date, as libcurl reads
// it), nullopt when the answer had none.
std::optional<sim::Duration> retry_after_of(CURL* easy);

// libcurl's timings of one transfer, in microseconds from its start (0 = not reached).
struct CurlTimings {
  std::int64_t connect = 0;        // max(CONNECT, APPCONNECT): TCP (+ TLS) ready
  std::int64_t pretransfer = 0;    // request about to be sent
  std::int64_t starttransfer = 0;  // first response byte
  std::int64_t total = 0;
  bool new_connection = true;
};
// Records connect, request, server (service + first byte) and transfer spans from `start`;
// the phase in progress when the attempt ended runs to `end`.
void record_phases(model::PhaseRecorder& rec, sim::Time start, const CurlTimings& t, sim::Time end);

}  // namespace live
