#include "model/sim_transport.hpp"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "model/bounded_wait.hpp"
#include "model/tcp.hpp"

namespace model {

SimTransport::SimTransport(sim::Simulation& sim, const Scenario& scenario, std::uint64_t seed)
    : SimTransport(sim, scenario, scenario.client, seed) {}

SimTransport::HostState::HostState(sim::Simulation& sim, const Network& net, const Server& srv,
                                   const Client& client, std::string_view host_name)
    : network(&net), server(&srv), name(host_name), pool(sim, client, net.per_host_limit) {
  if (srv.workers > 0) workers.emplace(sim, static_cast<std::size_t>(srv.workers));
  if (const ServerRateLimit& limit = srv.rate_limit; limit.rate > 0)
    rate_limit.emplace(limit.rate, limit.burst);
}

SimTransport::SimTransport(sim::Simulation& sim, const Scenario& scenario, const Client& client,
                           std::uint64_t seed)
    : sim_(&sim),
      scenario_(&scenario),
      client_(&client),
      seed_(seed),
      link_(sim, scenario.network.goodput(), scenario.network.per_connection, host_rates(scenario)),
      client_limit_(client.rate_limit),
      never_(sim),
      missing_(scenario.server.missing.begin(), scenario.server.missing.end()) {
  for (std::size_t h = 0; h < scenario.host_count(); ++h) {
    hosts_.push_back(std::make_unique<HostState>(sim, scenario.network_of(h), scenario.server_of(h),
                                                 client, scenario.host_name(h)));
    hosts_.back()->index = static_cast<std::uint32_t>(h);
  }
  if (scenario.host_count() > 1 && client.max_connections > 0 &&
      client.when_full == Client::WhenFull::wait && !client.http2)
    in_use_.emplace(sim, static_cast<std::size_t>(client.max_connections));
  if (client.http2) h2_freed_ = std::make_shared<sim::Event<>>(sim);
}

SimTransport::~SimTransport() = default;

std::vector<double> SimTransport::host_rates(const Scenario& s) {
  std::vector<double> out;
  for (const Host& h : s.hosts) {
    Network uplink = s.network;  // the client's segments and header bytes, the host's rate
    uplink.bandwidth = h.bandwidth;
    out.push_back(uplink.goodput());
  }
  return out;
}

// Linux drops a SYN when the listener's accept queue already holds backlog + 1 connections.
// The server accepts as fast as connections come, but only once the instant's arrivals have
// been handled: connect() calls at one instant beyond backlog + 1 have their SYN dropped. Their
// retransmissions, sent together by the kernel's timers, are each checked before any of their
// handshakes completes, so they find the room the accepting thread has made since: they do not
// fill the queue for one another (a client whose final ACK overflowed is connected all the same
// and its request waits for the accept).
bool SimTransport::syn_answered(HostState& h, bool retransmitted) {
  const int backlog = h.server->backlog;
  if (backlog <= 0) return true;
  if (sim_->now() != h.accept_instant) {
    h.accept_instant = sim_->now();
    h.accept_queued = 0;
  }
  if (h.accept_queued >= backlog + 1) return false;
  if (!retransmitted) ++h.accept_queued;
  return true;
}

sim::Process<bool> SimTransport::open_connection(HostState& h, Duration dns, Duration rtt) {
  const Network& net = *h.network;
  const Duration handshakes = sim::scale_saturating(rtt, 1 + (net.tls ? net.tls_rtts : 0));
  if (h.server->backlog <= 0) {
    co_await sim_->timeout(sim::add_saturating(dns, handshakes));
    co_return true;
  }
  // The SYN reaches the server half a round trip after it is sent.
  const Duration half = rtt / 2;
  co_await sim_->timeout(sim::add_saturating(dns, half));
  Duration rto = std::chrono::seconds(1);  // Linux's initial retransmission timeout, doubling
  for (int retry = 0; !syn_answered(h, retry > 0); ++retry) {
    if (retry == h.server->syn_retries) {
      co_await sim_->timeout(rto);  // the last wait, then connect() gives up
      co_return false;
    }
    co_await sim_->timeout(rto);
    rto *= 2;
  }
  co_await sim_->timeout(handshakes - half);
  co_return true;
}

Duration SimTransport::dns_wait(HostState& h, Duration drawn) {
  if (!client_->dns_cache) return drawn;
  const Time now = sim_->now();
  if (!h.dns_done) {
    h.dns_done = sim::add_saturating(now, drawn);
    return drawn;
  }
  return *h.dns_done > now ? *h.dns_done - now : Duration::zero();
}

namespace {

Rng attempt_rng(std::uint64_t seed, std::uint32_t download, int attempt) {
  return Rng::derive(seed, (static_cast<std::uint64_t>(download) << 8) |
                               static_cast<std::uint64_t>(attempt & 0xff));
}

// The first draws of an attempt's stream: its connection's.
void draw_connection(const Network& net, Rng& rng, SimTransport::Draws& d) {
  d.rtt = sim::from_seconds(net.rtt.sample_within(rng, kMaxDrawnSeconds));
  d.dns = sim::from_seconds(net.dns.sample_within(rng, kMaxDrawnSeconds));
}

}  // namespace

SimTransport::Draws SimTransport::draw_connect(const Scenario& s, std::uint32_t host,
                                               std::uint64_t seed, std::uint32_t download,
                                               int attempt) {
  Rng rng = attempt_rng(seed, download, attempt);
  Draws d{};
  draw_connection(s.network_of(host), rng, d);
  d.status = 200;
  return d;
}

SimTransport::Draws SimTransport::draw(const Scenario& s, std::uint32_t host, std::uint64_t seed,
                                       std::uint32_t download, int attempt) {
  Rng rng = attempt_rng(seed, download, attempt);
  const Server& srv = s.server_of(host);
  Draws d{};
  draw_connection(s.network_of(host), rng, d);
  d.service = sim::from_seconds(srv.service.sample_within(rng, kMaxDrawnSeconds));
  d.stall = srv.stall_rate > 0 && rng.uniform01() < srv.stall_rate;
  d.status = 200;
  for (const ErrorRule& rule : srv.errors) {
    const bool hit = rng.uniform01() < rule.rate;
    if (hit && d.status == 200) d.status = rule.status;
  }
  return d;
}

Duration SimTransport::body_time(const Scenario& s, std::int64_t bytes, Duration rtt, bool fresh) {
  // A kept-alive connection's window may be any size already: no slow start then.
  const Duration rounds = fresh ? rtt : Duration::zero();
  return tcp::alone(s.network, body_rate(s), rounds, bytes, tcp::initial_window(s.network));
}

double SimTransport::body_rate(const Scenario& s) {
  const Network& net = s.network;
  double rate = net.goodput();
  if (net.per_connection > 0)
    rate = rate > 0 ? std::min(rate, net.per_connection) : net.per_connection;
  return rate;
}

Duration SimTransport::handshake_time(const Scenario& s, std::uint32_t host, const Draws& d) {
  const Network& net = s.network_of(host);
  return sim::add_saturating(d.dns, sim::scale_saturating(d.rtt, 1 + (net.tls ? net.tls_rtts : 0)));
}

Duration SimTransport::connect_time(const Scenario& s, const Client& c, std::uint32_t host,
                                    const Draws& d) {
  return c.keep_alive ? Duration::zero() : handshake_time(s, host, d);
}

Duration SimTransport::alone(const Scenario& s, const Client& c, std::uint32_t host,
                             std::uint64_t seed, std::uint32_t download, int attempt,
                             std::int64_t bytes, Duration kept_rtt) {
  return alone(s, c, host, draw(s, host, seed, download, attempt), bytes, kept_rtt);
}

Duration SimTransport::alone(const Scenario& s, const Client& c, std::uint32_t host, const Draws& d,
                             std::int64_t bytes, Duration kept_rtt) {
  // A kept-alive connection may have been opened by another download, with its RTT.
  const Duration rtt = c.keep_alive ? kept_rtt : d.rtt;
  return sim::add_saturating(
      sim::add_saturating(sim::add_saturating(connect_time(s, c, host, d), rtt), d.service),
      body_time(s, bytes, rtt, !c.keep_alive));
}

AttemptResult SimTransport::timed_out(PhaseRecorder& rec, const char* what, Duration limit) const {
  rec.end();
  AttemptResult r;
  r.status = Status::timeout;
  r.error = fmt::format(fmt::runtime(what), sim::to_seconds(limit));
  return r;
}

sim::Process<bool> SimTransport::wait_for_connection(
    HostState& h, std::shared_ptr<std::optional<Connection>> box) {
  Connection c = co_await h.pool.wait();
  box->emplace(std::move(c));
  co_return true;
}

sim::Process<bool> SimTransport::wait_for_place(
    std::shared_ptr<std::optional<sim::Resource::Slot>> box) {
  sim::Resource::Slot slot = co_await in_use_->acquire();
  box->emplace(std::move(slot));
  co_return true;
}

bool SimTransport::over_rate_limit(HostState& h, Draws& d) {
  if (!h.rate_limit || h.rate_limit->take(sim_->now())) return false;
  over_rate_limit_answer(h, d);
  return true;
}

void SimTransport::over_rate_limit_answer(const HostState& h, Draws& d) {
  // Over the budget: answered at once, with no worker and no service time.
  d.status = h.server->rate_limit.status;
  d.stall = false;
  d.service = Duration::zero();
}

sim::Process<bool> SimTransport::until_first_byte(HostState& h, Draws d, Duration rtt,
                                                  PhaseRecorder& rec) {
  const Duration half_rtt = rtt / 2;
  rec.begin(Phase::request);
  co_await sim_->timeout(half_rtt);
  const bool limited = over_rate_limit(h, d);
  if (!limited) {
    sim::Resource::Slot worker;
    if (h.workers) {
      rec.begin(Phase::server_queue);  // dropped when a worker is free at once (no time)
      sim::Resource::Slot slot = co_await h.workers->acquire();
      worker = std::move(slot);
    }
    rec.begin(Phase::service);
    if (d.stall) co_await never_;  // no answer: only a timeout ends this
    co_await sim_->timeout(d.service);
  }
  rec.begin(Phase::transfer);
  co_await sim_->timeout(rtt - half_rtt);
  co_return limited;
}

AttemptResult SimTransport::answered(const HostState& h, const Draws& d, bool limited,
                                     std::int64_t bytes) const {
  AttemptResult result;
  result.http_status = d.status;
  if (d.status == 200) {
    result.bytes = bytes;
  } else if (d.status == 404) {
    result.status = Status::not_found;
    result.error = "HTTP 404 Not Found";
  } else {
    result.status = Status::error;
    result.error = "HTTP " + std::to_string(d.status);
    if (limited) {
      result.error += " (over the server's rate limit)";
      result.retry_after = h.server->rate_limit.retry_after;
    }
  }
  return result;
}

AttemptResult SimTransport::refused(const HostState& h) {
  AttemptResult r;
  r.status = Status::error;
  r.error = "connection timed out: the server's accept queue was full and " +
            std::to_string(h.server->syn_retries) + " SYN retries went unanswered";
  return r;
}

sim::Process<AttemptResult> SimTransport::attempt(const Job& job, PhaseRecorder& rec) {
  HostState& h = *hosts_[job.host < hosts_.size() ? job.host : 0];
  Draws d = draw(*scenario_, job.host, seed_, job.id, rec.attempt());
  if (!missing_.empty() && missing_.count(job.name) != 0) d.status = 404;
  const Client& client = *client_;

  // The client's rate limit wraps the request, as aiolimiter does: the token first, then the
  // pool, so a request waiting for its token holds no connection another could use.
  if (client_limit_.active()) {
    rec.begin(Phase::rate_limit);  // dropped when the token is there at once (no time)
    const Duration wait = client_limit_.wait(sim_->now(), h.name);
    if (wait > Duration::zero()) co_await sim_->timeout(wait);
  }
  if (client.http2) {
    AttemptResult r = co_await attempt_h2(job, rec, h, d);
    co_return r;
  }

  Connection conn;
  const Time asked = sim_->now();  // pool_timeout bounds both waits together
  if (!h.pool.take(conn)) {
    // At the cap, like httpx, aiohttp or urllib3's pool_block: wait for the connection the
    // next finished request hands back (no new handshake) or the place a closed one frees.
    rec.begin(Phase::pool);
    if (client.pool_timeout) {
      // The box outlives this attempt if a total timeout stops it while waiting.
      auto box = std::make_shared<std::optional<Connection>>();
      const std::optional<bool> got =
          co_await within(*sim_, wait_for_connection(h, box), *client.pool_timeout);
      if (!got || !box->has_value())
        co_return timed_out(rec, "no connection from the pool within {:.3f} s (pool_timeout)",
                            *client.pool_timeout);
      conn = std::move(**box);
    } else {
      Connection handed = co_await h.pool.wait();
      conn = std::move(handed);
    }
  }
  // With several hosts, a place among the connections in use across them, after the host's.
  sim::Resource::Slot in_use;
  if (in_use_) {
    rec.begin(Phase::pool);  // dropped when a place is free at once (no time)
    if (client.pool_timeout) {
      auto box = std::make_shared<std::optional<sim::Resource::Slot>>();
      // What is left of pool_timeout after the wait for the host's connection.
      const Duration left = *client.pool_timeout - (sim_->now() - asked);
      const std::optional<bool> got = left > Duration::zero()
                                          ? co_await within(*sim_, wait_for_place(box), left)
                                          : std::optional<bool>();
      if (!got || !box->has_value())
        co_return timed_out(rec, "no connection from the pool within {:.3f} s (pool_timeout)",
                            *client.pool_timeout);
      in_use = std::move(**box);
    } else {
      sim::Resource::Slot slot = co_await in_use_->acquire();
      in_use = std::move(slot);
    }
  }
  if (!conn.open) {
    conn.rtt = d.rtt;
    rec.begin(Phase::connect);
    bool opened = true;
    d.dns = dns_wait(h, d.dns);
    if (h.server->backlog <= 0) {
      const Duration handshakes = handshake_time(*scenario_, job.host, d);
      if (client.connect_timeout && handshakes > *client.connect_timeout) {
        // The connection is given up (its place in the pool freed) when the limit passes.
        co_await sim_->timeout(*client.connect_timeout);
        co_return timed_out(rec, "no connection within {:.3f} s (connect_timeout)",
                            *client.connect_timeout);
      }
      co_await sim_->timeout(handshakes);
    } else if (client.connect_timeout) {
      // SYNs a full accept queue dropped are sent again: the limit may pass first.
      const std::optional<bool> got =
          co_await within(*sim_, open_connection(h, d.dns, conn.rtt), *client.connect_timeout);
      if (!got)
        co_return timed_out(rec, "no connection within {:.3f} s (connect_timeout)",
                            *client.connect_timeout);
      opened = *got;
    } else {
      opened = co_await open_connection(h, d.dns, conn.rtt);
    }
    if (!opened) {
      rec.end();
      co_return refused(h);
    }
    conn.open = true;
    conn.id = ++connections_;
  }
  rec.on_connection(conn.id);

  bool limited = false;  // answered at once, over the server's rate limit
  if (client.read_timeout) {
    // Silence from the request sent to the first byte of the answer; the body then flows at
    // its share of the link, a drip however slow, never a silence this long.
    const std::optional<bool> first =
        co_await within(*sim_, until_first_byte(h, d, conn.rtt, rec), *client.read_timeout);
    if (!first)
      co_return timed_out(rec, "no data for {:.3f} s (read_timeout)", *client.read_timeout);
    limited = *first;
    if (limited) over_rate_limit_answer(h, d);
  } else {
    // The same steps as until_first_byte, inline: no frame of its own on the hot path.
    const Duration half_rtt = conn.rtt / 2;
    rec.begin(Phase::request);
    co_await sim_->timeout(half_rtt);
    limited = over_rate_limit(h, d);
    if (!limited) {
      sim::Resource::Slot worker;
      if (h.workers) {
        rec.begin(Phase::server_queue);  // dropped when a worker is free at once (no time)
        sim::Resource::Slot slot = co_await h.workers->acquire();
        worker = std::move(slot);
      }
      rec.begin(Phase::service);
      if (d.stall) co_await never_;  // no answer: only a timeout ends this
      co_await sim_->timeout(d.service);
    }
    rec.begin(Phase::transfer);
    co_await sim_->timeout(conn.rtt - half_rtt);
  }

  if (d.status == 200) {
    const Network& net = scenario_->network;
    if (!tcp::on(net, conn.rtt)) {
      co_await link_.transfer(job.bytes, job.host);
    } else {
      // Slow start (model/tcp.hpp): a window a round, a round trip apart, until a round
      // fills the round trip; then the rest at the link's share.
      std::int64_t window =
          tcp::after_idle(net, conn.window, sim_->now() - conn.sent_until, conn.rtt);
      std::int64_t left = job.bytes;
      const Duration ack = tcp::ack_time(net, body_rate(*scenario_), conn.rtt);
      while (left > 0) {
        const Time round = sim_->now();
        const std::int64_t sent = std::min(window, left);
        co_await link_.transfer(sent, job.host);
        left -= sent;
        window = tcp::grown(net, window, sent);
        if (left == 0) break;
        const Duration on_link = sim_->now() - round;
        if (on_link >= ack) {
          co_await link_.transfer(left, job.host);
          window = tcp::grown(net, window, left);
          break;
        }
        co_await sim_->timeout(ack - on_link);
      }
      conn.window = window;
      conn.sent_until = sim_->now();
    }
  }
  AttemptResult result = answered(h, d, limited, job.bytes);
  rec.end();

  // A kept-alive connection goes back to the pool (or straight to a waiter); otherwise it
  // closes here and its place in the pool, if any, is freed.
  if (client.keep_alive) h.pool.give_back(std::move(conn));
  co_return result;
}

}  // namespace model
