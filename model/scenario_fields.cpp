// The typed getters of a scenario's TOML values and the words of their messages.
#include "model/scenario_fields.hpp"

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
#include <vector>

#include "model/units.hpp"
#include "model/words.hpp"

namespace model {

std::string near_miss(std::string_view word, std::initializer_list<std::string_view> known) {
  return near_miss(word, std::span<const std::string_view>(known.begin(), known.size()));
}

std::string near_miss(std::string_view word, std::span<const std::string_view> known) {
  std::string_view best;
  std::size_t best_d = 4;
  if (word.size() > 64) return {};
  for (std::string_view k : known) {
    const std::size_t d = edit_distance(word, k);
    std::size_t common = 0;
    while (common < word.size() && common < k.size() && word[common] == k[common])
      ++common;
    const bool near = d <= 2 ? d < std::max<std::size_t>(k.size(), 2) : (d == 3 && common >= 5);
    if (near && d < best_d) {
      best = k;
      best_d = d;
    }
  }
  return best.empty() ? std::string() : "did you mean '" + std::string(best) + "'? ";
}

std::string join(std::initializer_list<std::string_view> words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string quote(std::string_view s) {
  return quoted_excerpt(s, '"');
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string signature(std::string_view dist) {
  if (dist == "constant") return "value = ...";
  if (dist == "uniform") return "low = ..., high = ...";
  if (dist == "exponential") return "mean = ...";
  if (dist == "normal") return "mean = ..., stddev = ...";
  if (dist == "lognormal") return "median = ..., sigma = 0.3";
  return "samples = [...]";
}

void ScenarioFields::check_keys(const toml::table& t, std::string_view where,
                                std::initializer_list<std::string_view> allowed) const {
  const toml::key* first = nullptr;
  for (auto&& [k, v] : t) {
    (void)v;
    if (std::find(allowed.begin(), allowed.end(), k.str()) != allowed.end()) continue;
    const auto& b = k.source().begin;
    if (!first || b.line < first->source().begin.line ||
        (b.line == first->source().begin.line && b.column < first->source().begin.column))
      first = &k;
  }
  if (!first) return;
  fail(first->source(), "unknown key " + quoted_excerpt(first->str()) + " in " +
                            std::string(where) + "; " + near_miss(first->str(), allowed) +
                            "expected one of: " + join(allowed));
}

const toml::table& ScenarioFields::table(const toml::node& n, const std::string& where,
                                         std::string_view example) const {
  if (const auto* t = n.as_table()) return *t;
  fail(n,
       where + " must be a table, got " + type_name(n) + "; expected e.g. " + std::string(example));
}

const toml::array& ScenarioFields::array(const toml::node& n, const std::string& where,
                                         std::string_view example) const {
  if (const auto* a = n.as_array()) return *a;
  fail(n, where + " must be an array, got " + type_name(n) + "; expected e.g. " +
              std::string(example));
}

std::string ScenarioFields::string(const toml::node& n, const std::string& where) const {
  if (const auto* s = n.as_string()) return s->get();
  fail(n, where + " must be a string, got " + type_name(n) + "; expected text in quotes");
}

std::string ScenarioFields::name(const toml::node& n, const std::string& where) const {
  std::string v = string(n, where);
  if (v.empty()) fail(n, where + " is empty; expected a non-empty name");
  refuse_control(n, v, where);
  return v;
}

void ScenarioFields::refuse_control(const toml::node& n, std::string_view v,
                                    const std::string& where) const {
  const auto bad = std::find_if(v.begin(), v.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7f;
  });
  if (bad == v.end()) return;
  char code[8];
  std::snprintf(code, sizeof code, "0x%02x", static_cast<unsigned char>(*bad));
  fail(n, where + " " + quoted_excerpt(v, '"') + " contains a control character (byte " + code +
              " at byte " + std::to_string(bad - v.begin() + 1) +
              "); expected printable text (names appear in reports, logs and file names)");
}

bool ScenarioFields::boolean(const toml::node& n, const std::string& where) const {
  if (const auto* b = n.as_boolean()) return b->get();
  std::string hint;
  if (const auto* s = n.as_string(); s && (s->get() == "true" || s->get() == "false"))
    hint = " (write " + s->get() + " without quotes)";
  fail(n, where + " must be true or false, got " + type_name(n) + hint);
}

std::int64_t ScenarioFields::integer(const toml::node& n, const std::string& where,
                                     std::int64_t min, std::int64_t max) const {
  const auto* i = n.as_integer();
  if (!i) {
    std::string hint;
    if (n.is_string()) hint = "; write the number without quotes";
    if (n.is_floating_point()) hint = "; expected a whole number";
    fail(n, where + " must be an integer, got " + type_name(n) + hint);
  }
  const std::int64_t v = i->get();
  if (v < min) {
    fail(n,
         where + " must be " +
             (min == 1 ? std::string("positive (at least 1)") : "at least " + std::to_string(min)) +
             ", got " + std::to_string(v));
  }
  if (v > max)
    fail(n, where + " must be at most " + std::to_string(max) + ", got " + std::to_string(v));
  return v;
}

double ScenarioFields::number(const toml::node& n, const std::string& where) const {
  double v = 0;
  if (const auto* i = n.as_integer()) {
    v = static_cast<double>(i->get());
  } else if (const auto* f = n.as_floating_point()) {
    v = f->get();
  } else {
    std::string hint = n.is_string() ? "; write the number without quotes" : "";
    fail(n, where + " must be a number, got " + type_name(n) + hint);
  }
  if (!std::isfinite(v))
    fail(n, where + " must be a finite number, got " + (std::isnan(v) ? "nan" : "inf"));
  // -0.0 is 0: it compares equal, and printing it as "-0" would change the file's text.
  return v == 0 ? 0.0 : v;
}

double ScenarioFields::probability(const toml::node& n, const std::string& where) const {
  const double p = number(n, where);
  if (p < 0 || p > 1)
    fail(n, where + " is a probability; expected a number from 0 to 1 (0.05 = 5%), got " + num(p));
  return p;
}

double ScenarioFields::duration(const toml::node& n, const std::string& where) const {
  if (const auto* s = n.as_string()) {
    try {
      return parse_duration(s->get());
    } catch (const UnitError& e) {
      fail(n, where + ": " + e.what());
    }
  }
  if (n.is_integer() || n.is_floating_point()) {
    const double v = number(n, where);
    if (v == 0) return 0;
    fail(n, where + ": a duration needs a unit; write it as a string, e.g. \"" + num(v) +
                "s\" or \"" + num(v) + "ms\"");
  }
  fail(n, where + " must be a duration, got " + type_name(n) + "; expected e.g. \"250ms\"");
}

double ScenarioFields::size(const toml::node& n, const std::string& where) const {
  double bytes = 0;
  if (const auto* s = n.as_string()) {
    try {
      bytes = parse_size(s->get());
    } catch (const UnitError& e) {
      fail(n, where + ": " + e.what());
    }
  } else if (n.is_integer() || n.is_floating_point()) {
    bytes = number(n, where);
    if (bytes < 0) fail(n, where + " is negative; expected a size >= 0");
  } else {
    fail(n, where + " must be a size, got " + type_name(n) +
                "; expected e.g. \"2.5 KiB\" or a number of bytes");
  }
  if (bytes > kMaxItemBytes)
    fail(n, where + " is " + format_size(bytes, 3) + ", absurdly large; expected at most 1 TiB");
  return bytes;
}

double ScenarioFields::rate(const toml::node& n, const std::string& where) const {
  if (const auto* s = n.as_string()) {
    if (s->get() == "unlimited") return 0;
    try {
      return parse_rate(s->get());
    } catch (const UnitError& e) {
      fail(n, where + ": " + e.what());
    }
  }
  if (n.is_integer() || n.is_floating_point()) {
    const double v = number(n, where);
    if (v == 0) return 0;
    fail(n, where + ": a rate needs a unit; write it as a string, e.g. \"" + num(v) +
                " Mbit/s\" or \"" + num(v) + " MB/s\"");
  }
  fail(n, where + " must be a rate, got " + type_name(n) + "; expected e.g. \"20 Mbit/s\"");
}

const toml::node& ScenarioFields::required(const toml::table& t, std::string_view key,
                                           const std::string& where,
                                           std::string_view example) const {
  if (const toml::node* n = t.get(key)) return *n;
  fail(t, "missing required key '" + std::string(key) + "' in " + where + "; expected e.g. " +
              std::string(example));
}

Distribution ScenarioFields::distribution(const toml::node& n, const std::string& where,
                                          Quantity q) const {
  if (const auto* t = n.as_table()) return distribution_table(*t, where, q);
  if (n.is_string() || n.is_integer() || n.is_floating_point())
    return Distribution::constant(quantity(n, where, q));
  fail(n, where + " must be a value or a distribution, got " + type_name(n) +
              (q == Quantity::duration
                   ? "; expected e.g. \"200ms\" or { dist = \"uniform\", low = \"100ms\", "
                     "high = \"300ms\" }"
                   : "; expected e.g. \"2.5 KiB\" or { dist = \"lognormal\", median = "
                     "\"2.3 KiB\", sigma = 0.3 }"));
}

Distribution ScenarioFields::distribution_table(const toml::table& t, const std::string& where,
                                                Quantity q) const {
  const std::initializer_list<std::string_view> kDists = {"constant", "uniform",   "exponential",
                                                          "normal",   "lognormal", "empirical"};
  const toml::node* dist_node = t.get("dist");
  if (!dist_node)
    fail(t, where +
                ": a distribution table needs 'dist'; expected e.g. { dist = \"lognormal\", "
                "median = ..., sigma = 0.3 } (dists: " +
                join(kDists) + ")");
  const std::string dist = string(*dist_node, where + ".dist");
  auto param = [&](std::string_view key) -> const toml::node& {
    if (const toml::node* p = t.get(key)) return *p;
    fail(t, where + ": " + dist + " needs '" + std::string(key) + "'; expected { dist = \"" + dist +
                "\", " + signature(dist) + " }");
  };
  auto value = [&](std::string_view key) {
    return quantity(param(key), where + "." + std::string(key), q);
  };
  auto positive = [&](std::string_view key) {
    const double v = value(key);
    if (v <= 0) fail(param(key), where + "." + std::string(key) + " must be positive, got 0");
    return v;
  };
  if (dist == "constant") {
    check_keys(t, where, {"dist", "value"});
    return Distribution::constant(value("value"));
  }
  if (dist == "uniform") {
    check_keys(t, where, {"dist", "low", "high"});
    const double low = value("low"), high = value("high");
    if (high < low) fail(param("high"), where + ".high must be at least low; expected low <= high");
    return Distribution::uniform(low, high);
  }
  if (dist == "exponential") {
    check_keys(t, where, {"dist", "mean"});
    return Distribution::exponential(positive("mean"));
  }
  if (dist == "normal") {
    check_keys(t, where, {"dist", "mean", "stddev"});
    return Distribution::normal(value("mean"), value("stddev"));
  }
  if (dist == "lognormal") {
    check_keys(t, where, {"dist", "median", "sigma"});
    const double median = positive("median");
    const std::string sigma_where = where + ".sigma";
    const double sigma = number(param("sigma"), sigma_where);
    if (sigma < 0 || sigma > 5)
      fail(param("sigma"), sigma_where +
                               " must be from 0 to 5 (a plain number: the standard "
                               "deviation of the log), got " +
                               num(sigma));
    return Distribution::lognormal(median, sigma);
  }
  if (dist == "empirical") {
    check_keys(t, where, {"dist", "samples"});
    const auto& a = array(param("samples"), where + ".samples", "[\"1ms\", \"3ms\", \"2ms\"]");
    if (a.empty()) fail(a, where + ".samples is empty; expected at least one value");
    std::vector<double> samples;
    samples.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
      samples.push_back(quantity(a[i], where + ".samples[" + std::to_string(i) + "]", q));
    return Distribution::empirical(std::move(samples));
  }
  fail(*dist_node, where + ": unknown distribution " + quoted_excerpt(dist) + "; " +
                       near_miss(dist, kDists) + "expected one of: " + join(kDists));
}

}  // namespace model
