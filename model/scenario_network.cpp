// Reading [network], [server] and [[host]] (see scenario_network.hpp).
#include "model/scenario_network.hpp"

#include <cmath>
#include <map>
#include <string_view>
#include <unordered_set>

#include "model/scenario_limits.hpp"
#include "model/words.hpp"

namespace model {

Network NetworkFields::network(const toml::table& t, Network n, const std::string& where) const {
  check_keys(
      t, "[" + where + "]",
      {"rtt", "bandwidth", "per_connection", "keep_alive", "tls", "tls_rtts", "dns",
       "per_host_limit", "mss", "overhead", "tcp", "init_cwnd", "max_window", "idle_restart"});
  network_keys(t, where, n);
  return n;
}

void NetworkFields::network_keys(const toml::table& t, const std::string& where, Network& n) const {
  if (const auto* v = t.get("rtt")) n.rtt = distribution(*v, where + ".rtt", Quantity::duration);
  if (const auto* v = t.get("bandwidth")) n.bandwidth = rate(*v, where + ".bandwidth");
  if (const auto* v = t.get("per_connection"))
    n.per_connection = rate(*v, where + ".per_connection");
  // keep_alive is the client's now (client.keep_alive): scenario() reads the old key.
  if (const auto* v = t.get("tls")) n.tls = boolean(*v, where + ".tls");
  if (const auto* v = t.get("tls_rtts"))
    n.tls_rtts = static_cast<int>(integer(*v, where + ".tls_rtts", 0, 10));
  if (const auto* v = t.get("dns")) n.dns = distribution(*v, where + ".dns", Quantity::duration);
  if (const auto* v = t.get("per_host_limit"))
    n.per_host_limit = static_cast<int>(integer(*v, where + ".per_host_limit", 0, 1'000'000));
  if (const auto* v = t.get("mss")) {
    n.mss = size(*v, where + ".mss");
    if (n.mss < 1 || n.mss > 65535)
      fail(*v, where + ".mss must be from 1 B to 65535 B (a segment's body bytes), got " +
                   std::to_string(static_cast<std::int64_t>(n.mss)) + " B");
  }
  if (const auto* v = t.get("overhead")) {
    n.overhead = size(*v, where + ".overhead");
    if (n.overhead > 65535)
      fail(*v, where + ".overhead must be at most 65535 B (header bytes per segment), got " +
                   std::to_string(static_cast<std::int64_t>(n.overhead)) + " B");
  }
  if (const auto* v = t.get("tcp")) n.tcp = boolean(*v, where + ".tcp");
  if (const auto* v = t.get("init_cwnd"))
    n.init_cwnd = static_cast<int>(integer(*v, where + ".init_cwnd", 1, 1000));
  if (const auto* v = t.get("max_window")) {
    n.max_window = size(*v, where + ".max_window");
    if (n.max_window < n.mss * n.init_cwnd || n.max_window > 1024.0 * (1 << 20))
      fail(*v, where + ".max_window must be from init_cwnd x mss (" +
                   std::to_string(static_cast<std::int64_t>(n.mss * n.init_cwnd)) +
                   " B) to 1 GiB, got " + std::to_string(static_cast<std::int64_t>(n.max_window)) +
                   " B");
  }
  if (const auto* v = t.get("idle_restart")) n.idle_restart = boolean(*v, where + ".idle_restart");
}

Server NetworkFields::server(const toml::table& t, const Workload& w, Server s,
                             const std::string& where) const {
  check_keys(t, "[" + where + "]",
             {"workers", "service", "errors", "missing", "stall_rate", "rate_limit", "backlog",
              "syn_retries"});
  server_keys(t, w, where, s);
  return s;
}

void NetworkFields::server_keys(const toml::table& t, const Workload& w, const std::string& where,
                                Server& s) const {
  if (const auto* v = t.get("workers"))
    s.workers = static_cast<int>(integer(*v, where + ".workers", 0, 1'000'000));
  if (const auto* v = t.get("service"))
    s.service = distribution(*v, where + ".service", Quantity::duration);
  if (const auto* v = t.get("errors")) {
    const auto& a = array(*v, where + ".errors", "[{ status = 500, rate = 0.1 }]");
    s.errors.clear();  // a host's own list replaces [server]'s
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string at = where + ".errors[" + std::to_string(i) + "]";
      const auto& e = table(a[i], at, "{ status = 503, rate = 0.05 }");
      check_keys(e, at, {"status", "rate"});
      ErrorRule rule;
      rule.status = static_cast<int>(
          integer(required(e, "status", at, "status = 500"), at + ".status", 400, 599));
      rule.rate = probability(required(e, "rate", at, "rate = 0.1"), at + ".rate");
      s.errors.push_back(rule);
    }
  }
  if (const auto* v = t.get("missing")) {
    const auto& a = array(*v, where + ".missing", "[\"XX\", \"YY\"]");
    // A set, not a scan per name: both lists can hold 10^5 names and more.
    std::unordered_set<std::string_view> items;
    if (w.kind == Workload::Kind::items) {
      items.reserve(w.items.size());
      for (const Item& it : w.items)
        items.insert(it.name);
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string at = where + ".missing[" + std::to_string(i) + "]";
      std::string missing = name(a[i], at);
      if (w.kind == Workload::Kind::items && !items.contains(missing))
        fail(a[i], at + ": " + quoted_excerpt(missing) +
                       " is not an item of the workload; expected one of "
                       "the item names");
      s.missing.push_back(std::move(missing));
    }
  }
  if (const auto* v = t.get("stall_rate")) s.stall_rate = probability(*v, where + ".stall_rate");
  LimitFields(path_, base_dir_).server_limit_keys(t, where, s);
}

