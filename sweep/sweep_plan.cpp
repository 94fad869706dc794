#include "sweep/sweep_plan.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

#include "model/bad_input.hpp"
#include "model/simulate.hpp"

namespace sweep {

std::size_t SweepMeta::point_count() const {
  std::size_t n = 1;
  for (const SweepAxis& a : axes)
    n *= a.values.size();
  return n;
}

std::vector<std::size_t> SweepMeta::coordinates(std::size_t point) const {
  std::vector<std::size_t> c(axes.size());
  for (std::size_t i = axes.size(); i-- > 0;) {
    c[i] = point % axes[i].values.size();
    point /= axes[i].values.size();
  }
  return c;
}

std::vector<std::size_t> SweepMeta::shard_points() const {
  std::vector<std::size_t> points;
  for (std::size_t p = shard.index; p < point_count(); p += shard.count)
    points.push_back(p);
  return points;
}

std::string SweepMeta::setting_text(std::size_t point) const {
  const auto c = coordinates(point);
  std::string out;
  for (std::size_t i = 0; i < axes.size(); ++i)
    out += (i ? " " : "") + axes[i].key + "=" + axes[i].labels[c[i]];
  return out;
}

namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace

std::uint64_t run_seed(const SweepMeta& meta, std::size_t point, int replication) {
  (void)point;  // common random numbers: every point of replication r draws the same numbers
  const std::uint64_t at = splitmix64(meta.seed ^ splitmix64(0x6C6F69746572ull));
  return splitmix64(at ^ static_cast<std::uint64_t>(replication)) & 0x7FFF'FFFF'FFFF'FFFFull;
}

model::Scenario scenario_at(const model::Scenario& base, const SweepMeta& meta, std::size_t point) {
  model::Scenario s = base;
  const auto c = meta.coordinates(point);
  for (std::size_t i = 0; i < meta.axes.size(); ++i)
    model::set_key(s, meta.axes[i].target, meta.axes[i].values[c[i]]);
  return s;
}

model::Scenario with_settings(model::Scenario s, const std::vector<std::string>& sets) {
  for (const std::string& set : sets) {
    try {
      model::apply_setting(s, set);
    } catch (const model::KeyError& e) {
      throw model::BadInput("loiter run: --set " + set + ": " + e.what());
    }
  }
  return s;
}

std::string shell_quote(const std::string& word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           std::string_view("_-./=:@%+,").find(ch) != std::string_view::npos;
  });
  if (plain) return word;
  std::string out = "'";
  for (char ch : word) {
    if (ch == '\'') {
      out += "'\\''";
    } else {
      out += ch;
    }
  }
  return out + "'";
}

std::string rerun_command(const SweepMeta& meta, std::size_t point, int replication,
                          const std::string& strategy) {
  std::string cmd =
      "loiter run " + shell_quote(meta.scenario_path) + " --strategy " + shell_quote(strategy);
  const auto c = meta.coordinates(point);
  for (std::size_t i = 0; i < meta.axes.size(); ++i)
    cmd += " --set " + shell_quote(meta.axes[i].key + "=" + meta.axes[i].labels[c[i]]);
  return cmd + " --seed " + std::to_string(run_seed(meta, point, replication));
}

bool what_if_key(std::string_view key) {
  return key.starts_with("network.") || key.starts_with("server.") || key.starts_with("workload.");
}

SweepAxis parse_axis(const model::Scenario& s, const std::string& vary) {
  try {
    const auto [name, text] = model::split_assignment(vary, "--vary");
    const model::ScenarioKey key = model::find_key(s, name);
    const model::KeyRange range = model::parse_key_range(key, text);
    SweepAxis a;
    a.key = key.name;
    a.kind = key.kind;
    a.target = key;
    a.spec = text;
    a.values = range.values;
    a.geometric = range.geometric;
    for (double v : a.values)
      a.labels.push_back(model::format_key_value(key, v));
    return a;
  } catch (const model::KeyError& e) {
    throw model::BadInput("loiter sweep: --vary " + vary + ": " + e.what());
  }
}

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  auto number = [&](std::string_view s, std::size_t& out) {
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
  };
  Shard sh;
  if (slash == std::string::npos || !number(std::string_view(text).substr(0, slash), sh.index) ||
      !number(std::string_view(text).substr(slash + 1), sh.count) || sh.count == 0)
    throw model::BadInput(
        "loiter sweep: --shard " + text +
        ": expected K/N with 0 <= K < N, e.g. --shard 0/4 (the first of 4 shards)");
  if (sh.index >= sh.count)
    throw model::BadInput("loiter sweep: --shard " + text +
                          ": K counts from 0, so expected 0 <= K < " + std::to_string(sh.count) +
                          " (with Slurm: --array=0-" + std::to_string(sh.count - 1) + ")");
  return sh;
}

std::vector<std::string> sweep_strategies(const model::Scenario& s,
                                          const std::vector<SweepAxis>& axes,
                                          const std::vector<std::string>& only) {
  std::vector<std::string> wanted = only;
  if (wanted.empty()) {
    for (const SweepAxis& a : axes) {
      const model::ScenarioKey k = model::find_key(s, a.key);
      if (k.strategy.empty() || k.strategy == "*") {
        wanted.clear();
        break;
      }
      wanted.push_back(k.strategy);
    }
  }
  std::vector<std::string> names;
  try {
    for (const model::Strategy* st : model::select_strategies(s, wanted))
      names.push_back(st->name);
  } catch (const std::invalid_argument& e) {
    throw model::BadInput(std::string("loiter sweep: --strategy: ") + e.what());
  }
  return names;
}

std::vector<std::string> varied_strategies(const model::Scenario& s,
                                           const std::vector<SweepAxis>& axes,
                                           const std::vector<std::string>& strategies) {
  std::vector<std::string> out;
  for (const std::string& name : strategies) {
    const auto st = std::find_if(s.strategies.begin(), s.strategies.end(),
                                 [&](const model::Strategy& x) { return x.name == name; });
    if (st == s.strategies.end()) continue;
    const bool changed = std::any_of(axes.begin(), axes.end(), [&](const SweepAxis& a) {
      const std::string& target = a.target.strategy;
      if (target.empty()) return true;
      if (target != "*") return target == name;
      return a.key.ends_with(".workers") ? st->kind == model::Strategy::Kind::pool
                                         : st->kind == model::Strategy::Kind::async;
    });
    if (changed) out.push_back(name);
  }
  return out;
}

void check_points(const model::Scenario& base, const SweepMeta& meta) {
  const bool pairs = std::any_of(meta.axes.begin(), meta.axes.end(), [](const SweepAxis& a) {
    return a.key.starts_with("client.backoff");
  });
  if (!pairs) return;
  for (std::size_t p = 0; p < meta.point_count(); ++p) {
    try {
      model::check_settings(scenario_at(base, meta, p));
    } catch (const model::KeyError& e) {
      throw model::BadInput("loiter sweep: at " + meta.setting_text(p) + ": " + e.what());
    }
  }
}

}  // namespace sweep
