// Setting scenario keys (see scenario_keys.hpp): a value or a scale on a scenario, the checks
// across keys, and --set KEY=VALUE.
#include "model/scenario_keys.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/units.hpp"

namespace model {
namespace {

// A distribution with every draw multiplied by `f`.
Distribution scaled(const Distribution& d, double f) {
  switch (d.kind()) {
    case Distribution::Kind::constant:
      return Distribution::constant(d.a() * f);
    case Distribution::Kind::uniform:
      return Distribution::uniform(d.a() * f, d.b() * f);
    case Distribution::Kind::exponential:
      return Distribution::exponential(d.a() * f);
    case Distribution::Kind::normal:
      return Distribution::normal(d.a() * f, d.b() * f);
    case Distribution::Kind::lognormal:
      return Distribution::lognormal(d.a() * f, d.b());
    case Distribution::Kind::empirical: {
      std::vector<double> samples = d.samples();
      for (double& x : samples)
        x *= f;
      return Distribution::empirical(std::move(samples));
    }
  }
  return d;
}

void set_distribution(Distribution& d, std::string_view field, std::string_view name,
                      double value) {
  if (field == name) {
    d = Distribution::constant(value);
  } else {
    d = scaled(d, value);
  }
}

// "network.rtt.scale" -> ("network.rtt", true).
std::pair<std::string_view, bool> base_name(std::string_view name) {
  constexpr std::string_view kScale = ".scale";
  if (name.ends_with(kScale)) return {name.substr(0, name.size() - kScale.size()), true};
  return {name, false};
}

// "clients.httpx.read_timeout" -> the client named httpx and "read_timeout"; "client.x" -> the
// default client. Null when there is no such client.
Client* client_and_field(Scenario& s, std::string_view name, std::string_view& field) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return nullptr;
  field = name.substr(dot + 1);
  const std::string_view owner = name.substr(0, dot);
  if (owner == "client") return &s.client;
  if (!owner.starts_with("clients.")) return nullptr;
  const auto it = s.clients.find(owner.substr(8));
  return it == s.clients.end() ? nullptr : &it->second;
}

// "client.rate_limit.rate" and "clients.NAME.rate_limit.rate": true when `base` was one.
bool set_client_limit_key(Scenario& s, std::string_view base, double value) {
  constexpr std::string_view kRate = ".rate";
  if (!base.ends_with(".rate_limit.rate")) return false;
  std::string_view field;
  Client* c = client_and_field(s, base.substr(0, base.size() - kRate.size()), field);
  if (c == nullptr) return false;
  c->rate_limit.rate = value;  // burst and per_host as the file has them (burst 1 when none)
  return true;
}

void set_client_key(Scenario& s, const ScenarioKey& k, std::string_view base, std::string_view name,
                    double value) {
  if (set_client_limit_key(s, base, value)) return;
  std::string_view field;
  Client* c = client_and_field(s, base, field);
  if (c == nullptr) throw std::logic_error("set_key: no client for key " + k.name);
  const auto count = static_cast<int>(value);
  const Duration d = sim::from_seconds(value);
  if (field == "timeout") {
    c->timeout = d;
  } else if (field == "retries") {
    c->retries = count;
  } else if (field == "backoff") {
    c->backoff = d;
  } else if (field == "backoff_max") {
    c->backoff_max = d;
  } else if (field == "cpu") {
    set_distribution(c->cpu, name, base, value);
  } else if (field == "cpu_before") {
    set_distribution(c->cpu_before, name, base, value);
  } else if (field == "cpu_per_byte") {
    c->cpu_per_byte = value;
  } else if (field == "startup") {
    c->startup = d;
  } else if (field == "gil") {
    c->gil = count != 0;
  } else if (field == "switch_interval") {
    c->switch_interval = d;
  } else if (field == "cores") {
    c->cores = count;
  } else if (field == "thread_start") {
    c->thread_start = d;
  } else if (field == "process_start") {
    c->process_start = d;
  } else if (field == "max_connections") {
    c->max_connections = count;
  } else if (field == "max_per_host") {
    c->max_per_host = count;
  } else if (field == "max_idle") {
    c->max_idle = count;
  } else if (field == "max_streams") {
    c->max_streams = count;
  } else if (field == "idle_timeout") {
    c->idle_timeout = d;
  } else if (field == "connect_timeout") {
    c->connect_timeout = d;
  } else if (field == "read_timeout") {
    c->read_timeout = d;
  } else if (field == "pool_timeout") {
    c->pool_timeout = d;
  } else {
    throw std::logic_error("set_key: no setter for key " + k.name);
  }
}

// The keys a [[host]] table has of its own, set on one host's (or the default) path and server.
// False when `base` is not one of them.
bool set_host_key(Network& n, Server& srv, std::string_view base, std::string_view name,
                  double value) {
  const auto count = static_cast<int>(value);
  if (base == "network.rtt") {
    set_distribution(n.rtt, name, base, value);
  } else if (base == "network.dns") {
    set_distribution(n.dns, name, base, value);
  } else if (base == "network.tls_rtts") {
    n.tls_rtts = count;
  } else if (base == "network.per_host_limit") {
    n.per_host_limit = count;
  } else if (base == "server.workers") {
    srv.workers = count;
  } else if (base == "server.service") {
    set_distribution(srv.service, name, base, value);
  } else if (base == "server.stall_rate") {
    srv.stall_rate = value;
  } else if (base == "server.backlog") {
    srv.backlog = count;
  } else {
    return false;
  }
  return true;
}

// What HTTP/2 rules out, after a setting.
void check_http2(const Client& c, const std::string& p) {
  if (!c.http2) return;
  if (!c.keep_alive)
    throw KeyError(p + ": http = \"2\" keeps its connections open, so keep_alive = false cannot " +
                   "apply; expected keep_alive = true, or http = \"1.1\"");
  if (c.when_full == Client::WhenFull::open_extra)
    throw KeyError(p + ": http = \"2\" waits for a stream when its connections are full, so " +
                   "when_full = \"open_extra\" cannot apply; expected when_full = \"wait\", or " +
                   "http = \"1.1\"");
}

}  // namespace

