// Reading [workload]: the items (inline, from a CSV file, generated, or sleeps) and when
// they arrive (`arrivals`, or each item's own `at`).
#include "model/scenario_workload.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "model/scenario_load.hpp"
#include "model/scenario_read.hpp"
#include "model/units.hpp"
#include "model/words.hpp"

namespace model {
namespace fs = std::filesystem;

Workload WorkloadReader::workload(const toml::table& t,
                                  const std::vector<std::string>& hosts) const {
  check_keys(t, "[workload]", {"items", "items_csv", "count", "size", "sleeps", "arrivals"});
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
    w.items =
        items(array(*given, "workload.items", "[{ name = \"CN\", size = \"11 KiB\" }]"), hosts);
  } else if (given_key == "items_csv") {
    w.kind = Workload::Kind::items;
    w.items = items_csv(*given, hosts);
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
  const bool listed = !w.items.empty() && w.items.front().at.has_value();
  if (const toml::node* a = t.get("arrivals")) {
    if (listed)
      fail(*a,
           "[workload] arrivals is given and the items have their own 'at' times; expected "
           "one of them");
    w.arrivals = arrivals(*a);
  } else if (listed) {
    w.arrivals.kind = Arrivals::Kind::listed;
  }
  return w;
}

std::vector<Item> WorkloadReader::items(const toml::array& a,
                                        const std::vector<std::string>& hosts) const {
  if (a.empty()) fail(a, "workload.items is empty; expected at least one { name, size }");
  std::vector<Item> out;
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string where = "workload.items[" + std::to_string(i) + "]";
    const auto& t = table(a[i], where, "{ name = \"CN\", size = \"11 KiB\" }");
    check_keys(t, where, {"name", "size", "at", "host"});
    const toml::node& name_node = required(t, "name", where, "name = \"CN\"");
    Item item;
    item.name = name(name_node, where + ".name");
    const auto line = static_cast<int>(name_node.source().begin.line);
    if (auto [it, fresh] = first_line.emplace(item.name, line); !fresh)
      fail(name_node, "duplicate item name " + quoted_excerpt(item.name) + " (first at line " +
                          std::to_string(it->second) + "); expected unique names");
    item.bytes =
        std::llround(size(required(t, "size", where, "size = \"11 KiB\""), where + ".size"));
    // Arrival times: on every item or on none, never decreasing.
    const toml::node* at = t.get("at");
    if (i > 0 && (at != nullptr) != out.front().at.has_value())
      fail(at ? *at : name_node, where +
                                     (at ? " has an 'at' time and workload.items[0] has none"
                                         : " has no 'at' time and workload.items[0] has one") +
                                     "; expected 'at' on every item or on none");
    if (at) {
      item.at = item_at(*at, where + ".at", out.empty() ? std::nullopt : out.back().at);
    }
    item.host = item_host(t, where, hosts);
    out.push_back(std::move(item));
  }
  return out;
}

