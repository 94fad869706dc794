// Writing result files: each one atomically (a temporary file in the same folder, then a
// rename), so a reader never sees half a file, and only under the chosen output folder.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace plots {

// (file name, contents); names are plain file names, never paths.
using OutputFiles = std::vector<std::pair<std::string, std::string>>;

// Creates `dir` if needed and writes every file atomically. Throws std::runtime_error with
// the path and the system's reason.
void write_outputs(const std::filesystem::path& dir, const OutputFiles& files);

}  // namespace plots
