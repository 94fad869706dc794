// Scenario keys by name (see scenario_keys.hpp): the table of keys, values with units,
// ranges and splitting KEY=VALUE; setting keys is in scenario_settings.cpp.
#include "model/scenario_keys.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "model/scenario_load.hpp"
#include "model/scenario_workload.hpp"
#include "model/units.hpp"
#include "model/words.hpp"

namespace model {
namespace {

using Kind = ScenarioKey::Kind;

constexpr double kMaxFactor = 1e6;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

ScenarioKey key(std::string name, Kind kind, double min, double max, std::string what,
                std::string strategy = {}) {
  ScenarioKey k;
  k.name = std::move(name);
  k.kind = kind;
  k.min = min;
  k.max = max;
  k.what = std::move(what);
  k.strategy = std::move(strategy);
  return k;
}

constexpr double kMaxSeconds = 1e8;
constexpr double kNoLimit = std::numeric_limits<double>::max();

void add_distribution(std::vector<ScenarioKey>& keys, const std::string& name, Kind kind,
                      double max, const std::string& what) {
  keys.push_back(key(name, kind, 0, max, what + " (a constant)"));
  keys.push_back(key(name + ".scale", Kind::factor, 0, kMaxFactor,
                     what + ": a factor on every draw of the scenario's distribution"));
}

std::string unit_hint(Kind k) {
  switch (k) {
    case Kind::count:
      return "a whole number, e.g. 24";
    case Kind::probability:
      return "a probability from 0 to 1, e.g. 0.05 or 5%";
    case Kind::factor:
      return "a plain factor, e.g. 1.5";
    case Kind::duration:
      return "a duration with a unit, e.g. 50ms (units: " + std::string(kDurationUnits) + ")";
    case Kind::size:
      return "a size, e.g. 2.5 KiB or a number of bytes";
    case Kind::rate:
      return "a rate with a unit, e.g. 20 Mbit/s, or unlimited";
    case Kind::frequency:
      return "a number per second, e.g. 100/s";
  }
  return {};
}

// The example range shown in messages for a key of this kind.
std::string range_example(Kind k) {
  switch (k) {
    case Kind::count:
      return "1,2,4,8 or 1..64 or 1..1024x2";
    case Kind::probability:
      return "0,0.01,0.05 or 0..0.2+0.05";
    case Kind::factor:
      return "0.5,1,2 or 0.25..4x2";
    case Kind::duration:
      return "20ms,50ms,100ms or 10ms..200ms+10ms or 10ms..640msx2";
    case Kind::size:
      return "1 KiB,64 KiB or 1KiB..1MiBx2";
    case Kind::rate:
      return "1 Mbit/s,10 Mbit/s or 1Mbit/s..1Gbit/sx10";
    case Kind::frequency:
      return "50/s,100/s,200/s or 50/s..400/sx2";
  }
  return {};
}

double plain_number(const ScenarioKey& k, std::string_view text) {
  std::string_view s = trim(text);
  bool percent = false;
  if (k.kind == Kind::probability && !s.empty() && s.back() == '%') {
    percent = true;
    s = trim(s.substr(0, s.size() - 1));
  }
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v))
    throw KeyError(k.name + ": " + quoted(text) + " is not " + unit_hint(k.kind));
  return percent ? v / 100 : v;
}

std::string shortest(double v) {
  return fmt::format("{}", v);
}

// Ranges and the whole-number rule of a key; `text` is what the user wrote.
double checked(const ScenarioKey& k, double v, std::string_view text) {
  if (k.kind == Kind::count && v != std::floor(v))
    throw KeyError(k.name + ": " + quoted(text) + " is not a whole number; expected " +
                   unit_hint(k.kind));
  if (v < k.min || (k.min_exclusive && v <= k.min) || v > k.max) {
    std::string allowed;
    const std::string lo = format_key_value(k, k.min);
    if (k.max >= kNoLimit) {
      allowed = (k.min_exclusive ? "above " : "at least ") + lo;
    } else {
      allowed = (k.min_exclusive ? "above " + lo + " and at most " : "from " + lo + " to ") +
                format_key_value(k, k.max);
    }
    throw KeyError(k.name + ": " + quoted(text) + " is out of range; expected " + allowed);
  }
  return v;
}

// "client.rate_limit.rate": the client's own rate limit (burst 1 when the file has none).
void add_client_limit_keys(std::vector<ScenarioKey>& keys, const std::string& p,
                           const std::string& of) {
  // The loader's range for rates per time (scenario_limits.cpp): 0.0036/h to 1e9/s.
  keys.push_back(key(p + ".rate_limit.rate", Kind::frequency, 1e-6, 1e9,
                     "requests a second the client's rate limit lets through" + of));
}

