// The scenario loader: reads the file defensively, parses it with toml++, then walks the
// tables and turns each value into the model's types, reporting the first mistake found
// at the exact key or value that caused it.
#include "model/scenario_load.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <unordered_set>
#include <vector>

#include "model/key_sources_toml.hpp"
#include "model/live_url.hpp"
#include "model/scenario_clients.hpp"
#include "model/scenario_fields.hpp"
#include "model/scenario_limits.hpp"
#include "model/scenario_network.hpp"
#include "model/scenario_read.hpp"
#include "model/scenario_workload.hpp"
#include "model/units.hpp"
#include "model/words.hpp"

namespace model {
namespace fs = std::filesystem;

namespace {

// The schema walk: one function per table of the file.
class Reader : public ScenarioFields {
 public:
  using ScenarioFields::ScenarioFields;

  Scenario scenario(const toml::table& root);

 private:
  Client client(const toml::table& t, const std::string& where, Client base) const;
  // The client tables beyond [client] (scenario_clients.cpp), read with client().
  ClientTables client_tables() const;
  std::vector<Strategy> strategies(const toml::node& n) const;
  Strategy strategy(const toml::table& t, int index) const;
  Live live(const toml::table& t) const;
};

Client Reader::client(const toml::table& t, const std::string& where, Client base) const {
  const bool named = where != "client";
  check_keys(
      t, named ? "[" + where + "]" : "[client]",
      {"timeout", "retries", "backoff", "backoff_max", "cpu", "cores", "thread_start",
       "process_start",
       // CPU and the GIL (scenario_clients.cpp)
       "cpu_before", "cpu_on", "cpu_per_byte", "startup", "gil", "switch_interval",
       // the pool and its timeouts (scenario_clients.cpp)
       "keep_alive", "max_connections", "max_per_host", "max_idle", "idle_timeout", "when_full",
       "dns_cache", "connect_timeout", "read_timeout", "pool_timeout", "profile", "description",
       // HTTP/2 (scenario_clients.cpp)
       "http", "max_streams",
       // retries (scenario_limits.cpp)
       "jitter", "retry_on",
       // the client's rate limit (scenario_limits.cpp)
       "rate_limit"});
  if (const auto* v = t.get("profile"); v && !named)
    fail(*v,
         "[client] is the default client and cannot take a profile; expected a named "
         "client, e.g. [clients.fast] with profile = \"httpx\", or client = \"httpx\" in a "
         "[[strategy]]");
  Client c = std::move(base);
  if (const auto* v = t.get("timeout")) {
    if (const auto* s = v->as_string(); s && s->get() == "none") {
      c.timeout.reset();
    } else {
      const Duration d = duration_ns(*v, where + ".timeout");
      if (d <= Duration::zero())
        fail(*v, where +
                     ".timeout must be positive; expected e.g. \"10s\" (or \"none\" to wait "
                     "forever)");
      c.timeout = d;
    }
  }
  if (const auto* v = t.get("retries"))
    c.retries = static_cast<int>(integer(*v, where + ".retries", 0, 100));
  if (const auto* v = t.get("backoff")) c.backoff = duration_ns(*v, where + ".backoff");
  if (const auto* v = t.get("backoff_max")) c.backoff_max = duration_ns(*v, where + ".backoff_max");
  if (c.backoff_max < c.backoff) {
    const toml::node* at = t.get("backoff_max") ? t.get("backoff_max") : t.get("backoff");
    fail(*at, where + ".backoff_max (" + format_duration(c.backoff_max) + ") is below " + where +
                  ".backoff (" + format_duration(c.backoff) + "); expected backoff_max >= backoff");
  }
  if (const auto* v = t.get("cpu")) c.cpu = distribution(*v, where + ".cpu", Quantity::duration);
  if (const auto* v = t.get("cores"))
    c.cores = static_cast<int>(integer(*v, where + ".cores", 1, 4096));
  if (const auto* v = t.get("thread_start"))
    c.thread_start = duration_ns(*v, where + ".thread_start");
  if (const auto* v = t.get("process_start"))
    c.process_start = duration_ns(*v, where + ".process_start");
  ClientFields(path_, base_dir_).pool_and_timeouts(t, where, c);
  ClientFields(path_, base_dir_).cpu_keys(t, where, c);
  LimitFields(path_, base_dir_).retry_keys(t, where, c);
  LimitFields(path_, base_dir_).client_limit_keys(t, where, c);
  return c;
}

Strategy Reader::strategy(const toml::table& t, int index) const {
  const std::initializer_list<std::string_view> kKinds = {"sequential", "pool", "async"};
  const std::string where = "[[strategy]] #" + std::to_string(index);
  check_keys(t, where, {"name", "kind", "workers", "pool", "consume", "max_concurrency", "client"});
  Strategy s;
  const toml::node& name_node = required(t, "name", where, "name = \"threads-20\"");
  s.name = name(name_node, where + " name");
  const std::string w = "strategy " + quoted_excerpt(s.name);
  const toml::node& kind_node =
      required(t, "kind", w, "kind = \"sequential\" (or \"pool\", \"async\")");
  const std::string kind = string(kind_node, w + " kind");
  if (kind == "sequential") {
    s.kind = Strategy::Kind::sequential;
  } else if (kind == "pool") {
    s.kind = Strategy::Kind::pool;
  } else if (kind == "async") {
    s.kind = Strategy::Kind::async;
  } else {
    std::string hint = near_miss(kind, kKinds);
    if (kind == "thread" || kind == "threads" || kind == "process" || kind == "processes")
      hint = "for a " + kind + " pool write kind = \"pool\" with pool = \"" +
             (kind[0] == 't' ? "thread" : "process") + "\"; ";
    if (kind == "asyncio" || kind == "coroutines") hint = "did you mean 'async'? ";
    fail(kind_node, w + ": unknown strategy kind " + quoted_excerpt(kind) + "; " + hint +
                        "expected one of: " + join(kKinds));
  }
  auto not_for = [&](std::string_view key, std::string_view applies_to) {
    if (const toml::node* n = t.get(key))
      fail(*n, w + ": '" + std::string(key) + "' applies to " + std::string(applies_to) +
                   " strategies only; this one is kind = \"" + kind + "\"");
  };
  if (s.kind != Strategy::Kind::pool) {
    not_for("workers", "pool");
    not_for("pool", "pool");
    not_for("consume", "pool");
  }
  if (s.kind != Strategy::Kind::async) not_for("max_concurrency", "async");
  if (s.kind == Strategy::Kind::pool) {
    s.workers = static_cast<int>(
        integer(required(t, "workers", w, "workers = 8"), w + " workers", 1, 100'000));
    if (const toml::node* n = t.get("pool")) {
      const std::string v = string(*n, w + " pool");
      if (v == "thread") {
        s.pool_kind = Strategy::PoolKind::thread;
      } else if (v == "process") {
        s.pool_kind = Strategy::PoolKind::process;
      } else {
        fail(*n, w + ": unknown pool " + quoted_excerpt(v) + "; " +
                     near_miss(v, {"thread", "process"}) + "expected one of: thread, process");
      }
    }
    if (const toml::node* n = t.get("consume")) {
      const std::string v = string(*n, w + " consume");
      if (v == "in_order") {
        s.consume = Strategy::Consume::in_order;
      } else if (v == "as_completed") {
        s.consume = Strategy::Consume::as_completed;
      } else {
        fail(*n, w + ": unknown consume " + quoted_excerpt(v) + "; " +
                     near_miss(v, {"in_order", "as_completed"}) +
                     "expected one of: in_order (like Executor.map), as_completed");
      }
    }
  }
  if (s.kind == Strategy::Kind::async) {
    if (const toml::node* n = t.get("max_concurrency"))
      s.max_concurrency = static_cast<int>(integer(*n, w + " max_concurrency", 0, kMaxItems));
  }
  if (const toml::node* n = t.get("client")) s.client = name(*n, w + " client");
  return s;
}

ClientTables Reader::client_tables() const {
  return ClientTables(
      path_, base_dir_,
      [dir = base_dir_](const toml::table& t, const std::string& where, const std::string& file,
                        const Client& base) { return Reader(file, dir).client(t, where, base); });
}

std::vector<Strategy> Reader::strategies(const toml::node& n) const {
  if (n.is_table())
    fail(n,
         "'strategy' must be an array of tables; write [[strategy]] (double brackets), one "
         "per strategy to compare");
  const auto& a = array(n, "strategy", "[[strategy]] tables");
  if (a.empty()) fail(a, "no strategies; expected at least one [[strategy]] table");
  std::vector<Strategy> out;
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    const auto& t = table(a[i], "[[strategy]] #" + std::to_string(index),
                          "[[strategy]] with name = ..., kind = ...");
    Strategy s = strategy(t, index);
    const toml::node& name_node = *t.get("name");
    const auto line = static_cast<int>(name_node.source().begin.line);
    if (auto [it, fresh] = first_line.emplace(s.name, line); !fresh)
      fail(name_node, "duplicate strategy name " + quoted_excerpt(s.name) +
                          " (first used at line " + std::to_string(it->second) +
                          "); expected each strategy to have a "
                          "unique name");
    out.push_back(std::move(s));
  }
  return out;
}

Live Reader::live(const toml::table& t) const {
  check_keys(t, "[live]", {"url"});
  Live l;
  if (const auto* v = t.get("url")) {
    l.url = string(*v, "live.url");
    if (l.url.empty()) return l;  // no live target
    if (!l.url.starts_with("http://") && !l.url.starts_with("https://"))
      fail(*v, "live.url must start with http:// or https://; got " + quote(l.url));
    if (l.url.find("{name}") == std::string::npos)
      fail(*v,
           "live.url has no {name} placeholder; expected e.g. "
           "\"http://127.0.0.1:8001/flags/{name}.gif\"");
    if (const std::string problem = live_url_problem(l.url); !problem.empty())
      fail(*v, "live.url " + quote(l.url) + " is not a URL live mode can fetch: " + problem +
                   "; expected e.g. \"http://127.0.0.1:8001/flags/{name}.gif\"");
  }
  return l;
}

Scenario Reader::scenario(const toml::table& root) {
  check_keys(root, "the scenario",
             {"name", "description", "seed", "workload", "network", "server", "host", "client",
              "clients", "strategy", "live"});
  Scenario s;
  s.source_path = path_;
  if (const auto* v = root.get("name")) {
    s.name = string(*v, "name");
    refuse_control(*v, s.name, "name");
  } else {
    s.name = fs::path(path_).stem().string();
  }
  if (s.name.empty()) s.name = "scenario";
  if (const auto* v = root.get("description")) s.description = string(*v, "description");
  if (const auto* v = root.get("seed"))
    s.seed = static_cast<std::uint64_t>(
        integer(*v, "seed", 0, std::numeric_limits<std::int64_t>::max()));
  auto section = [&](std::string_view key, std::string_view example) -> const toml::table* {
    const toml::node* n = root.get(key);
    if (!n) return nullptr;
    return &table(*n, std::string(key), example);
  };
  const toml::table* w = section("workload", "[workload] with items = [...]");
  if (!w)
    fail(root,
         "missing [workload]; expected a [workload] table with items, items_csv, count "
         "(with size) or sleeps");
  const NetworkFields net(path_, base_dir_);
  const toml::node* hosts = root.get("host");
  s.workload = WorkloadReader(path_, base_dir_)
                   .workload(*w, hosts ? net.host_names(*hosts) : std::vector<std::string>{});
  Client base;
  if (const auto* t = section("network", "[network] with rtt = \"50ms\"")) {
    s.network = net.network(*t, Network{}, "network");
    // The old place of keep_alive: still read, into the default client (with a warning).
    if (const auto* v = t->get("keep_alive")) base.keep_alive = boolean(*v, "network.keep_alive");
  }
  if (const auto* t = section("server", "[server] with workers = 4"))
    s.server = net.server(*t, s.workload, Server{}, "server");
  if (hosts) s.hosts = net.hosts(*hosts, s.network, s.server, s.workload);
  s.client = base;
  if (const auto* t = section("client", "[client] with timeout = \"10s\""))
    s.client = client(*t, "client", base);
  if (const auto* n = root.get("clients")) s.clients = client_tables().named(*n, s.client);
  const toml::node* strat = root.get("strategy");
  if (!strat)
    fail(root,
         "no strategies; expected at least one [[strategy]] table with name and kind "
         "(sequential, pool or async)");
  s.strategies = strategies(*strat);
  client_tables().resolve(*strat, s);
  if (const auto* t = section("live", "[live] with url = \"http://...\"")) s.live = live(*t);
  return s;
}

}  // namespace

Scenario parse_scenario(std::string_view toml_text, std::string_view path_for_messages) {
  const std::string path(path_for_messages);
  const toml::table root = parse_toml(toml_text, path);
  Reader reader(path, fs::path(path).parent_path());
  Scenario s = reader.scenario(root);
  s.sources = key_sources(root, path);
  return s;
}

Scenario load_scenario(const fs::path& path) {
  const std::string text = read_file(path, kMaxScenarioFileBytes, "TOML scenario file");
  return parse_scenario(text, path.string());
}

}  // namespace model
