// The simulated world behind a download: connections over the network (RTT, DNS, TLS, the
// server's accept queue) from the client's pool (model/connection_pool.hpp), its timeouts, the
// server (rate limit, workers, service time, errors, stalls) and the shared downlink. Every draw
// comes from a stream of the run seed, the download and the attempt, so all strategies of a run
// see the same sizes, RTTs and service times.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "model/client_rate_limit.hpp"
#include "model/connection_pool.hpp"
#include "model/link.hpp"
#include "model/scenario.hpp"
#include "model/token_bucket.hpp"
#include "model/transport.hpp"

namespace model {

class SimTransport : public Transport {
 public:
  // `client` is the strategy's (Scenario::client_of); by default the scenario's [client].
  SimTransport(sim::Simulation& sim, const Scenario& scenario, std::uint64_t seed);
  SimTransport(sim::Simulation& sim, const Scenario& scenario, const Client& client,
               std::uint64_t seed);
  SimTransport(const SimTransport&) = delete;
  SimTransport& operator=(const SimTransport&) = delete;
  ~SimTransport() override;
  sim::Process<AttemptResult> attempt(const Job& job, PhaseRecorder& rec) override;

  // What one attempt of one download draws: the same for every strategy of a run.
  struct Draws {
    Duration rtt, dns, service;
    int status;  // what the server answers (before 404s for missing items)
    bool stall;
  };
  // `host` is the download's (Job::host, Outcome::host).
  static Draws draw(const Scenario& s, std::uint32_t host, std::uint64_t seed,
                    std::uint32_t download, int attempt);
  // Only the first two of those draws, the RTT and the DNS time (the rest zero): what a
  // connection needs.
  static Draws draw_connect(const Scenario& s, std::uint32_t host, std::uint64_t seed,
                            std::uint32_t download, int attempt);

  // The time one download takes alone, with nothing shared and nothing to wait for: a new
  // connection, the request, the server's time, the body over the link. With keep-alive the
  // connection may be another's: no connect, and `kept_rtt` (the smallest RTT any connection
  // of the run drew) for the round trip.
  static Duration alone(const Scenario& s, const Client& c, std::uint32_t host, std::uint64_t seed,
                        std::uint32_t download, int attempt, std::int64_t bytes, Duration kept_rtt);
  // The same from the attempt's draws (of a download on `host`).
  static Duration alone(const Scenario& s, const Client& c, std::uint32_t host, const Draws& d,
                        std::int64_t bytes, Duration kept_rtt);
  // The body alone on the link (the whole bandwidth, or the per-connection cap), through slow
  // start on a `fresh` connection with this RTT.
  static Duration body_time(const Scenario& s, std::int64_t bytes, Duration rtt, bool fresh);
  // A body's rate alone on the link, bytes/s (0 = unlimited).
  static double body_rate(const Scenario& s);
  // Each host's own uplink ([[host]] bandwidth) in body bytes/s; 0 = none.
  static std::vector<double> host_rates(const Scenario& s);
  // A new connection's DNS and handshakes to `host`.
  static Duration handshake_time(const Scenario& s, std::uint32_t host, const Draws& d);
  // The same, zero with keep-alive (the connection may be another's).
  static Duration connect_time(const Scenario& s, const Client& c, std::uint32_t host,
                               const Draws& d);

 private:
  using Connection = ConnectionPool::Connection;
  // From the request sent to the answer's first byte: the request's way, the server's queue
  // and service (forever on a stall), the answer's way back. True when the server refused it
  // over its rate limit.
  struct HostState;
  struct H2Stream;  // HTTP/2 (model/sim_http2.cpp)
  struct H2Connection;
  class H2Hold;  // a stream taken on a connection, given back when dropped
  sim::Process<bool> until_first_byte(HostState& h, Draws d, Duration rtt, PhaseRecorder& rec);
  // Waits for a connection from the host's pool and puts it in `box`.
  sim::Process<bool> wait_for_connection(HostState& h,
                                         std::shared_ptr<std::optional<Connection>> box);
  AttemptResult timed_out(PhaseRecorder& rec, const char* what, Duration limit) const;