void set_key(Scenario& s, const ScenarioKey& k, double value) {
  const std::string_view name = k.name;
  const auto count = static_cast<int>(value);
  if (!k.strategy.empty()) {
    const bool workers = name.ends_with(".workers");
    for (Strategy& st : s.strategies) {
      if (k.strategy != "*" && st.name != k.strategy) continue;
      if (workers && st.kind == Strategy::Kind::pool) st.workers = count;
      if (!workers && st.kind == Strategy::Kind::async) st.max_concurrency = count;
    }
    return;
  }
  const auto [base, scale] = base_name(name);
  (void)scale;
  if (base == "workload.count") {
    s.workload.count = static_cast<std::int64_t>(value);
  } else if (base == "workload.arrivals.rate") {
    s.workload.arrivals.rate = value;
  } else if (base == "workload.size") {
    set_distribution(s.workload.size, name, base, value);
  } else if (set_host_key(s.network, s.server, base, name, value)) {
    // A crawl's hosts each have their own path and server: the key sets (or scales) every
    // host's, as it does the defaults.
    for (Host& h : s.hosts)
      set_host_key(h.network, h.server, base, name, value);
  } else if (base == "network.bandwidth") {
    s.network.bandwidth = value;
  } else if (base == "network.per_connection") {
    s.network.per_connection = value;
  } else if (base == "network.mss") {
    s.network.mss = value;
  } else if (base == "network.overhead") {
    s.network.overhead = value;
  } else if (base == "network.init_cwnd") {
    s.network.init_cwnd = count;
  } else if (base == "network.max_window") {
    s.network.max_window = value;
  } else if (base.starts_with("client.") || base.starts_with("clients.")) {
    set_client_key(s, k, base, name, value);
    return;
  } else {
    throw std::logic_error("set_key: no setter for key " + k.name);
  }
}

