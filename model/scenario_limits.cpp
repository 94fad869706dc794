// Reading retry and server-limit keys (see scenario_limits.hpp).
#include "model/scenario_limits.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "model/units.hpp"
#include "model/words.hpp"

namespace model {

void LimitFields::retry_keys(const toml::table& t, const std::string& where, Client& c) const {
  if (const toml::node* n = t.get("jitter")) {
    const std::string v = string(*n, where + ".jitter");
    if (v == "none") {
      c.jitter = Jitter::none;
    } else if (v == "full") {
      c.jitter = Jitter::full;
    } else if (v == "equal") {
      c.jitter = Jitter::equal;
    } else {
      fail(*n, where + ".jitter: unknown jitter " + quote(v) + "; " +
                   near_miss(v, {"none", "full", "equal"}) +
                   "expected one of: none, full (uniform in [0, backoff)), equal (backoff/2 "
                   "plus uniform in [0, backoff/2))");
    }
  }
  if (const toml::node* n = t.get("retry_on")) c.retry_on = retry_on(*n, where + ".retry_on");
}

RetryOn LimitFields::retry_on(const toml::node& n, const std::string& key) const {
  const std::string example = "[429, 500, 502, 503, 504, \"errors\", \"timeouts\"]";
  const auto& a = array(n, key, example);
  RetryOn on;
  on.statuses.clear();
  on.errors = false;
  on.timeouts = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string where = key + "[" + std::to_string(i) + "]";
    const toml::node& v = a[i];
    if (const auto* s = v.as_string()) {
      const std::string word = s->get();
      bool* flag = word == "errors" ? &on.errors : word == "timeouts" ? &on.timeouts : nullptr;
      if (!flag)
        fail(v, where + ": unknown " + quote(word) + "; " +
                    near_miss(word, {"errors", "timeouts"}) +
                    "expected an HTTP status (400..599), \"errors\" (connection errors) or "
                    "\"timeouts\"");
      if (*flag) fail(v, where + ": " + quote(word) + " appears twice; expected each once");
      *flag = true;
      continue;
    }
    if (!v.is_integer())
      fail(v, where + " must be an HTTP status or a word, got " + type_name(v) +
                  "; expected e.g. " + example);
    const int status = static_cast<int>(integer(v, where, 400, 599));
    if (std::find(on.statuses.begin(), on.statuses.end(), status) != on.statuses.end())
      fail(v, where + ": " + std::to_string(status) + " appears twice; expected each status once");
    on.statuses.push_back(status);
  }
  return on;
}

void LimitFields::server_limit_keys(const toml::table& t, const std::string& where,
                                    Server& s) const {
  if (const toml::node* n = t.get("rate_limit")) s.rate_limit = rate_limit(*n, where);
  if (const toml::node* n = t.get("backlog"))
    s.backlog = static_cast<int>(integer(*n, where + ".backlog", 0, 65535));
  if (const toml::node* n = t.get("syn_retries"))
    s.syn_retries = static_cast<int>(integer(*n, where + ".syn_retries", 0, 10));
}

ServerRateLimit LimitFields::rate_limit(const toml::node& n, const std::string& server) const {
  const std::string where = server + ".rate_limit";
  const auto& t =
      table(n, where, "{ rate = \"50/s\", burst = 20, status = 429, retry_after = \"1s\" }");
  check_keys(t, where, {"rate", "burst", "status", "retry_after"});
  ServerRateLimit r;
  r.rate = request_rate(required(t, "rate", where, "rate = \"50/s\""), where + ".rate");
  if (const toml::node* v = t.get("burst"))
    r.burst = static_cast<int>(integer(*v, where + ".burst", 1, 1'000'000));
  if (const toml::node* v = t.get("status"))
    r.status = static_cast<int>(integer(*v, where + ".status", 400, 599));
  if (const toml::node* v = t.get("retry_after")) {
    if (const auto* word = v->as_string(); word && word->get() == "none") {
      r.retry_after.reset();
    } else {
      const Duration d = duration_ns(*v, where + ".retry_after");
      // The header carries whole seconds (RFC 9110, delay-seconds).
      if (d % std::chrono::seconds(1) != Duration::zero())
        fail(*v, where + ".retry_after " + format_duration(d) +
                     " is not a whole number of seconds; expected e.g. \"1s\" (the Retry-After "
                     "header carries seconds), or \"none\" for no header");
      r.retry_after = d;
    }
  }
  return r;
}

void LimitFields::client_limit_keys(const toml::table& t, const std::string& where,
                                    Client& c) const {
  if (const toml::node* n = t.get("rate_limit"))
    c.rate_limit = client_rate_limit(*n, where + ".rate_limit");
}

ClientRateLimit LimitFields::client_rate_limit(const toml::node& n,
                                               const std::string& where) const {
  const auto& t = table(n, where, "{ rate = \"50/s\", burst = 10, per_host = false }");
  check_keys(t, where, {"rate", "burst", "per_host"});
  ClientRateLimit r;
  r.rate = request_rate(required(t, "rate", where, "rate = \"50/s\""), where + ".rate");
  if (const toml::node* v = t.get("burst"))
    r.burst = static_cast<int>(integer(*v, where + ".burst", 1, 1'000'000));
  if (const toml::node* v = t.get("per_host")) r.per_host = boolean(*v, where + ".per_host");
  return r;
}

double LimitFields::request_rate(const toml::node& n, const std::string& where) const {
  const std::string example = "expected requests per time, e.g. \"50/s\", \"3000/min\" or \"10/h\"";
  if (!n.is_string()) fail(n, where + " must be a string, got " + type_name(n) + "; " + example);
  const std::string text = n.as_string()->get();
  double rate = 0;
  try {
    rate = parse_frequency(text);  // the same rates as [workload] arrivals
  } catch (const UnitError& e) {
    fail(n, where + ": " + e.what());
  }
  if (rate > 1e9 || rate < 1e-6)
    fail(n, where + ": " + quote(text) + " is out of range; expected from 0.0036/h to 1e9/s");
  return rate;
}

}  // namespace model
