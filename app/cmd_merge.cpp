// `loiter merge`: combine the --out folders of the shards of one sweep into the files an
// unsharded sweep writes (byte for byte), and print its table and recommendation.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/command.hpp"
#include "plots/output_files.hpp"
#include "sweep/sweep_files.hpp"

namespace app {

namespace {

struct MergeArgs {
  std::vector<std::string> dirs;
  std::string out;
};

int merge_command(const MergeArgs& a) {
  std::vector<sweep::SweepPart> parts;
  for (const std::string& dir : a.dirs)
    parts.push_back(sweep::read_sweep_part(dir));
  const sweep::SweepPart whole = sweep::merge_sweep_parts(std::move(parts));
  const sweep::SweepOutputs outputs = sweep::sweep_outputs(whole.meta, whole.rows);
  plots::write_outputs(a.out, outputs.files);
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
