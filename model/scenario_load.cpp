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
#include "model/scenario_fields.hpp"
#include "model/scenario_limits.hpp"
#include "model/scenario_read.hpp"
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
  Workload workload(const toml::table& t) const;
  std::vector<Item> items(const toml::array& a) const;
  std::vector<Item> items_csv(const toml::node& n) const;
  Network network(const toml::table& t) const;
  Server server(const toml::table& t, const Workload& w) const;
  Client client(const toml::table& t) const;
  std::vector<Strategy> strategies(const toml::node& n) const;
  Strategy strategy(const toml::table& t, int index) const;
  Live live(const toml::table& t) const;
};

Workload Reader::workload(const toml::table& t) const {
  check_keys(t, "[workload]", {"items", "items_csv", "count", "size", "sleeps"});
  const toml::node* given = nullptr;
  std::string given_key;
  for (std::string_view key : {"items", "items_csv", "count", "sleeps"}) {
    const toml::node* n = t.get(key);
    if (!n) continue;
    if (given)
      fail(*n, "[workload] has both '" + given_key + "' (line " +
                   std::to_string(given->source().begin.line) + ") and '" + std::string(key) +
                   "'; expected exactly one of items, items_csv, count, sleeps");
    given = n;
    given_key = key;
  }
  if (!given)
    fail(t,
         "the workload is empty; expected one of items = [{ name = \"a\", size = \"2 KiB\" }], "
         "items_csv = \"file.csv\", count = N with size = ..., or sleeps = [\"1s\", ...]");
  if (const toml::node* s = t.get("size"); s && given_key != "count")
    fail(*s, "[workload] size goes with count (generated items); items give their own sizes");

  Workload w;
  if (given_key == "items") {
    w.kind = Workload::Kind::items;
    w.items = items(array(*given, "workload.items", "[{ name = \"CN\", size = \"11 KiB\" }]"));
  } else if (given_key == "items_csv") {
    w.kind = Workload::Kind::items;
    w.items = items_csv(*given);
  } else if (given_key == "count") {
    w.kind = Workload::Kind::generated;
    w.count = integer(*given, "workload.count", 1, kMaxItems);
    const toml::node& s = required(t, "size", "[workload] (count needs a size)",
                                   "size = { dist = \"lognormal\", median = \"2.3 KiB\", sigma = "
                                   "0.3 }");
    w.size = distribution(s, "workload.size", Quantity::size);
  } else {
    w.kind = Workload::Kind::sleeps;
    const auto& a = array(*given, "workload.sleeps", "[\"0s\", \"1s\", \"2s\"]");
    if (a.empty()) fail(a, "workload.sleeps is empty; expected at least one duration");
    for (std::size_t i = 0; i < a.size(); ++i)
      w.sleeps.push_back(duration_ns(a[i], "workload.sleeps[" + std::to_string(i) + "]"));
  }
  return w;
}

std::vector<Item> Reader::items(const toml::array& a) const {
  if (a.empty()) fail(a, "workload.items is empty; expected at least one { name, size }");
  std::vector<Item> out;
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string where = "workload.items[" + std::to_string(i) + "]";
    const auto& t = table(a[i], where, "{ name = \"CN\", size = \"11 KiB\" }");
    check_keys(t, where, {"name", "size"});
    const toml::node& name_node = required(t, "name", where, "name = \"CN\"");
    Item item;
    item.name = name(name_node, where + ".name");
    const auto line = static_cast<int>(name_node.source().begin.line);
    if (auto [it, fresh] = first_line.emplace(item.name, line); !fresh)
      fail(name_node, "duplicate item name " + quoted_excerpt(item.name) + " (first at line " +
                          std::to_string(it->second) + "); expected unique names");
    item.bytes =
        std::llround(size(required(t, "size", where, "size = \"11 KiB\""), where + ".size"));
    out.push_back(std::move(item));
  }
  return out;
}

