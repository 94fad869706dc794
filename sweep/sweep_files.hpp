// A sweep's outputs: sweep.csv (one row per point, replication and strategy, with the
// `loiter run` command that re-runs it), sweep.json (per point and strategy: mean, 95% interval,
// min, max; the recommendation), sweep.svg, and the text on stdout. Reading them back is what
// `loiter merge` does: rows are stored exactly, so merged shards give the same bytes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "plots/output_files.hpp"
#include "sweep/sweep_plan.hpp"
#include "sweep/sweep_stats.hpp"

namespace sweep {

struct SweepOutputs {
  plots::OutputFiles files;  // sweep.csv, sweep.json, sweep.svg
  std::string report;        // stdout: the table, then the recommendation (last)
};

// `rows` sorted by row_before, covering the points of meta.shard.
SweepOutputs sweep_outputs(const SweepMeta& meta, const std::vector<SweepRow>& rows);

std::string sweep_csv(const SweepMeta& meta, const std::vector<SweepRow>& rows);

// What one output folder holds.
struct SweepPart {
  std::filesystem::path dir;
  SweepMeta meta;
  std::vector<SweepRow> rows;
};

// Reads DIR/sweep.json and DIR/sweep.csv. Throws BadInput naming the file and the problem.
SweepPart read_sweep_part(const std::filesystem::path& dir);

// The whole sweep from the outputs of all its shards (in any order). Throws BadInput when
// they are not the shards of one sweep, or one is missing, repeated or incomplete.
SweepPart merge_sweep_parts(std::vector<SweepPart> parts);

}  // namespace sweep
