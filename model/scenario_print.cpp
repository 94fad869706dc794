// Prints a Scenario as TOML in the schema of scenarios/README.md, with every key present.
#include "model/scenario_print.hpp"

#include <algorithm>

#include <cstdio>
#include <string_view>
#include <utility>

#include "model/units.hpp"

namespace model {
namespace {

std::string toml_string(std::string_view s);

// A bare key when it can be one, else a quoted key.
std::string toml_key(std::string_view k) {
  const bool bare = !k.empty() && std::all_of(k.begin(), k.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-';
  });
  return bare ? std::string(k) : toml_string(k);
}

std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// Shortest decimal that reads back as the same double.
std::string toml_number(double v) {
  char buf[40];
  for (int p = 1; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, v);
    double back = 0;
    if (std::sscanf(buf, "%lf", &back) == 1 && back == v) break;
  }
  return buf;
}

enum class Unit { duration, size };

std::string value(double v, Unit u) {
  return toml_string(u == Unit::duration ? format_duration(sim::from_seconds(v)) : format_size(v));
}

std::string dist(const Distribution& d, Unit u) {
  auto v = [&](double x) { return value(x, u); };
  switch (d.kind()) {
    case Distribution::Kind::constant:
      return v(d.a());
    case Distribution::Kind::uniform:
      return "{ dist = \"uniform\", low = " + v(d.a()) + ", high = " + v(d.b()) + " }";
    case Distribution::Kind::exponential:
      return "{ dist = \"exponential\", mean = " + v(d.a()) + " }";
    case Distribution::Kind::normal:
      return "{ dist = \"normal\", mean = " + v(d.a()) + ", stddev = " + v(d.b()) + " }";
    case Distribution::Kind::lognormal:
      return "{ dist = \"lognormal\", median = " + v(d.a()) + ", sigma = " + toml_number(d.b()) +
             " }";
    case Distribution::Kind::empirical: {
      std::string out = "{ dist = \"empirical\", samples = [";
      for (std::size_t i = 0; i < d.samples().size(); ++i)
        out += (i ? ", " : "") + v(d.samples()[i]);
      return out + "] }";
    }
  }
  return {};
}

std::string rate(double bytes_per_s) {
  return toml_string(bytes_per_s == 0 ? "unlimited" : format_rate(bytes_per_s));
}

std::string duration(Duration d) {
  return toml_string(format_duration(d));
}

std::string boolean(bool b) {
  return b ? "true" : "false";
}

void workload(std::string& out, const Workload& w, const std::vector<Host>& hosts) {
  out += "\n[workload]\n";
  switch (w.kind) {
    case Workload::Kind::items:
      out += "items = [\n";
      for (const Item& it : w.items)
        out += "  { name = " + toml_string(it.name) +
               ", size = " + toml_string(format_size(static_cast<double>(it.bytes))) +
               (it.at ? ", at = " + duration(*it.at) : std::string()) +
               (it.host < hosts.size() ? ", host = " + toml_string(hosts[it.host].name)
                                       : std::string()) +
               " },\n";
      out += "]\n";
      break;
    case Workload::Kind::generated:
      out += "count = " + std::to_string(w.count) + "\n";
      out += "size = " + dist(w.size, Unit::size) + "\n";
      break;
    case Workload::Kind::sleeps:
      out += "sleeps = [";
      for (std::size_t i = 0; i < w.sleeps.size(); ++i)
        out += (i ? ", " : "") + duration(w.sleeps[i]);
      out += "]\n";
      break;
  }
  switch (w.arrivals.kind) {
    case Arrivals::Kind::at_once:
    case Arrivals::Kind::listed:  // the items' own `at`
      break;
    case Arrivals::Kind::poisson:
      out += "arrivals = " + toml_string(format_frequency(w.arrivals.rate)) + "\n";
      break;
    case Arrivals::Kind::constant:
      out += "arrivals = { rate = " + toml_string(format_frequency(w.arrivals.rate)) +
             ", process = \"constant\" }\n";
      break;
  }
}