// Items from a CSV file (see parse_items_csv); the file's problems point into it.
std::vector<Item> Reader::items_csv(const toml::node& n) const {
  std::string file, name_col = "name", size_col = "size";
  if (const auto* t = n.as_table()) {
    check_keys(*t, "workload.items_csv", {"path", "name", "size"});
    file = string(required(*t, "path", "workload.items_csv", "path = \"sizes.csv\""),
                  "workload.items_csv.path");
    if (const auto* c = t->get("name")) name_col = string(*c, "workload.items_csv.name");
    if (const auto* c = t->get("size")) size_col = string(*c, "workload.items_csv.size");
  } else if (n.is_string()) {
    file = string(n, "workload.items_csv");
  } else {
    fail(n, "workload.items_csv must be a path or a table, got " + type_name(n) +
                "; expected e.g. \"sizes.csv\" or { path = \"sizes.csv\", name = \"cc\", "
                "size = \"gif_bytes\" }");
  }
  if (file.empty()) fail(n, "workload.items_csv: empty path; expected a CSV file name");
  fs::path p(file);
  if (p.is_relative()) p = base_dir_ / p;
  const std::string csv_name = p.string();
  std::string text;
  try {
    text = read_file(p, kMaxCsvFileBytes, "CSV file (header, then name,size rows)");
  } catch (const ScenarioError& e) {
    fail(n, "workload.items_csv: " + std::string(e.what()));
  }
  refuse_binary(text, csv_name, "CSV file");
  std::vector<Item> out = parse_items_csv(text, csv_name, name_col, size_col);
  if (out.empty())
    fail(n, "workload.items_csv: " + csv_name +
                " has no items; expected a header row and at least one item row");
  return out;
}

Network Reader::network(const toml::table& t) const {
  check_keys(t, "[network]",
             {"rtt", "bandwidth", "per_connection", "keep_alive", "tls", "tls_rtts", "dns",
              "per_host_limit"});
  Network n;
  if (const auto* v = t.get("rtt")) n.rtt = distribution(*v, "network.rtt", Quantity::duration);
  if (const auto* v = t.get("bandwidth")) n.bandwidth = rate(*v, "network.bandwidth");
  if (const auto* v = t.get("per_connection"))
    n.per_connection = rate(*v, "network.per_connection");
  if (const auto* v = t.get("keep_alive")) n.keep_alive = boolean(*v, "network.keep_alive");
  if (const auto* v = t.get("tls")) n.tls = boolean(*v, "network.tls");
  if (const auto* v = t.get("tls_rtts"))
    n.tls_rtts = static_cast<int>(integer(*v, "network.tls_rtts", 0, 10));
  if (const auto* v = t.get("dns")) n.dns = distribution(*v, "network.dns", Quantity::duration);
  if (const auto* v = t.get("per_host_limit"))
    n.per_host_limit = static_cast<int>(integer(*v, "network.per_host_limit", 0, 1'000'000));
  return n;
}

Server Reader::server(const toml::table& t, const Workload& w) const {
  check_keys(t, "[server]",
             {"workers", "service", "errors", "missing", "stall_rate", "rate_limit", "backlog",
              "syn_retries"});
  Server s;
  if (const auto* v = t.get("workers"))
    s.workers = static_cast<int>(integer(*v, "server.workers", 0, 1'000'000));
  if (const auto* v = t.get("service"))
    s.service = distribution(*v, "server.service", Quantity::duration);
  if (const auto* v = t.get("errors")) {
    const auto& a = array(*v, "server.errors", "[{ status = 500, rate = 0.1 }]");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string where = "server.errors[" + std::to_string(i) + "]";
      const auto& e = table(a[i], where, "{ status = 503, rate = 0.05 }");
      check_keys(e, where, {"status", "rate"});
      ErrorRule rule;
      rule.status = static_cast<int>(
          integer(required(e, "status", where, "status = 500"), where + ".status", 400, 599));
      rule.rate = probability(required(e, "rate", where, "rate = 0.1"), where + ".rate");
      s.errors.push_back(rule);
    }
  }
  if (const auto* v = t.get("missing")) {
    const auto& a = array(*v, "server.missing", "[\"XX\", \"YY\"]");
    // A set, not a scan per name: both lists can hold 10^5 names and more.
    std::unordered_set<std::string_view> items;
    if (w.kind == Workload::Kind::items) {
      items.reserve(w.items.size());
      for (const Item& it : w.items)
        items.insert(it.name);
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string where = "server.missing[" + std::to_string(i) + "]";
      std::string missing = name(a[i], where);
      if (w.kind == Workload::Kind::items && !items.contains(missing))
        fail(a[i], where + ": " + quoted_excerpt(missing) +
                       " is not an item of the workload; expected one of "
                       "the item names");
      s.missing.push_back(std::move(missing));
    }
  }
  if (const auto* v = t.get("stall_rate")) s.stall_rate = probability(*v, "server.stall_rate");
  LimitFields(path_, base_dir_).server_limit_keys(t, s);
  return s;
}