  // The rate limit ([server] rate_limit) at the request's arrival: true, and `d` made the
  // refusal's answer, when the budget is spent.
  bool over_rate_limit(HostState& h, Draws& d);
  static void over_rate_limit_answer(const HostState& h, Draws& d);
  // The accept queue ([server] backlog): true when a SYN arriving now is answered.
  bool syn_answered(HostState& h, bool retransmitted);
  // A new connection's DNS (`dns`) and handshakes, with the SYN retries of a full accept
  // queue; false when every retry was dropped (connect() timed out).
  sim::Process<bool> open_connection(HostState& h, Duration dns, Duration rtt);

  // What each host has of its own: its server's workers and rate limit, its accept queue, the
  // client's pool of connections to it and its DNS lookup.
  struct HostState {
    HostState(sim::Simulation& sim, const Network& network, const Server& server,
              const Client& client, std::string_view name);
    const Network* network;
    const Server* server;
    std::string_view name;
    std::uint32_t index = 0;  // Job::host
    std::optional<sim::Resource> workers;
    ConnectionPool pool;
    std::optional<TokenBucket> rate_limit;  // its server's: admits requests as they arrive
    Time accept_instant{-1};                // the accept queue: connections queued at this instant
    int accept_queued = 0;
    std::optional<Time> dns_done;  // dns_cache: when the host's one lookup ends (once begun)
    std::vector<std::shared_ptr<H2Connection>> h2;  // HTTP/2: open or being opened, oldest first
  };
  // The wait for the DNS answer of a new connection to `h` made now: the drawn lookup, or with
  // the client's dns_cache the rest of the host's one lookup (none once it has ended).
  Duration dns_wait(HostState& h, Duration drawn);
  // Waits for a place among the client's connections in use across hosts (max_connections
  // with several hosts) and puts it in `box`.
  sim::Process<bool> wait_for_place(std::shared_ptr<std::optional<sim::Resource::Slot>> box);
  // The answer's status as the attempt's result: a 404, an HTTP error (a refusal over the
  // server's rate limit when `limited`), or a success of `bytes`.
  AttemptResult answered(const HostState& h, const Draws& d, bool limited,
                         std::int64_t bytes) const;
  // connect() given up after the SYN retries of a full accept queue.
  static AttemptResult refused(const HostState& h);

  // HTTP/2 (Client::http2; model/sim_http2.cpp): each host's connections carry up to
  // max_streams streams; one sender per connection sends its streams' bodies through one TCP
  // window, as one transfer on the link.
  sim::Process<AttemptResult> attempt_h2(const Job& job, PhaseRecorder& rec, HostState& h, Draws d);
  // A stream on the host's first connection with one free, else on a new connection (opened
  // by its own process); none when max_connections are open and none of them is idle.
  H2Hold h2_stream(HostState& h, const Draws& d);
  bool h2_close_idle();  // closes the connection idle longest, if any
  void h2_release(H2Connection& c);
  sim::Process<bool> h2_wait(HostState& h, Draws d, std::shared_ptr<H2Hold> box);
  sim::Process<> h2_open(HostState& h, std::shared_ptr<H2Connection> c, Duration dns);
  sim::Process<> h2_send(std::shared_ptr<H2Connection> c);

  sim::Simulation* sim_;
  const Scenario* scenario_;
  const Client* client_;
  std::uint64_t seed_;
  Link link_;
  std::vector<std::unique_ptr<HostState>> hosts_;
  // With several hosts, max_connections caps the connections in use at once across them (as
  // aiohttp's limit: idle kept ones do not count); each host's pool has its own cap.
  std::optional<sim::Resource> in_use_;
  ClientRateLimiter client_limit_;  // the client's rate_limit: each attempt's token
  sim::Event<> never_;              // what a stalled request waits for
  std::unordered_set<std::string> missing_;
  std::uint32_t connections_ = 0;           // opened so far (Outcome::connection numbers them)
  int h2_connections_ = 0;                  // HTTP/2 connections open or being opened, across hosts
  int h2_waiting_ = 0;                      // requests waiting for a stream
  std::shared_ptr<sim::Event<>> h2_freed_;  // fired (and replaced) when a stream is given back
};

}  // namespace model
