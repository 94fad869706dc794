// loiter merge: reading a shard's sweep.json and sweep.csv back, and joining the shards.
#include "sweep/sweep_files.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "model/bad_input.hpp"
#include "sweep/sweep_file_parts.hpp"

namespace sweep {
namespace {

[[noreturn]] void bad(const std::filesystem::path& file, const std::string& what) {
  throw model::BadInput("loiter merge: " + file.string() + ": " + what);
}

}  // namespace

SweepPart read_sweep_part(const std::filesystem::path& dir) {
  SweepPart part;
  part.dir = dir;
  auto read = [&](const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
      bad(file,
          "cannot read it; expected the --out folder of a 'loiter sweep' (with sweep.json "
          "and sweep.csv)");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  const auto json_file = dir / "sweep.json";
  const auto csv_file = dir / "sweep.csv";
  const std::string json_text = read(json_file);
  try {
    const Json j = Json::parse(json_text);
    if (j.value("format", "") != kSweepFormat)
      bad(json_file,
          std::string("not a loiter sweep file; expected \"format\": \"") + kSweepFormat + "\"");
    part.meta = meta_from_json(j);
  } catch (const Json::exception& e) {
    bad(json_file, std::string("unreadable sweep description: ") + e.what());
  } catch (const std::invalid_argument& e) {
    bad(json_file, std::string("unreadable sweep description: ") + e.what());
  }
  const SweepMeta& meta = part.meta;

  std::vector<std::vector<std::string>> records;
  if (!csv_records(read(csv_file), records)) bad(csv_file, "a quoted field is not closed");
  const auto header = csv_header(meta);
  if (records.empty() || records.front() != header)
    bad(
        csv_file, "the header does not match sweep.json; expected: " + [&] {
          std::string h;
          for (const auto& f : header)
            h += (h.empty() ? "" : ",") + f;
          return h;
        }());
  const std::size_t n_axes = meta.axes.size();
  for (std::size_t line = 1; line < records.size(); ++line) {
    const auto& f = records[line];
    const std::string where = "line " + std::to_string(line + 1) + ": ";
    if (f.size() != header.size())
      bad(csv_file, where + "expected " + std::to_string(header.size()) + " fields, got " +
                        std::to_string(f.size()));
    SweepRow r;
    std::size_t i = 3 + n_axes;
    const auto strategy = std::find(meta.strategies.begin(), meta.strategies.end(), f[i]);
    if (!parse_number(f[0], r.point) || r.point >= meta.point_count() ||
        !parse_number(f[1], r.replication) || r.replication < 0 ||
        r.replication >= meta.replications || !parse_number(f[2], r.seed) ||
        strategy == meta.strategies.end() || !parse_ns(f[i + 1], r.makespan_ns) ||
        !parse_number(f[i + 2], r.throughput_per_s) || !parse_ns(f[i + 3], r.p95_ns) ||
        !parse_ns(f[i + 4], r.lower_bound_ns) || !parse_number(f[i + 5], r.downloads) ||
        !parse_number(f[i + 6], r.ok) || !parse_number(f[i + 7], r.failed) || f[i + 8].empty())
      bad(csv_file, where + "a field is not what sweep.json describes (edited by hand?)");
    r.strategy = static_cast<std::size_t>(strategy - meta.strategies.begin());
    r.binds = f[i + 8];
    if (r.point % meta.shard.count != meta.shard.index)
      bad(csv_file, where + "point " + std::to_string(r.point) + " is not in shard " +
                        std::to_string(meta.shard.index) + "/" + std::to_string(meta.shard.count));
    part.rows.push_back(r);
  }
  return part;
}

SweepPart merge_sweep_parts(std::vector<SweepPart> parts) {
  if (parts.empty()) throw model::BadInput("loiter merge: no folders; expected the shard folders");
  std::sort(parts.begin(), parts.end(), [](const SweepPart& a, const SweepPart& b) {
    return a.meta.shard.index < b.meta.shard.index;
  });
  Json reference = meta_json(parts.front().meta);
  reference.erase("shard");
  const std::size_t n = parts.front().meta.shard.count;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    Json j = meta_json(parts[i].meta);
    j.erase("shard");
    if (j != reference)
      throw model::BadInput(
          "loiter merge: " + parts[i].dir.string() + " is from another sweep than " +
          parts.front().dir.string() +
          " (scenario, seed, --vary, replications, strategies or --within differ); "
          "expected the shards of one sweep");
    if (parts[i].meta.shard.count != n)
      throw model::BadInput("loiter merge: " + parts[i].dir.string() + " is shard " +
                            std::to_string(parts[i].meta.shard.index) + "/" +
                            std::to_string(parts[i].meta.shard.count) + ", others are of " +
                            std::to_string(n) + " shards");
    if (i > 0 && parts[i].meta.shard.index == parts[i - 1].meta.shard.index)
      throw model::BadInput("loiter merge: " + parts[i - 1].dir.string() + " and " +
                            parts[i].dir.string() + " are both shard " +
                            std::to_string(parts[i].meta.shard.index) + "/" + std::to_string(n));
  }
  if (parts.size() != n) {
    std::string missing;
    for (std::size_t k = 0, i = 0; k < n; ++k) {
      if (i < parts.size() && parts[i].meta.shard.index == k) {
        ++i;
      } else {
        missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(n);
      }
    }
    throw model::BadInput("loiter merge: shard" + std::string(n - parts.size() > 1 ? "s " : " ") +
                          missing + " missing; expected all " + std::to_string(n) + " shards");
  }
  SweepPart whole;
  whole.dir = parts.front().dir;
  whole.meta = parts.front().meta;
  whole.meta.shard = {};
  for (SweepPart& p : parts) {
    const std::size_t expected = p.meta.shard_points().size() *
                                 static_cast<std::size_t>(p.meta.replications) *
                                 p.meta.strategies.size();
    std::sort(p.rows.begin(), p.rows.end(), row_before);
    const bool repeated =
        std::adjacent_find(p.rows.begin(), p.rows.end(), [](const SweepRow& a, const SweepRow& b) {
          return !row_before(a, b) && !row_before(b, a);
        }) != p.rows.end();
    if (p.rows.size() != expected || repeated)
      throw model::BadInput(
          "loiter merge: " + (p.dir / "sweep.csv").string() + " has " +
          std::to_string(p.rows.size()) + " rows" + (repeated ? " with repeats" : "") +
          "; expected " + std::to_string(expected) +
          " (one per point, replication and strategy: was the shard interrupted?)");
    whole.rows.insert(whole.rows.end(), p.rows.begin(), p.rows.end());
  }
  std::sort(whole.rows.begin(), whole.rows.end(), row_before);
  return whole;
}

}  // namespace sweep
