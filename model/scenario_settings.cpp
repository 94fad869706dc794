// Setting scenario keys (see scenario_keys.hpp): a value or a scale on a scenario, the checks
// across keys, and --set KEY=VALUE.
#include "model/scenario_keys.hpp"

#include <cstdint>
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
  } else if (base == "workload.size") {
    set_distribution(s.workload.size, name, base, value);
  } else if (base == "network.rtt") {
    set_distribution(s.network.rtt, name, base, value);
  } else if (base == "network.dns") {
    set_distribution(s.network.dns, name, base, value);
  } else if (base == "network.bandwidth") {
    s.network.bandwidth = value;
  } else if (base == "network.per_connection") {
    s.network.per_connection = value;
  } else if (base == "network.tls_rtts") {
    s.network.tls_rtts = count;
  } else if (base == "network.per_host_limit") {
    s.network.per_host_limit = count;
  } else if (base == "server.workers") {
    s.server.workers = count;
  } else if (base == "server.service") {
    set_distribution(s.server.service, name, base, value);
  } else if (base == "server.stall_rate") {
    s.server.stall_rate = value;
  } else if (base == "server.backlog") {
    s.server.backlog = count;
  } else if (base == "client.timeout") {
    s.client.timeout = sim::from_seconds(value);
  } else if (base == "client.retries") {
    s.client.retries = count;
  } else if (base == "client.backoff") {
    s.client.backoff = sim::from_seconds(value);
  } else if (base == "client.backoff_max") {
    s.client.backoff_max = sim::from_seconds(value);
  } else if (base == "client.cpu") {
    set_distribution(s.client.cpu, name, base, value);
  } else if (base == "client.cores") {
    s.client.cores = count;
  } else if (base == "client.thread_start") {
    s.client.thread_start = sim::from_seconds(value);
  } else if (base == "client.process_start") {
    s.client.process_start = sim::from_seconds(value);
  } else {
    throw std::logic_error("set_key: no setter for key " + k.name);
  }
}

void check_settings(const Scenario& s) {
  if (s.client.backoff_max < s.client.backoff)
    throw KeyError("client.backoff_max (" + format_duration(s.client.backoff_max) +
                   ") is below client.backoff (" + format_duration(s.client.backoff) +
                   "); expected backoff_max >= backoff");
}

namespace {

// Keys whose values are not numbers, written as in scenario files: booleans, and
// client.timeout = "none" (wait forever). True when `name` was one of them and is set.
bool apply_word(Scenario& s, const std::string& name, const std::string& text) {
  bool* flag = name == "network.keep_alive" ? &s.network.keep_alive
               : name == "network.tls"      ? &s.network.tls
                                            : nullptr;
  if (flag) {
    if (text != "true" && text != "false")
      throw KeyError(name + ": \"" + text + "\" is not a boolean; expected true or false");
    *flag = text == "true";
    return true;
  }
  if (name == "client.timeout" && text == "none") {
    s.client.timeout.reset();
    return true;
  }
  return false;
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
