// The simulated world behind a download: connections over the network (RTT, DNS, TLS,
// keep-alive, per-host limit), the server (workers, service time, errors, stalls) and the
// shared downlink. Every draw comes from a stream of the run seed, the download and the
// attempt, so all strategies of a run see the same sizes, RTTs and service times.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_set>
#include <vector>

#include "model/link.hpp"
#include "model/scenario.hpp"
#include "model/transport.hpp"

namespace model {

class SimTransport : public Transport {
 public:
  SimTransport(sim::Simulation& sim, const Scenario& scenario, std::uint64_t seed);
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

 private:
  struct Connection {
    Duration rtt{0};
    sim::Resource::Slot host_slot;  // held while the connection is open (per-host limit)
  };

  sim::Simulation* sim_;
  const Scenario* scenario_;
  std::uint64_t seed_;
  Link link_;
  std::optional<sim::Resource> server_workers_;
  std::optional<sim::Resource> host_slots_;
  std::vector<Connection> idle_;  // kept-alive connections
  sim::Event<> never_;            // what a stalled request waits for
  std::unordered_set<std::string> missing_;
};

}  // namespace model
