// A client's connection pool in the simulation, as real pools behave: connections to the host
// are open up to a cap (max_connections, max_per_host and the host's per_host_limit, the
// smallest that is set), kept alive after use up to max_idle and for idle_timeout, and a
// request at the cap either waits for a connection (httpx, aiohttp, urllib3 pool_block=True)
// or opens an extra one that is closed after use (urllib3's default).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "model/scenario.hpp"
#include "sim/sim.hpp"

namespace model {

using sim::Time;

// The most connections the client has open at once: the smallest of max_connections,
// max_per_host and the host's `host_limit` that is set; 0 = no cap.
int pool_cap(const Client& c, int host_limit);
// The cap requests wait at: pool_cap, or 0 when the client opens extra connections past it.
int connection_cap(const Client& c, int host_limit);

class ConnectionPool {
 public:
  // A place in the cap, held while a connection is open or about to be opened; ending it
  // gives the place to the first waiter or back to the pool.
  class Slot {
   public:
    Slot() = default;
    explicit Slot(ConnectionPool* owner) : owner_(owner), sim_(owner->sim_) {}
    Slot(Slot&& o) noexcept
        : owner_(std::exchange(o.owner_, nullptr)), sim_(std::exchange(o.sim_, nullptr)) {}
    Slot& operator=(Slot&& o) noexcept {
      if (this != &o) {
        end();
        owner_ = std::exchange(o.owner_, nullptr);
        sim_ = std::exchange(o.sim_, nullptr);
      }
      return *this;
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { end(); }

   private:
    // Frames torn down with the simulation may outlive the pool: touch neither then.
    void end() noexcept {
      ConnectionPool* o = std::exchange(owner_, nullptr);
      if (o != nullptr && !sim_->shutting_down()) o->slot_freed();
    }
    ConnectionPool* owner_ = nullptr;
    sim::Simulation* sim_ = nullptr;
  };

  // One connection as a request holds it. Dropping it closes the connection.
  struct Connection {
    Duration rtt{0};
    bool open = false;        // false: a place to open a new connection in (a handshake first)
    bool extra = false;       // opened over the cap (when_full = "open_extra"): closed after use
    Time idle_since{0};       // when it was last given back
    Slot slot;                // only when the pool has a cap
    Time sent_until{0};       // when its last body was sent
    std::int64_t window = 0;  // TCP's window, bytes (0: not yet open)
    std::uint32_t id = 0;     // Outcome::connection, once opened
  };

  // `host_limit` is the host's own cap (network.per_host_limit; 0 = none).
  ConnectionPool(sim::Simulation& sim, const Client& client, int host_limit);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool() { closing_ = true; }

  // A connection for the next request at once: a kept-alive idle one, else a place under the
  // cap (or none needed), else an extra one with "open_extra". False at the cap with "wait":
  // then co_await wait().
  bool take(Connection& conn);
  // The first connection handed back or place freed, in the order requests came.
  auto wait() { return handoff_.get(); }
  // After an answer on a kept-alive connection: to the first waiter, else kept idle (up to
  // max_idle), else closed. Without keep-alive, just drop the connection.
  void give_back(Connection conn);

  int cap() const { return cap_; }  // 0 = no cap

 private:
  void slot_freed() noexcept;
  // Closes the kept connections idle for longer than idle_timeout.
  void expire_idle();

  bool closing_ = false;  // first member, last destroyed: slots ending now change nothing
  sim::Simulation* sim_;
  const Client* client_;
  int cap_ = 0;
  int free_slots_ = 0;
  sim::Store<Connection> handoff_;  // waiters get connections (or free places) here
  std::deque<Connection> idle_;     // kept alive, oldest first; reused newest first
};

}  // namespace model