namespace {

constexpr std::string_view kHostExample = "[[host]] with name = \"cdn.example\", rtt = \"40ms\"";

// [network] keys that are the client's downlink or its TCP, shared by every host.
// (A host's `bandwidth` is its own server's uplink.)
constexpr std::string_view kSharedKeys[] = {"per_connection", "keep_alive",  "mss",
                                            "overhead",       "tcp",         "init_cwnd",
                                            "max_window",     "idle_restart"};

}  // namespace

std::vector<std::string> NetworkFields::host_names(const toml::node& n) const {
  const auto& a = array(n, "host", kHostExample);
  if (a.empty()) fail(a, "host is empty; expected at least one [[host]] table with a name");
  std::vector<std::string> names;
  std::map<std::string, int, std::less<>> first_line;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string where = "host[" + std::to_string(i) + "]";
    const auto& t = table(a[i], where, kHostExample);
    for (std::string_view key : kSharedKeys) {
      if (const toml::node* v = t.get(key))
        fail(*v, where + "." + std::string(key) +
                     ": the downlink and its TCP are the client's, shared by every host; "
                     "expected network." +
                     std::string(key) + " in [network]");
    }
    // Its name, how many and how often, and the path and server keys that are a host's own.
    check_keys(
        t, where,
        {"name", "count", "weight", "bandwidth", "rtt", "dns", "tls", "tls_rtts", "per_host_limit",
         "workers", "service", "errors", "stall_rate", "rate_limit", "backlog", "syn_retries"});
    const toml::node& name_node = required(t, "name", where, "name = \"cdn.example\"");
    const std::string pattern = name(name_node, where + ".name");
    std::int64_t count = 1;
    const toml::node* count_node = t.get("count");
    if (count_node) count = integer(*count_node, where + ".count", 1, 100'000);
    const bool numbered = pattern.find("{n}") != std::string::npos;
    if (count_node && !numbered)
      fail(name_node, where + ".name " + quote(pattern) +
                          " has no {n}, and count makes several hosts; expected e.g. "
                          "\"shop-{n}.example\" (named shop-1.example, shop-2.example, ...)");
    if (!count_node && numbered)
      fail(name_node, where + ".name " + quote(pattern) +
                          " has {n} but no count; expected count = N with it, or a name "
                          "without {n}");
    if (names.size() + static_cast<std::size_t>(count) > 100'000)
      fail(count_node ? *count_node : name_node,
           where + ": more than 100000 hosts in all; expected at most 100000");
    const auto line = static_cast<int>(name_node.source().begin.line);
    for (std::int64_t k = 1; k <= count; ++k) {
      std::string host = pattern;
      // Every {n}: a name left with one would not read back.
      for (std::size_t at = host.find("{n}"); numbered && at != std::string::npos;
           at = host.find("{n}", at))
        host.replace(at, 3, std::to_string(k));
      if (host.find_first_of("/ ?#@") != std::string::npos)
        fail(name_node, where + ".name " + quote(host) +
                            " is not a host name (it has one of / ? # @ or a space); expected "
                            "e.g. \"cdn.example\" or \"cdn.example:8443\"");
      if (auto [it, fresh] = first_line.emplace(host, line); !fresh)
        fail(name_node, "duplicate host name " + quote(host) + " (first at line " +
                            std::to_string(it->second) + "); expected unique names");
      names.push_back(std::move(host));
    }
  }
  return names;
}

std::vector<Host> NetworkFields::hosts(const toml::node& n, const Network& network,
                                       const Server& server, const Workload& w) const {
  const std::vector<std::string> names = host_names(n);
  const auto& a = *n.as_array();
  std::vector<Host> out;
  out.reserve(names.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string where = "host[" + std::to_string(i) + "]";
    const auto& t = *a[i].as_table();
    Host h;
    h.network = network;
    h.server = server;
    network_keys(t, where, h.network);
    if (t.get("bandwidth") != nullptr) {
      // The host's own uplink, not the client's downlink (which stays the [network] one).
      h.bandwidth = h.network.bandwidth;
      h.network.bandwidth = network.bandwidth;
    }
    server_keys(t, w, where, h.server);
    if (const toml::node* v = t.get("weight")) {
      h.weight = number(*v, where + ".weight");
      if (!(h.weight > 0) || !std::isfinite(h.weight) || h.weight > 1e9)
        fail(*v, where + ".weight " + num(h.weight) +
                     " is out of range; expected above 0 and at most 1e9 (the host's share of "
                     "generated items is weight / the sum of weights)");
    }
    std::int64_t count = 1;
    if (const toml::node* c = t.get("count")) count = c->value<std::int64_t>().value_or(1);
    for (std::int64_t k = 0; k < count; ++k) {
      Host copy = h;
      copy.name = names[out.size()];
      out.push_back(std::move(copy));
    }
  }
  return out;
}

}  // namespace model
