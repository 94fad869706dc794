// What a sweep runs: the axes (--vary) that make the grid of points, the replications, the
// strategies, the seed of every run, the shard this process does, and the `loiter run`
// command that re-runs one row alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/scenario.hpp"
#include "model/scenario_keys.hpp"

namespace sweep {

// One --vary: a key and its values, in the order given.
struct SweepAxis {
  std::string key;  // "strategy.threads-20.workers"
  model::ScenarioKey::Kind kind = model::ScenarioKey::Kind::count;
  std::string spec;                 // as written: "1..256x2"
  std::vector<double> values;       // in the key's unit (seconds, bytes, bytes/s)
  std::vector<std::string> labels;  // values as --set takes them: "24", "50ms"
  bool geometric = false;
  model::ScenarioKey target;  // the key on the scenario (set by parse_axis; not by merge)
};

// --shard K/N: points K, K+N, K+2N, ... (K from 0). {0, 1} is the whole sweep.
struct Shard {
  std::size_t index = 0;
  std::size_t count = 1;
  bool whole() const { return count == 1; }
};

// Everything that defines a sweep's results; equal in every shard of one sweep.
struct SweepMeta {
  std::string scenario;       // its name
  std::string scenario_path;  // as given on the command line (for the re-run commands)
  std::uint64_t seed = 0;     // base seed: the scenario's, or --seed
  int replications = 1;
  double within = 0.05;                 // recommendation tolerance on the best mean makespan
  std::vector<SweepAxis> axes;          // first axis varies slowest
  std::vector<std::string> strategies;  // simulated, in scenario order
  std::vector<std::string> varied;      // those the axes change: each gets a recommendation
  Shard shard;

  std::size_t point_count() const;
  // Index of each axis' value at point p.
  std::vector<std::size_t> coordinates(std::size_t point) const;
  // Points this shard runs, ascending.
  std::vector<std::size_t> shard_points() const;
  // "key=label" pairs of point p, joined with spaces.
  std::string setting_text(std::size_t point) const;
};

inline constexpr std::size_t kMaxSweepPoints = 100'000;
inline constexpr int kMaxReplications = 1'000'000;

// The seed of replication r at point p: derived from the base seed and r only (common random
// numbers), so replication r of every point draws the same numbers and differences between
// points are differences of the setting, whatever else the sweep varies or shards.
// At most 2^63 - 1, so it is also a valid seed in a scenario file.
std::uint64_t run_seed(const SweepMeta& meta, std::size_t point, int replication);

// The scenario with point p's values set.
model::Scenario scenario_at(const model::Scenario& base, const SweepMeta& meta, std::size_t point);

// The `loiter run` command that reproduces one row (shell-quoted).
std::string rerun_command(const SweepMeta& meta, std::size_t point, int replication,
                          const std::string& strategy);

// Whether the key describes the environment (network.*, server.*, workload.*): a what-if axis,
// shown and plotted but never recommended. Keys of the client and the strategies are decisions.
bool what_if_key(std::string_view key);

// Parses "--vary KEY=RANGE" against the scenario. Throws BadInput naming the key and, for an
// unknown key, the valid keys.
SweepAxis parse_axis(const model::Scenario& s, const std::string& vary);

// Parses "K/N". Throws BadInput.
Shard parse_shard(const std::string& text);

// Strategies the sweep runs: `only` when given, else those the axes name when every axis names
// strategies (strategy.NAME.workers), else all. Throws BadInput for an unknown name.
std::vector<std::string> sweep_strategies(const model::Scenario& s,
                                          const std::vector<SweepAxis>& axes,
                                          const std::vector<std::string>& only);

// Of `strategies`, those some axis changes: all for a key outside [[strategy]], the named one
// for strategy.NAME.*, every pool (async) strategy for strategy.*.workers (max_concurrency).
std::vector<std::string> varied_strategies(const model::Scenario& s,
                                           const std::vector<SweepAxis>& axes,
                                           const std::vector<std::string>& strategies);

// Every point's setting is usable together (e.g. backoff_max >= backoff). Throws BadInput.
void check_points(const model::Scenario& base, const SweepMeta& meta);

// The scenario with each "KEY=VALUE" of `loiter run --set` applied in order. Throws BadInput.
model::Scenario with_settings(model::Scenario s, const std::vector<std::string>& sets);

// Shell-quoted when needed: 'a b' stays one word.
std::string shell_quote(const std::string& word);

}  // namespace sweep
