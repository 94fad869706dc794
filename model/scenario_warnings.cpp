// The checks behind scenario warnings (see scenario_warnings.hpp).
#include "model/scenario_warnings.hpp"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "model/connection_pool.hpp"
#include "model/units.hpp"

namespace model {
namespace {

// Where `key` was written; else its section's table, else the file.
std::string where(const Scenario& s, std::string_view key) {
  for (std::string_view k = key;; k = k.substr(0, k.rfind('.'))) {
    if (const auto it = s.sources.find(k); it != s.sources.end()) return it->second.where;
    if (k.find('.') == std::string_view::npos) break;
  }
  if (const auto it = s.sources.find(""); it != s.sources.end()) return it->second.where;
  return s.source_path;
}

bool always_zero(const Distribution& d) {
  switch (d.kind()) {
    case Distribution::Kind::constant:
      return d.a() == 0;
    case Distribution::Kind::uniform:
      return d.a() == 0 && d.b() == 0;
    case Distribution::Kind::empirical:
      return std::all_of(d.samples().begin(), d.samples().end(), [](double x) { return x == 0; });
    default:
      return false;
  }
}

std::string seconds(double v) {
  return format_duration(sim::from_seconds(v));
}

void timeout_too_short(const Scenario& s, const Client& c, const std::string& p,
                       std::vector<Warning>& out) {
  if (!c.timeout || s.workload.kind == Workload::Kind::sleeps) return;
  const double timeout = sim::to_seconds(*c.timeout);
  const double least = least_attempt_seconds(s, c.keep_alive);
  if (timeout >= least) return;
  out.push_back(
      {where(s, p + ".timeout"),
       fmt::format("{}.timeout = {} is shorter than the least time an attempt can take ({}: "
                   "{}request and first byte at the smallest RTT, plus the smallest service "
                   "time), so every attempt times out; expected a timeout above {}",
                   p, seconds(timeout), seconds(least), c.keep_alive ? "" : "DNS, connection, ",
                   seconds(least))});
}

void timeouts_too_short(const Scenario& s, std::vector<Warning>& out) {
  timeout_too_short(s, s.client, "client", out);
  for (const auto& [name, c] : s.clients) {
    // A bundled profile's timeouts are the library's, not the file's: only those written.
    if (s.sources.contains("clients." + name + ".timeout"))
      timeout_too_short(s, c, "clients." + name, out);
  }
}

void stall_without_timeout(const Scenario& s, std::vector<Warning>& out) {
  if (s.server.stall_rate <= 0) return;
  // A stall ends at a timeout on the whole attempt or at a read timeout.
  const bool some_unbounded =
      std::any_of(s.strategies.begin(), s.strategies.end(), [&](const auto& st) {
        const Client& c = s.client_of(st);
        return !c.timeout && !c.read_timeout;
      });
  if (!some_unbounded) return;
  out.push_back({where(s, "server.stall_rate"),
                 fmt::format("server.stall_rate = {} with no client.timeout: a stalled request "
                             "is never answered and nothing ends the wait; expected a "
                             "client.timeout, e.g. \"10s\"",
                             s.server.stall_rate)});
}

void error_rates_above_one(const Scenario& s, std::vector<Warning>& out) {
  double sum = 0;
  for (const ErrorRule& e : s.server.errors)
    sum += e.rate;
  if (sum <= 1 + 1e-12) return;
  out.push_back({where(s, "server.errors"),
                 fmt::format("the server.errors rates add up to {} (more than 1): rules are "
                             "drawn in order and the first hit wins, so the later ones happen "
                             "far less often than their rates say; expected rates adding up to "
                             "at most 1",
                             sum)});
}

void idle_lanes(const Scenario& s, std::vector<Warning>& out) {
  const auto n = static_cast<long long>(s.workload.download_count());
  for (const Strategy& st : s.strategies) {
    if (st.kind == Strategy::Kind::pool && st.workers > n) {
      out.push_back({where(s, "strategy." + st.name + ".workers"),
                     fmt::format("strategy '{}' has {} workers for {} downloads: the extra {} do "
                                 "nothing; expected at most {} workers",
                                 st.name, st.workers, n, st.workers - n, n)});
    } else if (st.kind == Strategy::Kind::async && st.max_concurrency > n) {
      out.push_back(
          {where(s, "strategy." + st.name + ".max_concurrency"),
           fmt::format("strategy '{}' has max_concurrency = {} for {} downloads: the extra {} "
                       "lanes do nothing; expected at most {} (or 0 for one task per download)",
                       st.name, st.max_concurrency, n, st.max_concurrency - n, n)});
    }
  }
}

bool transfers_take_no_time(const Scenario& s) {
  if (s.network.bandwidth == 0 && s.network.per_connection == 0) return true;
  if (s.workload.kind == Workload::Kind::generated) return always_zero(s.workload.size);
  return std::all_of(s.workload.items.begin(), s.workload.items.end(),
                     [](const Item& i) { return i.bytes == 0; });
}

void measures_nothing(const Scenario& s, std::vector<Warning>& out) {
  const Client& c = s.client;
  if (!always_zero(c.cpu) || c.thread_start > Duration::zero() ||
      c.process_start > Duration::zero())
    return;
  if (s.workload.kind == Workload::Kind::sleeps) {
    if (std::any_of(s.workload.sleeps.begin(), s.workload.sleeps.end(),
                    [](Duration d) { return d > Duration::zero(); }))
      return;
  } else if (!always_zero(s.network.rtt) || !always_zero(s.network.dns) ||
             !always_zero(s.server.service) || !transfers_take_no_time(s)) {
    return;
  }
  out.push_back({where(s, "workload"),
                 "every phase of every download takes no time (no RTT, DNS, service, transfer, "
                 "CPU or sleep), so every strategy finishes at 0 s and the run measures nothing; "
                 "expected e.g. network.rtt = \"50ms\" or server.service = \"100ms\"",
                 true});
}

void zero_rate(const Scenario& s, std::string_view key, double value, std::string_view means,
               std::vector<Warning>& out) {
  if (value != 0) return;
  const auto it = s.sources.find(key);
  if (it == s.sources.end() || it->second.text == "unlimited") return;
  out.push_back({it->second.where,
                 fmt::format("{} = \"{}\" is read as {}, not as a link that carries nothing; "
                             "write \"unlimited\" to say so",
                             key, it->second.text, means)});
}

// keep_alive moved to the client: the old key is still read, into [client].
void keep_alive_moved(const Scenario& s, std::vector<Warning>& out) {
  const auto it = s.sources.find("network.keep_alive");
  if (it == s.sources.end()) return;
  out.push_back({it->second.where,
                 fmt::format("network.keep_alive is read as client.keep_alive = {} (reusing "
                             "connections is what a client does, and each client may differ); "
                             "expected keep_alive under [client] (or [clients.NAME])",
                             it->second.text)});
}

// Pool keys written where they can change nothing.
void pool_keys_without_effect(const Scenario& s, std::vector<Warning>& out) {
  auto check = [&](const Client& c, const std::string& p) {
    for (const char* key : {"max_idle", "idle_timeout"}) {
      const auto it = s.sources.find(p + "." + key);
      if (c.keep_alive || it == s.sources.end()) continue;
      out.push_back({it->second.where,
                     fmt::format("{}.{} applies to kept-alive connections, but {}.keep_alive is "
                                 "false: every connection closes after its request; expected "
                                 "keep_alive = true with it",
                                 p, key, p)});
    }
    const auto it = s.sources.find(p + ".pool_timeout");
    if (it != s.sources.end() && connection_cap(c, s.network.per_host_limit) == 0) {
      out.push_back({it->second.where,
                     fmt::format("{}.pool_timeout = {}: no request ever waits for a connection "
                                 "(no max_connections, max_per_host or network.per_host_limit, or "
                                 "when_full = \"open_extra\"); expected a cap with it",
                                 p, it->second.text)});
    }
  };
  check(s.client, "client");
  for (const auto& [name, c] : s.clients)
    check(c, "clients." + name);
}

}  // namespace

double least_attempt_seconds(const Scenario& s, bool reused) {
  const Network& n = s.network;
  const double rtt = n.rtt.min();
  double least = rtt + s.server.service.min();
  if (!reused) least += n.dns.min() + rtt * (1 + (n.tls ? n.tls_rtts : 0));
  return least;
}

std::vector<Warning> scenario_warnings(const Scenario& s) {
  std::vector<Warning> out;
  keep_alive_moved(s, out);
  pool_keys_without_effect(s, out);
  timeouts_too_short(s, out);
  stall_without_timeout(s, out);
  error_rates_above_one(s, out);
  idle_lanes(s, out);
  measures_nothing(s, out);
  zero_rate(s, "network.bandwidth", s.network.bandwidth, "unlimited", out);
  zero_rate(s, "network.per_connection", s.network.per_connection, "no cap per transfer", out);
  return out;
}

}  // namespace model
