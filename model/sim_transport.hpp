// The simulated world behind a download: connections over the network (RTT, DNS, TLS,
// keep-alive, per-host limit), the server (rate limit, workers, service time, errors, stalls) and
// the shared downlink. Every draw comes from a stream of the run seed, the download and the
// attempt, so all strategies of a run see the same sizes, RTTs and service times.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_set>
#include <utility>
#include <vector>

#include "model/link.hpp"
#include "model/scenario.hpp"
#include "model/token_bucket.hpp"
#include "model/transport.hpp"

namespace model {

class SimTransport : public Transport {
 public:
  SimTransport(sim::Simulation& sim, const Scenario& scenario, std::uint64_t seed);
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
  static Draws draw(const Scenario& s, std::uint64_t seed, std::uint32_t download, int attempt);

  // The time one download takes alone, with nothing shared and nothing to wait for: a new
  // connection, the request, the server's time, the body over the link. With keep-alive the
  // connection may be another's: no connect, and `kept_rtt` (the smallest RTT any connection
  // of the run drew) for the round trip.
  static Duration alone(const Scenario& s, std::uint64_t seed, std::uint32_t download, int attempt,
                        std::int64_t bytes, Duration kept_rtt);
  // The body alone on the link (the whole bandwidth, or the per-connection cap).
  static Duration body_time(const Scenario& s, std::int64_t bytes);
  // A new connection's DNS and handshakes (zero with keep-alive: it may be another's).
  static Duration connect_time(const Scenario& s, const Draws& d);

 private:
  // One of the host's connection slots (per-host limit), held while a connection is open or
  // about to be opened; ending the lease gives the slot to the next waiter or back to the host.
  class HostLease {
   public:
    HostLease() = default;
    explicit HostLease(SimTransport* owner) : owner_(owner), sim_(owner->sim_) {}
    HostLease(HostLease&& o) noexcept
        : owner_(std::exchange(o.owner_, nullptr)), sim_(std::exchange(o.sim_, nullptr)) {}
    HostLease& operator=(HostLease&& o) noexcept {
      if (this != &o) {
        end();
        owner_ = std::exchange(o.owner_, nullptr);
        sim_ = std::exchange(o.sim_, nullptr);
      }
      return *this;
    }
    HostLease(const HostLease&) = delete;
    HostLease& operator=(const HostLease&) = delete;
    ~HostLease() { end(); }

   private:
    // Frames torn down with the simulation may outlive the transport: touch neither then.
    void end() noexcept {
      SimTransport* o = std::exchange(owner_, nullptr);
      if (o != nullptr && !sim_->shutting_down()) o->slot_freed();
    }
    SimTransport* owner_ = nullptr;
    sim::Simulation* sim_ = nullptr;
  };
  struct Connection {
    Duration rtt{0};
    bool open = false;  // false: a host slot to open a connection in
    HostLease lease;    // per-host limit only
  };

  // A connection for the next request at once: an idle kept-alive one, else a free host slot
  // (or none needed). False when the per-host limit is reached: then wait on handoff_.
  bool take_connection(Connection& conn);
  // After a request: a kept-alive connection goes to the first waiter, else to the idle ones.
  void give_back(Connection conn);
  void slot_freed() noexcept;
  // The accept queue ([server] backlog): true when a SYN arriving now is answered.
  bool syn_answered(bool retransmitted);
  // A new connection's DNS and handshakes, with the SYN retries of a full accept queue; false
  // when every retry was dropped (connect() timed out).
  sim::Process<bool> open_connection(const Draws& d, Duration rtt);

  bool closing_ = false;  // first member, last destroyed: leases ending now change nothing
  sim::Simulation* sim_;
  const Scenario* scenario_;
  std::uint64_t seed_;
  Link link_;
  std::optional<sim::Resource> server_workers_;
  std::optional<TokenBucket> rate_limit_;  // [server] rate_limit: admits requests as they arrive
  Time accept_instant_{-1};                // the accept queue: connections queued at this instant
  int accept_queued_ = 0;
  int free_host_slots_ = 0;         // per-host limit: slots with no connection
  sim::Store<Connection> handoff_;  // waiters for a host slot get connections here
  std::vector<Connection> idle_;    // kept-alive connections
  sim::Event<> never_;              // what a stalled request waits for
  std::unordered_set<std::string> missing_;
};

}  // namespace model