// The keys of one client: "client.timeout", "clients.httpx.max_connections".
void add_client_keys(std::vector<ScenarioKey>& keys, const std::string& p, const std::string& of) {
  auto positive = [&](const std::string& name, const std::string& what) {
    ScenarioKey k = key(p + "." + name, Kind::duration, 0, kMaxSeconds, what + of);
    k.min_exclusive = true;
    keys.push_back(k);
  };
  positive("timeout", "timeout per attempt");
  keys.push_back(key(p + ".retries", Kind::count, 0, 100, "extra attempts after a failure" + of));
  keys.push_back(key(p + ".backoff", Kind::duration, 0, kMaxSeconds, "first retry delay" + of));
  keys.push_back(
      key(p + ".backoff_max", Kind::duration, 0, kMaxSeconds, "longest retry delay" + of));
  add_distribution(keys, p + ".cpu", Kind::duration, kMaxSeconds, "client CPU per answer" + of);
  add_distribution(keys, p + ".cpu_before", Kind::duration, kMaxSeconds,
                   "client CPU per attempt before its request" + of);
  keys.push_back(key(p + ".cpu_per_byte", Kind::duration, 0, 1, "client CPU per body byte" + of));
  keys.push_back(key(p + ".startup", Kind::duration, 0, kMaxSeconds,
                     "client CPU once per run, before the first request" + of));
  keys.push_back(key(p + ".gil", Kind::count, 0, 1,
                     "1: a thread pool's threads share a GIL; 0: they run on the cores" + of));
  positive("switch_interval", "GIL switch interval");
  keys.push_back(
      key(p + ".cores", Kind::count, 1, 4096, "CPU slices at once (process pools)" + of));
  keys.push_back(key(p + ".thread_start", Kind::duration, 0, kMaxSeconds,
                     "cost to start a worker thread" + of));
  keys.push_back(key(p + ".process_start", Kind::duration, 0, kMaxSeconds,
                     "cost to start a worker process" + of));
  keys.push_back(key(p + ".max_connections", Kind::count, 0, 1'000'000,
                     "connections open at once (0 = no limit)" + of));
  keys.push_back(key(p + ".max_per_host", Kind::count, 0, 1'000'000,
                     "connections open at once to the host (0 = no limit)" + of));
  keys.push_back(key(p + ".max_idle", Kind::count, 0, 1'000'000,
                     "connections kept alive after use (0 = no limit)" + of));
  keys.push_back(key(p + ".max_streams", Kind::count, 1, 1'000'000,
                     "HTTP/2 streams at once on one connection" + of));
  positive("idle_timeout", "how long a kept connection may stay idle");
  positive("connect_timeout", "limit on DNS and handshakes");
  positive("read_timeout", "longest silence before the answer");
  positive("pool_timeout", "longest wait for a connection from the pool");
  add_client_limit_keys(keys, p, of);
}

}  // namespace

