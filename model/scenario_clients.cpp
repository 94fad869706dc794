// Reading clients: the pool and timeout keys, [clients.NAME] tables and the bundled profiles
// strategies name (see scenario_clients.hpp).
#include "model/scenario_clients.hpp"

#include <algorithm>

#include "model/scenario_read.hpp"
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
  if (const auto* v = t.get("dns_cache")) c.dns_cache = boolean(*v, where + ".dns_cache");
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
  http_version(t, where, c);
}

void ClientFields::http_version(const toml::table& t, const std::string& where, Client& c) const {
  if (const auto* v = t.get("http")) {
    const std::string kExpected = "expected \"1.1\" or \"2\" (HTTP/2: streams on one connection)";
    if (!v->is_string()) fail(*v, where + ".http must be a string; " + kExpected);
    const std::string w = v->as_string()->get();
    if (w == "1.1") {
      c.http2 = false;
    } else if (w == "2") {
      c.http2 = true;
    } else {
      fail(*v, where + ".http: unknown version " + quote(w) + "; " + kExpected);
    }
  }
  if (const auto* v = t.get("max_streams"))
    c.max_streams = static_cast<int>(integer(*v, where + ".max_streams", 1, 1'000'000));
  if (!c.http2) return;
  // HTTP/2 keeps its connections open: http = "2" turns keep_alive on unless the same table
  // says otherwise; what HTTP/2 cannot do is said at the key that asked for it.
  const toml::node* version = t.get("http");
  const toml::node* keep = t.get("keep_alive");
  if (version != nullptr && keep == nullptr) c.keep_alive = true;
  // Without `http` here, HTTP/2 came from [client], which named clients and profiles start from.
  const std::string from = version != nullptr ? "" : " (from [client])";
  if (!c.keep_alive) {
    fail(version != nullptr ? *version : *keep,
         where + ": http = \"2\"" + from +
             " keeps its connections open (the streams share them), so keep_alive = false "
             "cannot apply; expected keep_alive = true, or http = \"1.1\"");
  }
  if (const toml::node* full = t.get("when_full");
      c.when_full == Client::WhenFull::open_extra && (version != nullptr || full != nullptr)) {
    fail(version != nullptr ? *version : *full,
         where + ": http = \"2\"" + from +
             " waits for a stream when its connections are full, so " +
             "when_full = \"open_extra\" cannot apply; expected when_full = \"wait\", or " +
             "http = \"1.1\"");
  }
}

void ClientFields::cpu_keys(const toml::table& t, const std::string& where, Client& c) const {
  if (const auto* v = t.get("cpu_before"))
    c.cpu_before = distribution(*v, where + ".cpu_before", Quantity::duration);
  if (const auto* v = t.get("cpu_on")) {
    const std::string w = string(*v, where + ".cpu_on");
    if (w == "answer") {
      c.cpu_on = Client::CpuOn::answer;
    } else if (w == "ok") {
      c.cpu_on = Client::CpuOn::ok;
    } else {
      fail(*v, where + ".cpu_on: unknown value " + quote(w) + "; " +
                   near_miss(w, {"answer", "ok"}) +
                   "expected \"answer\" (cpu after every HTTP answer, 404 and 503 included) or "
                   "\"ok\" (after a success only)");
    }
  }
  // A duration per byte of the body: "2ns" is 2 s per GB.
  if (const auto* v = t.get("cpu_per_byte")) {
    c.cpu_per_byte = duration(*v, where + ".cpu_per_byte");
    if (c.cpu_per_byte > 1.0)
      fail(*v, where +
                   ".cpu_per_byte is over 1 s per byte; expected a time per byte of the "
                   "body, e.g. \"2ns\" (2 s per GB)");
  }
  if (const auto* v = t.get("startup")) c.startup = duration_ns(*v, where + ".startup");
  if (const auto* v = t.get("gil")) c.gil = boolean(*v, where + ".gil");
  if (const auto* v = t.get("switch_interval")) {
    const Duration d = duration_ns(*v, where + ".switch_interval");
    if (d <= Duration::zero())
      fail(*v, where +
                   ".switch_interval must be positive; expected e.g. \"5ms\" (CPython's "
                   "sys.getswitchinterval())");
    c.switch_interval = d;
  }
}

namespace {

// "did you mean 'httpx'? " among the bundled profiles (and the file's named clients).
std::string near_miss_client(const std::string& name, const ClientTables::Named& named) {
  std::vector<std::string_view> known;
  for (const BundledProfile& p : bundled_profiles())
    known.push_back(p.name);
  for (const auto& [k, c] : named)
    known.push_back(k);
  return near_miss(name, known);
}

}  // namespace

bool ClientTables::profile(const std::string& name, const Client& base, Client& out) const {
  const BundledProfile* p = find_profile(name);
  if (p == nullptr) return false;
  const std::string file = "clients/" + std::string(p->name) + ".toml (bundled)";
  const toml::table root = parse_toml(p->toml, file);
  out = read_(root, "clients." + name, file, base);
  return true;
}

ClientTables::Named ClientTables::named(const toml::node& n, const Client& base) const {
  const auto& t = table(n, "clients", "[clients.fast] with max_connections = 10");
  Named out;
  for (const auto& [key, node] : t) {
    const std::string name(key.str());
    refuse_control(node, name, "clients");
    const std::string where = "clients." + name;
    const auto& ct = table(node, where, "[" + where + "] with max_connections = 10");
    Client from = base;
    if (const auto* p = ct.get("profile")) {
      const std::string wanted = string(*p, where + ".profile");
      if (!profile(wanted, base, from))
        fail(*p, where + ".profile: no bundled profile " + quote(wanted) + "; " +
                     near_miss_client(wanted, {}) + "expected one of: " + bundled_profile_names());
    }
    out.emplace(name, read_(ct, where, path_, from));
  }
  return out;
}

void ClientTables::resolve(const toml::node& strategies, Scenario& s) const {
  const auto* a = strategies.as_array();
  for (std::size_t i = 0; a != nullptr && i < a->size(); ++i) {
    const auto* t = (*a)[i].as_table();
    const toml::node* n = t ? t->get("client") : nullptr;
    if (n == nullptr) continue;
    const std::string& name = s.strategies[i].client;
    if (s.clients.contains(name)) continue;
    Client from_profile;
    if (profile(name, s.client, from_profile)) {
      s.clients.emplace(name, std::move(from_profile));
      continue;
    }
    std::string named;
    for (const auto& [k, c] : s.clients)
      named += (named.empty() ? "" : ", ") + k;
    fail(*n, "strategy " + quoted_excerpt(s.strategies[i].name) + ": no client named " +
                 quote(name) + "; " + near_miss_client(name, s.clients) + "expected a [clients." +
                 name.substr(0, 40) + "] table" +
                 (named.empty() ? "" : " (this file has: " + named + ")") +
                 " or a bundled profile: " + bundled_profile_names());
  }
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