void strategy(std::string& out, const Strategy& s) {
  out += "\n[[strategy]]\n";
  out += "name = " + toml_string(s.name) + "\n";
  switch (s.kind) {
    case Strategy::Kind::sequential:
      out += "kind = \"sequential\"\n";
      break;
    case Strategy::Kind::pool:
      out += "kind = \"pool\"\n";
      out += "workers = " + std::to_string(s.workers) + "\n";
      out += std::string("pool = ") +
             (s.pool_kind == Strategy::PoolKind::thread ? "\"thread\"" : "\"process\"") + "\n";
      out += std::string("consume = ") +
             (s.consume == Strategy::Consume::in_order ? "\"in_order\"" : "\"as_completed\"") +
             "\n";
      break;
    case Strategy::Kind::async:
      out += "kind = \"async\"\n";
      out += "max_concurrency = " + std::to_string(s.max_concurrency) + "  # 0 = unlimited\n";
      break;
  }
  if (!s.client.empty()) out += "client = " + toml_string(s.client) + "\n";
}

std::string limit(const std::optional<Duration>& d) {
  return d ? duration(*d) : std::string("\"none\"");
}

// jitter and retry_on, as the loader reads them back.
void retry_lines(std::string& out, const Client& c) {
  out += "jitter = ";
  out += c.jitter == Jitter::full    ? "\"full\""
         : c.jitter == Jitter::equal ? "\"equal\""
                                     : "\"none\"";
  out += "\nretry_on = [";
  std::string sep;
  for (int status : c.retry_on.statuses) {
    out += sep + std::to_string(status);
    sep = ", ";
  }
  if (c.retry_on.errors) out += std::exchange(sep, ", ") + "\"errors\"";
  if (c.retry_on.timeouts) out += std::exchange(sep, ", ") + "\"timeouts\"";
  out += "]\n";
}

// A client's rate_limit, as the loader reads it back (none: no line).
void client_limit_lines(std::string& out, const Client& c) {
  const ClientRateLimit& r = c.rate_limit;
  if (r.rate <= 0) return;
  out += "rate_limit = { rate = " + toml_string(format_frequency(r.rate)) +
         ", burst = " + std::to_string(r.burst) + ", per_host = " + boolean(r.per_host) + " }\n";
}

// rate_limit (and what follows it in [server]), as the loader reads it back.
void server_limit_lines(std::string& out, const Server& v) {
  const ServerRateLimit& r = v.rate_limit;
  if (r.rate > 0) {
    out += "rate_limit = { rate = " + toml_string(format_frequency(r.rate)) +
           ", burst = " + std::to_string(r.burst) + ", status = " + std::to_string(r.status) +
           ", retry_after = " + (r.retry_after ? duration(*r.retry_after) : "\"none\"") + " }\n";
  }
  out += "backlog = " + std::to_string(v.backlog) + "  # 0 = unlimited\n";
  out += "syn_retries = " + std::to_string(v.syn_retries) + "\n";
}

void errors_line(std::string& out, const Server& v) {
  out += "errors = [";
  for (std::size_t i = 0; i < v.errors.size(); ++i)
    out += std::string(i ? ", " : "") + "{ status = " + std::to_string(v.errors[i].status) +
           ", rate = " + toml_number(v.errors[i].rate) + " }";
  out += "]\n";
}

void client(std::string& out, const std::string& header, const Client& c) {
  out += "\n[" + header + "]\n";
  out += "timeout = " + limit(c.timeout) + "\n";
  out += "retries = " + std::to_string(c.retries) + "\n";
  out += "backoff = " + duration(c.backoff) + "\n";
  out += "backoff_max = " + duration(c.backoff_max) + "\n";
  retry_lines(out, c);
  out += "cpu = " + dist(c.cpu, Unit::duration) + "\n";
  out += std::string("cpu_on = ") + (c.cpu_on == Client::CpuOn::answer ? "\"answer\"" : "\"ok\"") +
         "\n";
  out += "cpu_before = " + dist(c.cpu_before, Unit::duration) + "\n";
  char per_byte[40];
  std::snprintf(per_byte, sizeof per_byte, "%.9gns", c.cpu_per_byte * 1e9);
  out += "cpu_per_byte = " + toml_string(per_byte) + "  # per body byte\n";
  out += "startup = " + duration(c.startup) + "\n";
  out += "gil = " + boolean(c.gil) + "\n";
  out += "switch_interval = " + duration(c.switch_interval) + "\n";
  out += "cores = " + std::to_string(c.cores) + "\n";
  out += "thread_start = " + duration(c.thread_start) + "\n";
  out += "process_start = " + duration(c.process_start) + "\n";
  out += "keep_alive = " + boolean(c.keep_alive) + "\n";
  out += "dns_cache = " + boolean(c.dns_cache) + "\n";
  out += std::string("http = ") + (c.http2 ? "\"2\"" : "\"1.1\"") + "\n";
  out += "max_streams = " + std::to_string(c.max_streams) + "  # HTTP/2 streams per connection\n";
  out += "max_connections = " + std::to_string(c.max_connections) + "  # 0 = no limit\n";
  out += "max_per_host = " + std::to_string(c.max_per_host) + "  # 0 = no limit\n";
  out += "max_idle = " + std::to_string(c.max_idle) + "  # 0 = no limit\n";
  out += "idle_timeout = " + limit(c.idle_timeout) + "\n";
  out += std::string("when_full = ") +
         (c.when_full == Client::WhenFull::wait ? "\"wait\"" : "\"open_extra\"") + "\n";
  out += "connect_timeout = " + limit(c.connect_timeout) + "\n";
  out += "read_timeout = " + limit(c.read_timeout) + "\n";
  out += "pool_timeout = " + limit(c.pool_timeout) + "\n";
  client_limit_lines(out, c);
}

}  // namespace

