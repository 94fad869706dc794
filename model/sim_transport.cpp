#include "model/sim_transport.hpp"

#include <algorithm>

namespace model {

SimTransport::SimTransport(sim::Simulation& sim, const Scenario& scenario, std::uint64_t seed)
    : sim_(&sim),
      scenario_(&scenario),
      seed_(seed),
      link_(sim, scenario.network.bandwidth, scenario.network.per_connection),
      handoff_(sim),
      never_(sim),
      missing_(scenario.server.missing.begin(), scenario.server.missing.end()) {
  if (scenario.server.workers > 0) {
    server_workers_.emplace(sim, static_cast<std::size_t>(scenario.server.workers));
  }
  free_host_slots_ = scenario.network.per_host_limit;
  if (const ServerRateLimit& limit = scenario.server.rate_limit; limit.rate > 0)
    rate_limit_.emplace(limit.rate, limit.burst);
}

SimTransport::~SimTransport() {
  closing_ = true;
}

bool SimTransport::take_connection(Connection& conn) {
  const Network& net = scenario_->network;
  if (net.keep_alive && !idle_.empty()) {
    conn = std::move(idle_.back());
    idle_.pop_back();
    return true;
  }
  if (net.per_host_limit <= 0) return true;
  if (free_host_slots_ > 0) {
    --free_host_slots_;
    conn = Connection{Duration::zero(), false, HostLease(this)};
    return true;
  }
  return false;
}

void SimTransport::give_back(Connection conn) {
  if (scenario_->network.per_host_limit > 0 && handoff_.waiting_getters() > 0) {
    handoff_.put(std::move(conn));
  } else {
    idle_.push_back(std::move(conn));
  }
}

void SimTransport::slot_freed() noexcept {
  if (closing_) return;
  if (handoff_.waiting_getters() > 0) {
    handoff_.put(Connection{Duration::zero(), false, HostLease(this)});
  } else {
    ++free_host_slots_;
  }
}

// Linux drops a SYN when the listener's accept queue already holds backlog + 1 connections.
// The server accepts as fast as connections come, but only once the instant's arrivals have
// been handled: connect() calls at one instant beyond backlog + 1 have their SYN dropped. Their
// retransmissions, sent together by the kernel's timers, are each checked before any of their
// handshakes completes, so they find the room the accepting thread has made since: they do not
// fill the queue for one another (a client whose final ACK overflowed is connected all the same
// and its request waits for the accept).
bool SimTransport::syn_answered(bool retransmitted) {
  const int backlog = scenario_->server.backlog;
  if (backlog <= 0) return true;
  if (sim_->now() != accept_instant_) {
    accept_instant_ = sim_->now();
    accept_queued_ = 0;
  }
  if (accept_queued_ >= backlog + 1) return false;
  if (!retransmitted) ++accept_queued_;
  return true;
}

sim::Process<bool> SimTransport::open_connection(const Draws& d, Duration rtt) {
  const Network& net = scenario_->network;
  const Duration handshakes = sim::scale_saturating(rtt, 1 + (net.tls ? net.tls_rtts : 0));
  if (scenario_->server.backlog <= 0) {
    co_await sim_->timeout(sim::add_saturating(d.dns, handshakes));
    co_return true;
  }
  // The SYN reaches the server half a round trip after it is sent.
  const Duration half = rtt / 2;
  co_await sim_->timeout(sim::add_saturating(d.dns, half));
  Duration rto = std::chrono::seconds(1);  // Linux's initial retransmission timeout, doubling
  for (int retry = 0; !syn_answered(retry > 0); ++retry) {
    if (retry == scenario_->server.syn_retries) {
      co_await sim_->timeout(rto);  // the last wait, then connect() gives up
      co_return false;
    }
    co_await sim_->timeout(rto);
    rto *= 2;
  }
  co_await sim_->timeout(handshakes - half);
  co_return true;
}

SimTransport::Draws SimTransport::draw(const Scenario& s, std::uint64_t seed,
                                       std::uint32_t download, int attempt) {
  Rng rng = Rng::derive(seed, (static_cast<std::uint64_t>(download) << 8) |
                                  static_cast<std::uint64_t>(attempt & 0xff));
  const Network& net = s.network;
  const Server& srv = s.server;
  Draws d{};
  d.rtt = sim::from_seconds(net.rtt.sample_within(rng, kMaxDrawnSeconds));
  d.dns = sim::from_seconds(net.dns.sample_within(rng, kMaxDrawnSeconds));
  d.service = sim::from_seconds(srv.service.sample_within(rng, kMaxDrawnSeconds));
  d.stall = srv.stall_rate > 0 && rng.uniform01() < srv.stall_rate;
  d.status = 200;
  for (const ErrorRule& rule : srv.errors) {
    const bool hit = rng.uniform01() < rule.rate;
    if (hit && d.status == 200) d.status = rule.status;
  }
  return d;
}

Duration SimTransport::body_time(const Scenario& s, std::int64_t bytes) {
  const Network& net = s.network;
  double rate = net.bandwidth;
  if (net.per_connection > 0)
    rate = rate > 0 ? std::min(rate, net.per_connection) : net.per_connection;
  return rate > 0 ? sim::from_seconds(static_cast<double>(bytes) / rate) : Duration::zero();
}

Duration SimTransport::connect_time(const Scenario& s, const Draws& d) {
  const Network& net = s.network;
  return net.keep_alive ? Duration::zero()
                        : sim::add_saturating(d.dns, sim::scale_saturating(
                                                         d.rtt, 1 + (net.tls ? net.tls_rtts : 0)));
}

Duration SimTransport::alone(const Scenario& s, std::uint64_t seed, std::uint32_t download,
                             int attempt, std::int64_t bytes, Duration kept_rtt) {
  const Draws d = draw(s, seed, download, attempt);
  // A kept-alive connection may have been opened by another download, with its RTT.
  const Duration rtt = s.network.keep_alive ? kept_rtt : d.rtt;
  return sim::add_saturating(
      sim::add_saturating(sim::add_saturating(connect_time(s, d), rtt), d.service),
      body_time(s, bytes));
}

sim::Process<AttemptResult> SimTransport::attempt(const Job& job, PhaseRecorder& rec) {
  Draws d = draw(*scenario_, seed_, job.id, rec.attempt());
  if (missing_.count(job.name) != 0) d.status = 404;
  const Network& net = scenario_->network;

  Connection conn;
  if (!take_connection(conn)) {
    // Like aiohttp's limit_per_host or urllib3's pool_block: wait for the host, and take the
    // connection the next finished request hands back (no new handshake) or its freed slot.
    rec.begin(Phase::queued);
    Connection handed = co_await handoff_.get();
    conn = std::move(handed);
  }
  if (!conn.open) {
    conn.rtt = d.rtt;
    rec.begin(Phase::connect);
    const bool opened = co_await open_connection(d, conn.rtt);
    if (!opened) {
      rec.end();
      AttemptResult refused;
      refused.status = Status::error;
      refused.error = "connection timed out: the server's accept queue was full and " +
                      std::to_string(scenario_->server.syn_retries) +
                      " SYN retries went unanswered";
      co_return refused;
    }
    conn.open = true;
  }
  const Duration half_rtt = conn.rtt / 2;

  rec.begin(Phase::request);
  co_await sim_->timeout(half_rtt);

  // Over the rate limit's budget: answered at once, with no worker and no service time.
  const bool limited = rate_limit_ && !rate_limit_->take(sim_->now());
  if (limited) {
    const ServerRateLimit& limit = scenario_->server.rate_limit;
    d.status = limit.status;
    d.stall = false;
    d.service = Duration::zero();
  }
  if (!limited) {
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
    if (limited) {
      result.error += " (over the server's rate limit)";
      result.retry_after = scenario_->server.rate_limit.retry_after;
    }
  }
  rec.end();

  // A kept-alive connection goes back to the pool (or straight to a waiter); otherwise it
  // closes here and its host slot, if any, is freed.
  if (net.keep_alive) give_back(std::move(conn));
  co_return result;
}

}  // namespace model