// Items from a CSV file (see parse_items_csv); the file's problems point into it.
std::vector<Item> WorkloadReader::items_csv(const toml::node& n,
                                            const std::vector<std::string>& hosts) const {
  std::string file, name_col = "name", size_col = "size", at_col = "at";
  bool at_named = false;
  if (const auto* t = n.as_table()) {
    check_keys(*t, "workload.items_csv", {"path", "name", "size", "at"});
    file = string(required(*t, "path", "workload.items_csv", "path = \"sizes.csv\""),
                  "workload.items_csv.path");
    if (const auto* c = t->get("name")) name_col = string(*c, "workload.items_csv.name");
    if (const auto* c = t->get("size")) size_col = string(*c, "workload.items_csv.size");
    if (const auto* c = t->get("at")) {
      at_col = string(*c, "workload.items_csv.at");
      at_named = true;
    }
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
  std::vector<Item> out =
      parse_items_csv(text, csv_name, {name_col, size_col, at_col, at_named, hosts});
  if (out.empty())
    fail(n, "workload.items_csv: " + csv_name +
                " has no items; expected a header row and at least one item row");
  return out;
}

namespace {

constexpr std::string_view kExpected =
    "expected \"at_once\", a rate such as \"100/s\" (Poisson arrivals), or { rate = \"100/s\", "
    "process = \"constant\" }";

}  // namespace

Arrivals WorkloadReader::arrivals(const toml::node& n) const {
  Arrivals a;
  const toml::node* rate_node = &n;
  if (const auto* t = n.as_table()) {
    check_keys(*t, "workload.arrivals", {"rate", "process"});
    rate_node = &required(*t, "rate", "workload.arrivals", "rate = \"100/s\"");
    a.kind = Arrivals::Kind::poisson;
    if (const auto* p = t->get("process")) {
      const std::string process = string(*p, "workload.arrivals.process");
      if (process == "constant") {
        a.kind = Arrivals::Kind::constant;
      } else if (process != "poisson") {
        fail(*p, "workload.arrivals.process " + quote(process) + " is not known; " +
                     near_miss(process, {"poisson", "constant"}) +
                     "expected \"poisson\" (exponential gaps) or \"constant\" (even gaps)");
      }
    }
  } else if (const auto* s = n.as_string(); s && s->get() == "at_once") {
    return a;
  } else if (!n.is_string()) {
    fail(n, "workload.arrivals must be a string or a table, got " + type_name(n) + "; " +
                std::string(kExpected));
  } else {
    a.kind = Arrivals::Kind::poisson;
  }
  const std::string where = n.is_table() ? "workload.arrivals.rate" : "workload.arrivals";
  const auto* text = rate_node->as_string();
  if (text == nullptr)
    fail(*rate_node, where + " must be a string such as \"100/s\", got " + type_name(*rate_node));
  try {
    a.rate = parse_frequency(text->get());
  } catch (const UnitError& e) {
    // A word that is no rate ("fast", "at-once") gets the forms arrivals takes; a rate with a
    // wrong unit or sign gets the unit parser's own message, which says what it expected.
    if (text->get().find('/') == std::string::npos && !n.is_table())
      fail(*rate_node, where + ": " + quote(text->get()) + " is neither \"at_once\" nor a rate; " +
                           near_miss(text->get(), {"at_once"}) + std::string(kExpected));
    fail(*rate_node, where + ": " + e.what());
  }
  if (a.rate <= 0 || a.rate > kMaxArrivalRate)
    fail(*rate_node, where + ": " + quote(text->get()) +
                         " is out of range; expected above 0 and at most 1e9/s (for all at "
                         "t = 0 write \"at_once\")");
  return a;
}

std::uint32_t WorkloadReader::item_host(const toml::table& t, const std::string& where,
                                        const std::vector<std::string>& hosts) const {
  const toml::node* n = t.get("host");
  if (hosts.empty()) {
    if (n)
      fail(*n, where +
                   ".host names a host, but the scenario has no [[host]] tables; expected "
                   "[[host]] tables with their names, or no host on the items");
    return 0;
  }
  if (!n)
    fail(t, where + " has no host, and the scenario has [[host]] tables; expected host = \"" +
                hosts.front() + "\" (one of the [[host]] names)");
  const std::string host = string(*n, where + ".host");
  const auto it = std::find(hosts.begin(), hosts.end(), host);
  if (it == hosts.end()) {
    std::vector<std::string_view> known(hosts.begin(), hosts.end());
    fail(*n, where + ".host " + quote(host) + " is not one of the [[host]] tables; " +
                 near_miss(host, known) + "expected e.g. " + quote(hosts.front()));
  }
  return static_cast<std::uint32_t>(it - hosts.begin());
}

Duration WorkloadReader::item_at(const toml::node& n, const std::string& where,
                                 std::optional<Duration> previous) const {
  const Duration at = duration_ns(n, where);
  if (previous && at < *previous)
    fail(n, where + " " + format_duration(at) + " is before the previous item's " +
                format_duration(*previous) +
                "; expected items in the order they arrive (at never decreasing)");
  return at;
}

std::string arrivals_phrase(const Arrivals& a) {
  switch (a.kind) {
    case Arrivals::Kind::at_once:
      return "";
    case Arrivals::Kind::poisson:
      return "Poisson arrivals at " + format_frequency(a.rate);
    case Arrivals::Kind::constant:
      return "one arrival every " + format_duration(sim::from_seconds(1.0 / a.rate)) + " (" +
             format_frequency(a.rate) + ")";
    case Arrivals::Kind::listed:
      return "arrivals at the items' own times";
  }
  return "";
}

}  // namespace model