std::string print_scenario(const Scenario& s) {
  std::string out = "# Resolved scenario";
  if (!s.source_path.empty()) out += " from " + s.source_path;
  out += ": every key shown, defaults filled in.\n";
  out += "name = " + toml_string(s.name) + "\n";
  out += "description = " + toml_string(s.description) + "\n";
  out += "seed = " + std::to_string(s.seed) + "\n";

  workload(out, s.workload, s.hosts);

  const Network& n = s.network;
  out += "\n[network]\n";
  out += "rtt = " + dist(n.rtt, Unit::duration) + "\n";
  out += "bandwidth = " + rate(n.bandwidth) + "\n";
  out += "per_connection = " + rate(n.per_connection) + "\n";
  out += "mss = " + toml_string(format_size(n.mss)) + "\n";
  out += "overhead = " + toml_string(format_size(n.overhead)) + "\n";
  out += "tcp = " + boolean(n.tcp) + "\n";
  out += "init_cwnd = " + std::to_string(n.init_cwnd) + "\n";
  out += "max_window = " + toml_string(format_size(n.max_window)) + "\n";
  out += "idle_restart = " + boolean(n.idle_restart) + "\n";
  out += "tls = " + boolean(n.tls) + "\n";
  out += "tls_rtts = " + std::to_string(n.tls_rtts) + "\n";
  out += "dns = " + dist(n.dns, Unit::duration) + "\n";
  out += "per_host_limit = " + std::to_string(n.per_host_limit) + "  # 0 = no limit\n";

  const Server& v = s.server;
  out += "\n[server]\n";
  out += "workers = " + std::to_string(v.workers) + "  # 0 = unlimited\n";
  out += "service = " + dist(v.service, Unit::duration) + "\n";
  errors_line(out, v);
  out += "missing = [";
  for (std::size_t i = 0; i < v.missing.size(); ++i)
    out += (i ? ", " : "") + toml_string(v.missing[i]);
  out += "]\n";
  out += "stall_rate = " + toml_number(v.stall_rate) + "\n";
  server_limit_lines(out, v);

  for (const Host& h : s.hosts) {
    out += "\n[[host]]\n";
    out += "name = " + toml_string(h.name) + "\n";
    out += "weight = " + toml_number(h.weight) + "\n";
    out +=
        "bandwidth = " + rate(h.bandwidth) + "  # its server's uplink, over all its connections\n";
    out += "rtt = " + dist(h.network.rtt, Unit::duration) + "\n";
    out += "dns = " + dist(h.network.dns, Unit::duration) + "\n";
    out += "tls = " + boolean(h.network.tls) + "\n";
    out += "tls_rtts = " + std::to_string(h.network.tls_rtts) + "\n";
    out += "per_host_limit = " + std::to_string(h.network.per_host_limit) + "  # 0 = no limit\n";
    out += "workers = " + std::to_string(h.server.workers) + "  # 0 = unlimited\n";
    out += "service = " + dist(h.server.service, Unit::duration) + "\n";
    errors_line(out, h.server);
    out += "stall_rate = " + toml_number(h.server.stall_rate) + "\n";
    server_limit_lines(out, h.server);
  }

  client(out, "client", s.client);
  for (const auto& [name, c] : s.clients)
    client(out, "clients." + toml_key(name), c);

  for (const Strategy& st : s.strategies)
    strategy(out, st);

  out += "\n[live]\n";
  out += "url = " + toml_string(s.live.url) + "  # empty: no live target\n";
  return out;
}

}  // namespace model