void check_settings(const Scenario& s) {
  auto check = [](const Client& c, const std::string& p) {
    check_http2(c, p);
    if (c.backoff_max < c.backoff)
      throw KeyError(p + ".backoff_max (" + format_duration(c.backoff_max) + ") is below " + p +
                     ".backoff (" + format_duration(c.backoff) +
                     "); expected backoff_max >= backoff");
  };
  check(s.client, "client");
  for (const auto& [name, c] : s.clients)
    check(c, "clients." + name);
}

namespace {

// Keys whose values are not numbers, written as in scenario files: booleans, and
// client.timeout = "none" (wait forever). True when `name` was one of them and is set.
bool apply_word(Scenario& s, const std::string& name, const std::string& text) {
  std::string_view field;
  Client* c = name == "network.keep_alive" ? &s.client : client_and_field(s, name, field);
  if (name == "network.keep_alive") field = "keep_alive";  // the old place of client.keep_alive
  bool* flag = name == "network.tls"                   ? &s.network.tls
               : c != nullptr && field == "keep_alive" ? &c->keep_alive
               : c != nullptr && field == "dns_cache"  ? &c->dns_cache
               : c != nullptr && field == "gil" && (text == "true" || text == "false") ? &c->gil
                                                                                       : nullptr;
  if (flag) {
    if (text != "true" && text != "false")
      throw KeyError(name + ": \"" + text + "\" is not a boolean; expected true or false");
    *flag = text == "true";
    if (name == "network.tls")
      for (Host& h : s.hosts)
        h.network.tls = *flag;
    return true;
  }
  if (c == nullptr) return false;
  if (field == "when_full") {
    if (text != "wait" && text != "open_extra")
      throw KeyError(name + ": \"" + text + "\" is not a pool policy; expected wait or open_extra");
    c->when_full = text == "wait" ? Client::WhenFull::wait : Client::WhenFull::open_extra;
    return true;
  }
  if (field == "http") {
    if (text != "1.1" && text != "2")
      throw KeyError(name + ": \"" + text + "\" is not an HTTP version; expected 1.1 or 2");
    c->http2 = text == "2";
    if (c->http2) c->keep_alive = true;  // as http = "2" in a file: its connections stay open
    check_http2(*c, name.substr(0, name.rfind('.')));
    return true;
  }
  if (field == "cpu_on") {
    if (text != "answer" && text != "ok")
      throw KeyError(name + ": \"" + text + "\" is not a CPU rule; expected answer or ok");
    c->cpu_on = text == "answer" ? Client::CpuOn::answer : Client::CpuOn::ok;
    return true;
  }
  if (text != "none") return false;
  std::optional<Duration>* limit = field == "timeout"           ? &c->timeout
                                   : field == "idle_timeout"    ? &c->idle_timeout
                                   : field == "connect_timeout" ? &c->connect_timeout
                                   : field == "read_timeout"    ? &c->read_timeout
                                   : field == "pool_timeout"    ? &c->pool_timeout
                                                                : nullptr;
  if (limit == nullptr) return false;
  limit->reset();
  return true;
}

// The keys a setting changed, as scenario_warnings looks them up.
std::vector<std::string> changed_keys(const Scenario& s, const ScenarioKey& k) {
  if (k.strategy != "*") return {std::string(base_name(k.name).first)};
  const std::string field = k.name.substr(k.name.rfind('.'));
  std::vector<std::string> out;
  for (const Strategy& st : s.strategies)
    out.push_back("strategy." + st.name + field);
  return out;
}

}  // namespace

void apply_setting(Scenario& s, std::string_view assignment) {
  const auto [name, text] = split_assignment(assignment, "--set");
  const KeySource source{"--set " + name + "=" + text, text};
  if (apply_word(s, name, text)) {
    s.sources[name] = source;
    return;
  }
  const ScenarioKey k = find_key(s, name);
  set_key(s, k, parse_key_value(k, text));
  check_settings(s);
  for (const std::string& key : changed_keys(s, k))
    s.sources[key] = source;
}

}  // namespace model
