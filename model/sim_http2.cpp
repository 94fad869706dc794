// HTTP/2 in the simulation (Client::http2). A host's requests are streams on its connections:
// the first connection with a free stream (of max_streams) takes the request, else a new one
// is opened, one handshake for every stream that joins it meanwhile (libcurl's PIPEWAIT). Each
// connection has one sender: its streams' bodies go through one TCP window (model/tcp.hpp) a
// round at a time and cross the link as one transfer, so one connection gets one share of the
// downlink however many streams it carries. The server writes the bodies as DATA frames of at
// most 16,384 bytes (SETTINGS_MAX_FRAME_SIZE's initial value, RFC 9113 6.5.2), a frame of
// each stream in turn (its streams have the default priority, all alike), and each round sends
// the next window's worth of that order: a stream ends when its last frame has crossed. A
// stream whose body becomes ready while a round is under way goes out at once if the window
// has room left, else in the next round (the window is in flight until then). Flow control is left
// out: clients open large stream windows (libcurl 32 MiB), so the TCP window is what paces the
// bodies.
#include <algorithm>
#include <limits>
#include <memory>
#include <utility>

#include <fmt/format.h>

#include "model/bounded_wait.hpp"
#include "model/sim_transport.hpp"
#include "model/tcp.hpp"

namespace model {

namespace {
constexpr std::int64_t kFrame = 16'384;  // a DATA frame's most body bytes
}  // namespace

struct SimTransport::H2Stream {
  H2Stream(sim::Simulation& sim, std::int64_t bytes) : left(bytes), done(sim) {}
  std::int64_t left;       // body bytes not yet sent
  sim::Event<> done;       // its last byte arrived (failed: the run's horizon passed)
  bool abandoned = false;  // its attempt was stopped (a total timeout): no more bytes for it
};

struct SimTransport::H2Connection {
  H2Connection(sim::Simulation& sim, std::uint32_t number, std::uint32_t to, Duration round_trip)
      : id(number), host(to), rtt(round_trip), ready(sim) {}
  std::uint32_t id;
  std::uint32_t host;  // Job::host
  Duration rtt;
  int streams = 0;                       // taken, the body of each not yet arrived
  sim::Event<> ready;                    // the handshakes ended, opened or not
  bool open = false;                     // ready, and opened
  std::optional<AttemptResult> failure;  // ready, and not opened: what every stream on it gets
  Time idle_since{0};                    // when its last stream was given back
  std::int64_t window = 0;               // TCP's window, bytes (0: not yet sent on)
  Time sent_until{0};                    // when its last round ended
  bool sending = false;                  // its sender runs
  std::vector<std::shared_ptr<H2Stream>> active, joining;  // this round's, the next round's
  sim::Process<> sender;                                   // while sending
  bool room = false;            // the sender waits for its round's end with room left in the window
  std::size_t next = 0;         // the active stream whose frame is being sent
  std::int64_t frame_left = 0;  // what is left of that frame
};

class SimTransport::H2Hold {
 public:
  H2Hold() = default;
  H2Hold(SimTransport* owner, std::shared_ptr<H2Connection> conn)
      : owner_(owner), sim_(owner->sim_), conn_(std::move(conn)) {}
  H2Hold(H2Hold&& o) noexcept
      : owner_(std::exchange(o.owner_, nullptr)),
        sim_(std::exchange(o.sim_, nullptr)),
        conn_(std::move(o.conn_)) {}
  H2Hold& operator=(H2Hold&& o) noexcept {
    if (this != &o) {
      release();
      owner_ = std::exchange(o.owner_, nullptr);
      sim_ = std::exchange(o.sim_, nullptr);
      conn_ = std::move(o.conn_);
    }
    return *this;
  }
  H2Hold(const H2Hold&) = delete;
  H2Hold& operator=(const H2Hold&) = delete;
  ~H2Hold() { release(); }
  explicit operator bool() const { return conn_ != nullptr; }
  const std::shared_ptr<H2Connection>& connection() const { return conn_; }

