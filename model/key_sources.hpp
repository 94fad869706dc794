// Where each key of a scenario was written: "path:line:col" in its file, or the command-line
// option that set it ("--set KEY=VALUE"), with the value as written, for warnings.
#pragma once

#include <map>
#include <string>

namespace model {

struct KeySource {
  std::string where;  // "flags.toml:12:13" or "--set network.bandwidth=0"
  std::string text;   // the value as written: a string's contents, else its TOML text
};

// Keys as `--set` names them ("network.bandwidth", "strategy.threads-20.workers"), plus
// "server.errors[0].rate", the sections ("network", "workload") and the strategies
// ("strategy.threads-20"); "" is the file itself.
using KeySources = std::map<std::string, KeySource, std::less<>>;

}  // namespace model