std::vector<ScenarioKey> scenario_keys(const Scenario& s) {
  std::vector<ScenarioKey> keys;
  if (s.workload.kind == Workload::Kind::generated) {
    keys.push_back(key("workload.count", Kind::count, 1, static_cast<double>(kMaxItems),
                       "number of generated downloads"));
    add_distribution(keys, "workload.size", Kind::size, kMaxItemBytes, "body size");
  }
  if (s.workload.arrivals.kind == Arrivals::Kind::poisson ||
      s.workload.arrivals.kind == Arrivals::Kind::constant) {
    ScenarioKey rate = key("workload.arrivals.rate", Kind::frequency, 0, kMaxArrivalRate,
                           "downloads arriving per second");
    rate.min_exclusive = true;
    keys.push_back(rate);
  }
  add_distribution(keys, "network.rtt", Kind::duration, kMaxSeconds, "round-trip time");
  keys.push_back(key("network.bandwidth", Kind::rate, 0, kNoLimit,
                     "client downlink (unlimited or 0 = no limit)"));
  keys.push_back(key("network.per_connection", Kind::rate, 0, kNoLimit,
                     "cap per transfer (unlimited or 0 = none)"));
  keys.push_back(key("network.mss", Kind::size, 1, 65535, "body bytes per TCP segment"));
  keys.push_back(key("network.overhead", Kind::size, 0, 65535, "header bytes per TCP segment"));
  keys.push_back(key("network.init_cwnd", Kind::count, 1, 1000, "TCP's initial window, segments"));
  keys.push_back(key("network.max_window", Kind::size, 1, 1 << 30, "TCP's largest window"));
  add_distribution(keys, "network.dns", Kind::duration, kMaxSeconds, "DNS lookup per connection");
  keys.push_back(key("network.tls_rtts", Kind::count, 0, 10, "round trips of a TLS handshake"));
  keys.push_back(key("network.per_host_limit", Kind::count, 0, 1'000'000,
                     "simultaneous connections to the host (0 = no limit)"));
  keys.push_back(
      key("server.workers", Kind::count, 0, 1'000'000, "requests served at once (0 = unlimited)"));
  add_distribution(keys, "server.service", Kind::duration, kMaxSeconds, "service time");
  keys.push_back(key("server.stall_rate", Kind::probability, 0, 1,
                     "probability a request never gets an answer"));
  keys.push_back(key("server.backlog", Kind::count, 0, 65535,
                     "connections waiting to be accepted (0 = unlimited)"));
  add_client_keys(keys, "client", "");
  for (const auto& [name, c] : s.clients)
    add_client_keys(keys, "clients." + name, " of client " + name);
  int pools = 0, asyncs = 0;
  for (const Strategy& st : s.strategies) {
    if (st.kind == Strategy::Kind::pool) {
      ++pools;
      keys.push_back(key("strategy." + st.name + ".workers", Kind::count, 1, 100'000,
                         "workers of pool " + st.name, st.name));
    } else if (st.kind == Strategy::Kind::async) {
      ++asyncs;
      keys.push_back(key("strategy." + st.name + ".max_concurrency", Kind::count, 0,
                         static_cast<double>(kMaxItems),
                         "tasks at once of " + st.name + " (0 = unlimited)", st.name));
    }
  }
  if (pools > 1)
    keys.push_back(
        key("strategy.*.workers", Kind::count, 1, 100'000, "workers of every pool", "*"));
  if (asyncs > 1)
    keys.push_back(key("strategy.*.max_concurrency", Kind::count, 0, static_cast<double>(kMaxItems),
                       "tasks at once of every async strategy", "*"));
  return keys;
}

ScenarioKey find_key(const Scenario& s, std::string_view name) {
  const std::vector<ScenarioKey> keys = scenario_keys(s);
  const std::string_view wanted = trim(name);
  for (const ScenarioKey& k : keys) {
    if (k.name == wanted) return k;
  }
  std::string best;
  std::size_t best_d = 4;
  for (const ScenarioKey& k : keys) {
    const std::size_t d = edit_distance(wanted, k.name);
    if (d < best_d) {
      best = k.name;
      best_d = d;
    }
  }
  std::string why;
  const auto dot = wanted.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? wanted : wanted.substr(dot + 1);
  if (wanted.starts_with("strategy.") && (last == "workers" || last == "max_concurrency")) {
    why = " (workers applies to pool strategies, max_concurrency to async ones; check the name)";
  }
  std::string valid;
  for (const ScenarioKey& k : keys)
    valid += (valid.empty() ? "" : ", ") + k.name;
  throw KeyError("unknown key '" + std::string(wanted.substr(0, 80)) + "' for scenario '" + s.name +
                 "'" + why + "; " + (best.empty() ? "" : "did you mean '" + best + "'? ") +
                 "valid keys: " + valid);
}

double parse_key_value(const ScenarioKey& k, std::string_view text) {
  const std::string_view t = trim(text);
  double v = 0;
  try {
    switch (k.kind) {
      case Kind::count:
      case Kind::probability:
      case Kind::factor:
        v = plain_number(k, t);
        break;
      case Kind::duration:
        v = parse_duration(t);
        break;
      case Kind::size:
        v = parse_size(t);
        break;
      case Kind::rate:
        v = t == "unlimited" ? 0.0 : parse_rate(t);
        break;
      case Kind::frequency:
        v = parse_frequency(t);
        break;
    }
  } catch (const UnitError& e) {
    throw KeyError(k.name + ": " + e.what());
  }
  return checked(k, v, text);
}

std::string format_key_value(const ScenarioKey& k, double value) {
  switch (k.kind) {
    case Kind::count:
      return fmt::format("{}", static_cast<std::int64_t>(value));
    case Kind::probability:
    case Kind::factor:
      return shortest(value);
    case Kind::duration:
      return format_duration(sim::from_seconds(value));
    case Kind::size:
      return format_size(value);
    case Kind::rate:
      return value == 0 ? "unlimited" : format_rate(value);
    case Kind::frequency:
      return format_frequency(value);
  }
  return shortest(value);
}

namespace {

// A range end or step: "A..B", the B part split from its "+S" or "xF".
struct RangeText {
  std::string_view from, to, step, factor;
  bool geometric = false;  // an 'x' was written (the factor may be missing)
  bool stepped = false;    // a '+' was written (the step may be missing)
};

RangeText split_range(std::string_view text, std::size_t dots) {
  RangeText r;
  r.from = trim(text.substr(0, dots));
  std::string_view rest = trim(text.substr(dots + 2));
  const auto x = rest.find_last_of("xX");
  if (x != std::string_view::npos) {
    r.to = trim(rest.substr(0, x));
    r.factor = trim(rest.substr(x + 1));
    r.geometric = true;
    return r;
  }
  for (std::size_t i = rest.size(); i-- > 1;) {
    if (rest[i] == '+' && rest[i - 1] != 'e' && rest[i - 1] != 'E') {
      r.to = trim(rest.substr(0, i));
      r.step = trim(rest.substr(i + 1));
      r.stepped = true;
      return r;
    }
  }
  r.to = rest;
  return r;
}

}  // namespace

KeyRange parse_key_range(const ScenarioKey& k, std::string_view text) {
  const std::string forms =
      "; expected a list, a linear range A..B+STEP or a geometric range "
      "A..BxFACTOR, e.g. " +
      range_example(k.kind);
  const std::string_view t = trim(text);
  if (t.empty()) throw KeyError(k.name + ": no values" + forms);
  KeyRange out;
  auto canonical = [&](double v) { return parse_key_value(k, format_key_value(k, v)); };
  auto too_many = [&] {
    throw KeyError(k.name + ": " + quoted(t) + " has more than " + std::to_string(kMaxRangeValues) +
                   " values; expected fewer (a coarser step or "
                   "a geometric range)");
  };
  const auto dots = t.find("..");
  if (dots == std::string_view::npos) {
    std::string_view rest = t;
    for (;;) {
      const auto comma = rest.find(',');
      const std::string_view item = trim(rest.substr(0, comma));
      if (item.empty()) throw KeyError(k.name + ": empty value in " + quoted(t) + forms);
      const double v = parse_key_value(k, item);
      if (std::find(out.values.begin(), out.values.end(), v) != out.values.end())
        throw KeyError(k.name + ": " + quoted(item) + " appears twice in " + quoted(t) +
                       "; expected each value once");
      out.values.push_back(v);
      if (out.values.size() > kMaxRangeValues) too_many();
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
    return out;
  }
  if (t.find(',') != std::string_view::npos)
    throw KeyError(k.name + ": " + quoted(t) + " mixes a list and a range" + forms);
  const RangeText r = split_range(t, dots);
  if (r.from.empty() || r.to.empty())
    throw KeyError(k.name + ": " + quoted(t) + " needs both ends" + forms);
  const double from = parse_key_value(k, r.from);
  const double to = parse_key_value(k, r.to);
  if (to < from)
    throw KeyError(k.name + ": " + quoted(t) + " runs backwards; expected A..B with A <= B");
  const double tolerance = 1e-9 * std::max(std::abs(to), 1e-300);
  if (r.geometric) {
    double f = 0;
    const auto [ptr, ec] = std::from_chars(r.factor.data(), r.factor.data() + r.factor.size(), f);
    if (ec != std::errc() || ptr != r.factor.data() + r.factor.size() || !std::isfinite(f) ||
        f <= 1 || f > 1e6)
      throw KeyError(k.name + ": the factor in " + quoted(t) + " must be a number above 1, e.g. " +
                     range_example(k.kind));
    if (from <= 0)
      throw KeyError(k.name + ": a geometric range starts above 0; got " + quoted(t) +
                     " (use a list to include 0, e.g. 0,1,2,4)");
    out.geometric = true;
    for (int i = 0;; ++i) {
      double v = from * std::pow(f, i);
      if (v > to + tolerance) break;
      v = std::min(v, to);
      if (k.kind == Kind::count) v = std::round(v);
      v = canonical(v);
      if (out.values.empty() || v != out.values.back()) out.values.push_back(v);
      if (out.values.size() > kMaxRangeValues) too_many();
    }
    return out;
  }
  double step = 1;
  if (r.stepped) {
    if (r.step.empty())
      throw KeyError(k.name + ": the step in " + quoted(t) + " is missing" + forms);
    step = parse_key_value(k, r.step);
  } else if (k.kind != Kind::count) {
    throw KeyError(k.name + ": " + quoted(t) + " needs a step or a factor" + forms);
  }
  if (!(step > 0)) throw KeyError(k.name + ": the step in " + quoted(t) + " must be above 0");
  if ((to - from) / step >= static_cast<double>(kMaxRangeValues)) too_many();
  for (int i = 0;; ++i) {
    const double v = from + step * i;
    if (v > to + tolerance) break;
    const double c = canonical(std::min(v, to));
    if (out.values.empty() || c != out.values.back()) out.values.push_back(c);
  }
  return out;
}

std::pair<std::string, std::string> split_assignment(std::string_view assignment,
                                                     std::string_view option) {
  const auto eq = assignment.find('=');
  const std::string_view name = trim(assignment.substr(0, eq));
  if (eq == std::string_view::npos || name.empty())
    throw KeyError(std::string(option) + " " + quoted(assignment) + ": expected KEY=VALUE, e.g. " +
                   std::string(option) +
                   (option == "--set" ? " server.workers=8" : " strategy.threads.workers=1..64"));
  return {std::string(name), std::string(trim(assignment.substr(eq + 1)))};
}

}  // namespace model
