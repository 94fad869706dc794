// Reading a client's connection pool and timeouts (see scenario_clients.hpp).
#include "model/scenario_clients.hpp"

#include <algorithm>

#include "model/units.hpp"
#include "model/words.hpp"

namespace model {

std::optional<Duration> ClientFields::limit(const toml::node& n, const std::string& where) const {
  if (const auto* s = n.as_string(); s && s->get() == "none") return std::nullopt;
  const Duration d = duration_ns(n, where);
  if (d <= Duration::zero())
    fail(n, where + " must be positive; expected e.g. \"5s\" (or \"none\" for no limit)");
  return d;
}

void ClientFields::pool_and_timeouts(const toml::table& t, const std::string& where,
                                     Client& c) const {
  if (const auto* v = t.get("keep_alive")) c.keep_alive = boolean(*v, where + ".keep_alive");
  auto count = [&](std::string_view key, int& out) {
    if (const auto* v = t.get(key))
      out = static_cast<int>(integer(*v, where + "." + std::string(key), 0, 1'000'000));
  };
  count("max_connections", c.max_connections);
  count("max_per_host", c.max_per_host);
  count("max_idle", c.max_idle);
  if (const auto* v = t.get("idle_timeout")) c.idle_timeout = limit(*v, where + ".idle_timeout");
  if (const auto* v = t.get("when_full")) {
    const std::string w = string(*v, where + ".when_full");
    if (w == "wait") {
      c.when_full = Client::WhenFull::wait;
    } else if (w == "open_extra") {
      c.when_full = Client::WhenFull::open_extra;
    } else {
      fail(*v, where + ".when_full: unknown value " + quote(w) + "; " +
                   near_miss(w, {"wait", "open_extra"}) +
                   "expected \"wait\" (the request waits for a connection) or \"open_extra\" (a "
                   "connection over the cap is opened and closed after use)");
    }
  }
  if (const auto* v = t.get("connect_timeout"))
    c.connect_timeout = limit(*v, where + ".connect_timeout");
  if (const auto* v = t.get("read_timeout")) c.read_timeout = limit(*v, where + ".read_timeout");
  if (const auto* v = t.get("pool_timeout")) c.pool_timeout = limit(*v, where + ".pool_timeout");
}

const BundledProfile* find_profile(std::string_view name) {
  for (const BundledProfile& p : bundled_profiles()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string bundled_profile_names() {
  std::string out;
  for (const BundledProfile& p : bundled_profiles())
    out += (out.empty() ? "" : ", ") + std::string(p.name);
  return out;
}

}  // namespace model
