// `loiter merge`: combine the --out folders of the shards of one sweep into the files an
// unsharded sweep writes (byte for byte), and print its table and recommendation.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/command.hpp"
#include "app/output.hpp"
#include "app/sweep_files.hpp"

namespace app {

namespace {

struct MergeArgs {
  std::vector<std::string> dirs;
  std::string out;
};

int merge_command(const MergeArgs& a) {
  std::vector<SweepPart> parts;
  for (const std::string& dir : a.dirs)
    parts.push_back(read_sweep_part(dir));
  const SweepPart whole = merge_sweep_parts(std::move(parts));
  const SweepOutputs outputs = sweep_outputs(whole.meta, whole.rows);
  write_outputs(a.out, outputs.files);
  std::fputs(outputs.report.c_str(), stdout);
  std::fprintf(stderr, "wrote sweep.csv sweep.json sweep.svg to %s\n", a.out.c_str());
  return kOk;
}

}  // namespace

Command add_merge_command(CLI::App& cli) {
  auto args = std::make_shared<MergeArgs>();
  MergeArgs& a = *args;
  auto* cmd = cli.add_subcommand(
      "merge", "Combine the output folders of 'loiter sweep --shard K/N' into one sweep.");
  cmd->add_option("dirs", a.dirs, "The --out folders of all N shards")->required();
  cmd->add_option("--out", a.out, "Write the merged sweep.csv, sweep.json, sweep.svg here")
      ->required();
  return {cmd, [args] { return merge_command(*args); }};
}

}  // namespace app
