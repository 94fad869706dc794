// Writing result files: all of a run's files go into a temporary folder beside the chosen
// one, which then takes its place in one rename, so the folder holds one whole run or the
// previous one, never a mix; only the chosen folder is written.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plots {

// (file name, contents); names are plain file names, never paths.
using OutputFiles = std::vector<std::pair<std::string, std::string>>;

// Takes a file's contents piece by piece.
using Sink = std::function<void(std::string_view)>;

// A file made as it is written (a run's per-download records), so that it is never held in
// memory whole: `write` hands its contents to the sink in order. It must not fail but for
// lack of memory: everything that can go wrong is checked before writing starts.
struct StreamedFile {
  std::string name;
  std::function<void(const Sink&)> write;
};

// Writes every file into `dir` (created if needed) as one whole: a temporary folder
// `.NAME.tmp-PID` beside it, fsync'ed, then atomically exchanged with `dir`. Files of the
// previous run in `dir` go; other entries (the user's) are kept. On an error, or SIGINT,
// SIGTERM or SIGHUP while writing, the temporary folder is removed and `dir` is untouched;
// the signal is delivered afterwards. Throws std::runtime_error with the path and reason.
// `streamed` files are written after `files`, through a buffer of 1 MiB.
void write_outputs(const std::filesystem::path& dir, const OutputFiles& files,
                   const std::vector<StreamedFile>& streamed = {});

}  // namespace plots