 private:
  // Frames torn down with the simulation may outlive the transport: touch it not then (the
  // simulation itself outlives its frames).
  void release() noexcept {
    SimTransport* o = std::exchange(owner_, nullptr);
    sim::Simulation* sim = std::exchange(sim_, nullptr);
    if (o != nullptr && conn_ && !sim->shutting_down()) o->h2_release(*conn_);
    conn_.reset();
  }
  SimTransport* owner_ = nullptr;
  sim::Simulation* sim_ = nullptr;
  std::shared_ptr<H2Connection> conn_;
};

namespace {

// Marks a stream abandoned when its attempt unwinds before the body arrived.
struct Abandon {
  std::shared_ptr<void> keep;
  bool* flag;
  ~Abandon() { *flag = true; }
};

// Counts a waiter while it waits.
struct Waiting {
  int* count;
  const sim::Simulation* sim;
  explicit Waiting(int* c, const sim::Simulation* s) : count(c), sim(s) { ++*count; }
  Waiting(const Waiting&) = delete;
  Waiting& operator=(const Waiting&) = delete;
  ~Waiting() {
    if (!sim->shutting_down()) --*count;
  }
};

}  // namespace

SimTransport::H2Hold SimTransport::h2_stream(HostState& h, const Draws& d) {
  const Client& client = *client_;
  const Time now = sim_->now();
  if (client.idle_timeout) {
    // Idle for longer than idle_timeout: closed by now.
    std::erase_if(h.h2, [&](const std::shared_ptr<H2Connection>& c) {
      const bool expired = c->open && c->streams == 0 && now - c->idle_since > *client.idle_timeout;
      if (expired) --h2_connections_;
      return expired;
    });
  }
  for (const std::shared_ptr<H2Connection>& c : h.h2) {
    if (c->streams < client.max_streams) {
      ++c->streams;
      return H2Hold(this, c);
    }
  }
  if (client.max_connections > 0 && h2_connections_ >= client.max_connections && !h2_close_idle())
    return {};
  auto c = std::make_shared<H2Connection>(*sim_, ++connections_, h.index, d.rtt);
  c->streams = 1;
  h.h2.push_back(c);
  ++h2_connections_;
  sim_->spawn(h2_open(h, c, d.dns));
  return H2Hold(this, c);
}

bool SimTransport::h2_close_idle() {
  HostState* where = nullptr;
  std::size_t which = 0;
  for (const std::unique_ptr<HostState>& h : hosts_) {
    for (std::size_t i = 0; i < h->h2.size(); ++i) {
      const H2Connection& c = *h->h2[i];
      if (!c.open || c.streams > 0) continue;
      if (where == nullptr || c.idle_since < where->h2[which]->idle_since) {
        where = h.get();
        which = i;
      }
    }
  }
  if (where == nullptr) return false;
  where->h2.erase(where->h2.begin() + static_cast<std::ptrdiff_t>(which));
  --h2_connections_;
  return true;
}

void SimTransport::h2_release(H2Connection& c) {
  if (--c.streams == 0) c.idle_since = sim_->now();
  if (h2_waiting_ > 0) {
    // Every waiter looks again, in the order they came: the stream may be on its host, or
    // its connection now idle and closed to make room.
    std::shared_ptr<sim::Event<>> freed = std::exchange(h2_freed_, nullptr);
    h2_freed_ = std::make_shared<sim::Event<>>(*sim_);
    freed->succeed();
  }
}

sim::Process<bool> SimTransport::h2_wait(HostState& h, Draws d, std::shared_ptr<H2Hold> box) {
  while (!*box) {
    {
      const std::shared_ptr<sim::Event<>> freed = h2_freed_;
      const Waiting waiting(&h2_waiting_, sim_);
      co_await *freed;
    }
    *box = h2_stream(h, d);
  }
  co_return true;
}

sim::Process<> SimTransport::h2_open(HostState& h, std::shared_ptr<H2Connection> c,
                                     Duration drawn_dns) {
  const Duration dns = dns_wait(h, drawn_dns);
  std::optional<AttemptResult> failure;
  if (client_->connect_timeout) {
    const std::optional<bool> got =
        co_await within(*sim_, open_connection(h, dns, c->rtt), *client_->connect_timeout);
    if (!got) {
      AttemptResult r;
      r.status = Status::timeout;
      r.error = fmt::format("no connection within {:.3f} s (connect_timeout)",
                            sim::to_seconds(*client_->connect_timeout));
      failure = std::move(r);
    } else if (!*got) {
      failure = refused(h);
    }
  } else if (!co_await open_connection(h, dns, c->rtt)) {
    failure = refused(h);
  }
  if (failure) {
    c->failure = std::move(failure);
    std::erase(h.h2, c);
    --h2_connections_;
  } else {
    c->open = true;
    c->idle_since = sim_->now();
  }
  c->ready.succeed();
}

sim::Process<> SimTransport::h2_send(std::shared_ptr<H2Connection> c) {
  const Network& net = scenario_->network;
  const double rate = body_rate(*scenario_);
  const Duration ack = tcp::ack_time(net, rate, c->rtt);
  // Past the bandwidth-delay product the window no longer paces the sender: it sends two
  // round trips' worth at the link's whole rate at a time, so a new stream waits no longer.
  std::int64_t most = std::numeric_limits<std::int64_t>::max();
  if (rate > 0) {
    most = std::max(tcp::initial_window(net),
                    static_cast<std::int64_t>(2 * rate * sim::to_seconds(c->rtt)));
  }
  const auto gone = [](const std::shared_ptr<H2Stream>& s) { return s->abandoned || s->left == 0; };
  try {
    bool in_round = false;
    Time round{0};
    std::int64_t window = 0, budget = 0, sent = 0;
    while (true) {
      for (std::shared_ptr<H2Stream>& s : c->joining)
        c->active.push_back(std::move(s));
      c->joining.clear();
      std::erase_if(c->active, gone);
      if (!in_round) {
        if (c->active.empty()) break;
        round = sim_->now();
        window = tcp::after_idle(net, c->window, round - c->sent_until, c->rtt);
        budget = std::min(window, most);
        sent = 0;
        in_round = true;
      }
      if (!c->active.empty() && sent < budget) {
        // What the window still holds, in the order the server writes it: a DATA frame of each
        // stream in turn. Where each stream's last byte falls.
        std::vector<std::pair<std::int64_t, std::shared_ptr<H2Stream>>> ends;
        const std::int64_t before = sent;
        while (sent < budget && !c->active.empty()) {
          if (c->next >= c->active.size()) c->next = 0;
          const std::shared_ptr<H2Stream>& s = c->active[c->next];
          if (s->abandoned) {
            c->active.erase(c->active.begin() + static_cast<std::ptrdiff_t>(c->next));
            c->frame_left = 0;
            continue;
          }
          if (c->frame_left == 0) c->frame_left = std::min(kFrame, s->left);
          const std::int64_t take = std::min(c->frame_left, budget - sent);
          sent += take;
          s->left -= take;
          c->frame_left -= take;
          if (s->left == 0) {
            ends.emplace_back(sent, s);
            c->active.erase(c->active.begin() + static_cast<std::ptrdiff_t>(c->next));
          } else if (c->frame_left == 0) {
            ++c->next;
          }
        }
        std::int64_t crossed = before;
        for (const auto& [at, s] : ends) {
          co_await link_.transfer(at - crossed, c->host);
          crossed = at;
          if (!s->abandoned) s->done.succeed();
        }
        if (sent > crossed) co_await link_.transfer(sent - crossed, c->host);
        c->sent_until = sim_->now();
        continue;  // streams that became ready meanwhile go out in this round, if it has room
      }
      // The window is used up, or everything ready has been sent: the round ends with its
      // first acknowledgement. With room left, a stream ready before then goes out at once.
      const Duration on_link = sim_->now() - round;
      if (on_link < ack) {
        if (sent < budget) {
          c->room = true;
          try {
            co_await sim_->timeout(ack - on_link);
          } catch (const sim::Interrupted&) {
            c->room = false;
            continue;
          }
          c->room = false;
        } else {
          co_await sim_->timeout(ack - on_link);
        }
      }
      c->window = tcp::grown(net, window, sent);
      in_round = false;
    }
  } catch (const sim::HorizonError&) {
    // Past the run's horizon: every stream still waiting hears it, as a transfer of its own
    // would have thrown it.
    for (auto* list : {&c->active, &c->joining})
      for (const std::shared_ptr<H2Stream>& s : *list)
        if (!s->done.triggered()) s->done.fail(std::current_exception());
    c->active.clear();
    c->joining.clear();
  }
  c->sending = false;
}

sim::Process<AttemptResult> SimTransport::attempt_h2(const Job& job, PhaseRecorder& rec,
                                                     HostState& h, Draws d) {
  const Client& client = *client_;
  H2Hold hold = h2_stream(h, d);
  if (!hold) {
    // max_connections are open, each stream of the host's taken and no connection idle.
    rec.begin(Phase::pool);
    auto box = std::make_shared<H2Hold>();
    if (client.pool_timeout) {
      const std::optional<bool> got =
          co_await within(*sim_, h2_wait(h, d, box), *client.pool_timeout);
      if (!got || !*box)
        co_return timed_out(rec, "no stream from the pool within {:.3f} s (pool_timeout)",
                            *client.pool_timeout);
    } else {
      co_await h2_wait(h, d, box);
    }
    hold = std::move(*box);
  }
  const std::shared_ptr<H2Connection> c = hold.connection();
  rec.on_connection(c->id);
  if (!c->open) {
    rec.begin(Phase::connect);  // its own handshake, or the one under way for another stream
    if (!c->ready.triggered()) co_await c->ready;
    if (c->failure) {
      rec.end();
      AttemptResult r = *c->failure;
      co_return r;
    }
  }
  bool limited = false;
  if (client.read_timeout) {
    const std::optional<bool> first =
        co_await within(*sim_, until_first_byte(h, d, c->rtt, rec), *client.read_timeout);
    if (!first)
      co_return timed_out(rec, "no data for {:.3f} s (read_timeout)", *client.read_timeout);
    limited = *first;
  } else {
    limited = co_await until_first_byte(h, d, c->rtt, rec);
  }
  if (limited) over_rate_limit_answer(h, d);
  if (d.status == 200 && job.bytes > 0) {
    if (!tcp::on(scenario_->network, c->rtt)) {
      // Without TCP's rounds the streams share the link as transfers of their own.
      co_await link_.transfer(job.bytes, job.host);
    } else {
      auto stream = std::make_shared<H2Stream>(*sim_, job.bytes);
      c->joining.push_back(stream);
      if (!c->sending) {
        c->sending = true;
        c->sender = sim_->spawn(h2_send(c));
      } else if (c->room) {
        c->room = false;
        sim_->interrupt(c->sender, "a stream is ready");  // the window has room for it now
      }
      const Abandon abandon{stream, &stream->abandoned};
      co_await stream->done;
    }
  }
  AttemptResult result = answered(h, d, limited, job.bytes);
  rec.end();
  co_return result;
}

}  // namespace model