Client Reader::client(const toml::table& t) const {
  check_keys(t, "[client]",
             {"timeout", "retries", "backoff", "backoff_max", "cpu", "cores", "thread_start",
              "process_start", "jitter", "retry_on"});
  Client c;
  if (const auto* v = t.get("timeout")) {
    if (const auto* s = v->as_string(); s && s->get() == "none") {
      c.timeout.reset();
    } else {
      const Duration d = duration_ns(*v, "client.timeout");
      if (d <= Duration::zero())
        fail(*v,
             "client.timeout must be positive; expected e.g. \"10s\" (or \"none\" to wait "
             "forever)");
      c.timeout = d;
    }
  }
  if (const auto* v = t.get("retries"))
    c.retries = static_cast<int>(integer(*v, "client.retries", 0, 100));
  if (const auto* v = t.get("backoff")) c.backoff = duration_ns(*v, "client.backoff");
  if (const auto* v = t.get("backoff_max")) c.backoff_max = duration_ns(*v, "client.backoff_max");
  if (c.backoff_max < c.backoff) {
    const toml::node* at = t.get("backoff_max") ? t.get("backoff_max") : t.get("backoff");
    fail(*at, "client.backoff_max (" + format_duration(c.backoff_max) +
                  ") is below client.backoff (" + format_duration(c.backoff) +
                  "); expected backoff_max >= backoff");
  }
  if (const auto* v = t.get("cpu")) c.cpu = distribution(*v, "client.cpu", Quantity::duration);
  if (const auto* v = t.get("cores"))
    c.cores = static_cast<int>(integer(*v, "client.cores", 1, 4096));
  if (const auto* v = t.get("thread_start"))
    c.thread_start = duration_ns(*v, "client.thread_start");
  if (const auto* v = t.get("process_start"))
    c.process_start = duration_ns(*v, "client.process_start");
  LimitFields(path_, base_dir_).retry_keys(t, c);
  return c;
}

Strategy Reader::strategy(const toml::table& t, int index) const {
  const std::initializer_list<std::string_view> kKinds = {"sequential", "pool", "async"};
  const std::string where = "[[strategy]] #" + std::to_string(index);
  check_keys(t, where, {"name", "kind", "workers", "pool", "consume", "max_concurrency"});
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
  return s;
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
             {"name", "description", "seed", "workload", "network", "server", "client", "strategy",
              "live"});
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
  s.workload = workload(*w);
  if (const auto* t = section("network", "[network] with rtt = \"50ms\"")) s.network = network(*t);
  if (const auto* t = section("server", "[server] with workers = 4"))
    s.server = server(*t, s.workload);
  if (const auto* t = section("client", "[client] with timeout = \"10s\"")) s.client = client(*t);
  const toml::node* strat = root.get("strategy");
  if (!strat)
    fail(root,
         "no strategies; expected at least one [[strategy]] table with name and kind "
         "(sequential, pool or async)");
  s.strategies = strategies(*strat);
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
