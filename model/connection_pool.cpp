// The connection pool of a simulated client (see connection_pool.hpp).
#include "model/connection_pool.hpp"

#include <algorithm>

namespace model {

int pool_cap(const Client& c, int host_limit) {
  int out = 0;
  for (const int cap : {c.max_connections, c.max_per_host, host_limit}) {
    if (cap > 0) out = out > 0 ? std::min(out, cap) : cap;
  }
  return out;
}

int connection_cap(const Client& c, int host_limit) {
  return c.when_full == Client::WhenFull::open_extra ? 0 : pool_cap(c, host_limit);
}

ConnectionPool::ConnectionPool(sim::Simulation& sim, const Client& client, int host_limit)
    : sim_(&sim), client_(&client), cap_(pool_cap(client, host_limit)), handoff_(sim) {
  free_slots_ = cap_;
}

void ConnectionPool::expire_idle() {
  if (!client_->idle_timeout) return;
  const Time now = sim_->now();
  // Oldest first: a connection idle for longer than the timeout has been closed by now (the
  // server or the client's own sweep); its place is free for a new one.
  while (!idle_.empty() && now - idle_.front().idle_since > *client_->idle_timeout)
    idle_.pop_front();
}

bool ConnectionPool::take(Connection& conn) {
  if (client_->keep_alive && !idle_.empty()) {
    expire_idle();
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
      return true;
    }
  }
  if (cap_ <= 0) return true;
  if (free_slots_ > 0) {
    --free_slots_;
    conn = Connection{Duration::zero(), false, false, Time{0}, Slot(this)};
    return true;
  }
  if (client_->when_full == Client::WhenFull::open_extra) {
    conn = Connection{Duration::zero(), false, true, Time{0}, Slot()};
    return true;
  }
  return false;
}

void ConnectionPool::give_back(Connection conn) {
  if (conn.extra) return;  // over the cap: closed after use
  if (handoff_.waiting_getters() > 0) {
    handoff_.put(std::move(conn));
    return;
  }
  if (client_->max_idle > 0 && static_cast<int>(idle_.size()) >= client_->max_idle) return;
  conn.idle_since = sim_->now();
  idle_.push_back(std::move(conn));
}

void ConnectionPool::slot_freed() noexcept {
  if (closing_) return;
  if (handoff_.waiting_getters() > 0) {
    handoff_.put(Connection{Duration::zero(), false, false, Time{0}, Slot(this)});
  } else {
    ++free_slots_;
  }
}

}  // namespace model
