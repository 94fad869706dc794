#include "model/sim_transport.hpp"

#include <algorithm>

namespace model {

SimTransport::SimTransport(sim::Simulation& sim, const Scenario& scenario, std::uint64_t seed)
    : sim_(&sim),
      scenario_(&scenario),
      seed_(seed),
      link_(sim, scenario.network.bandwidth, scenario.network.per_connection),
      never_(sim),
      missing_(scenario.server.missing.begin(), scenario.server.missing.end()) {
  if (scenario.server.workers > 0) {
    server_workers_.emplace(sim, static_cast<std::size_t>(scenario.server.workers));
  }
  if (scenario.network.per_host_limit > 0) {
    host_slots_.emplace(sim, static_cast<std::size_t>(scenario.network.per_host_limit));
  }
}

SimTransport::Draws SimTransport::draw(const Scenario& s, std::uint64_t seed,
                                       std::uint32_t download, int attempt) {
  Rng rng = Rng::derive(seed, (static_cast<std::uint64_t>(download) << 8) |
                                  static_cast<std::uint64_t>(attempt & 0xff));
  const Network& net = s.network;
  const Server& srv = s.server;
  Draws d{};
  d.rtt = sim::from_seconds(net.rtt.sample(rng));
  d.dns = sim::from_seconds(net.dns.sample(rng));
  d.service = sim::from_seconds(srv.service.sample(rng));
  d.stall = srv.stall_rate > 0 && rng.uniform01() < srv.stall_rate;
  d.status = 200;
  for (const ErrorRule& rule : srv.errors) {
    const bool hit = rng.uniform01() < rule.rate;
    if (hit && d.status == 200) d.status = rule.status;
  }
  return d;
}

Duration SimTransport::alone(const Scenario& s, std::uint64_t seed, std::uint32_t download,
                             int attempt, std::int64_t bytes, Duration kept_rtt) {
  const Draws d = draw(s, seed, download, attempt);
  const Network& net = s.network;
  // A kept-alive connection may have been opened by another download, with its RTT.
  const Duration rtt = net.keep_alive ? kept_rtt : d.rtt;
  const Duration connect =
      net.keep_alive ? Duration::zero() : d.dns + d.rtt * (1 + (net.tls ? net.tls_rtts : 0));
  double rate = net.bandwidth;
  if (net.per_connection > 0)
    rate = rate > 0 ? std::min(rate, net.per_connection) : net.per_connection;
  const Duration body =
      rate > 0 ? sim::from_seconds(static_cast<double>(bytes) / rate) : Duration::zero();
  return connect + rtt + d.service + body;
}

sim::Process<AttemptResult> SimTransport::attempt(const Job& job, PhaseRecorder& rec) {
  Draws d = draw(*scenario_, seed_, job.id, rec.attempt());
  if (missing_.count(job.name) != 0) d.status = 404;
  const Network& net = scenario_->network;

  Connection conn;
  if (net.keep_alive && !idle_.empty()) {
    conn = std::move(idle_.back());
    idle_.pop_back();
  } else {
    if (host_slots_) {
      rec.begin(Phase::queued);
      sim::Resource::Slot slot = co_await host_slots_->acquire();
      conn.host_slot = std::move(slot);
    }
    conn.rtt = d.rtt;
    rec.begin(Phase::connect);
    const int handshakes = 1 + (net.tls ? net.tls_rtts : 0);
    co_await sim_->timeout(d.dns + conn.rtt * handshakes);
  }
  const Duration half_rtt = conn.rtt / 2;

  rec.begin(Phase::request);
  co_await sim_->timeout(half_rtt);

  {
    sim::Resource::Slot worker;
    if (server_workers_) {
      rec.begin(Phase::server_queue);  // dropped when a worker is free at once (no time)
      sim::Resource::Slot slot = co_await server_workers_->acquire();
      worker = std::move(slot);
    }
    rec.begin(Phase::service);
    if (d.stall) co_await never_;  // no answer: only the client's timeout ends this
    co_await sim_->timeout(d.service);
  }

  AttemptResult result;
  result.http_status = d.status;
  rec.begin(Phase::transfer);
  co_await sim_->timeout(conn.rtt - half_rtt);
  if (d.status == 200) {
    co_await link_.transfer(job.bytes);
    result.bytes = job.bytes;
  } else if (d.status == 404) {
    result.status = Status::not_found;
    result.error = "HTTP 404 Not Found";
  } else {
    result.status = Status::error;
    result.error = "HTTP " + std::to_string(d.status);
  }
  rec.end();

  // A kept-alive connection goes back to the pool, unless someone waits for a host slot.
  if (net.keep_alive && !(host_slots_ && host_slots_->queued() > 0)) {
    idle_.push_back(std::move(conn));
  }
  co_return result;
}

}  // namespace model
