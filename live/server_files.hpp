// Read-only files under one directory for the test server: maps a decoded request path to a
// regular file inside the directory and refuses anything that could escape it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <variant>

namespace live {

class FileRoot {
 public:
  // Throws std::invalid_argument when `directory` is not an existing directory.
  explicit FileRoot(const std::filesystem::path& directory);

  enum class Refusal {
    bad_path,   // NUL, backslash, "..", ".", empty segment, not absolute: answer 400
    not_found,  // no such regular file inside the root (symlinks out count as absent): 404
  };
  struct File {
    std::filesystem::path path;  // canonical, inside the root
    std::uintmax_t size = 0;
  };
  // `request_path` is the decoded URL path, e.g. "/flags/cn.gif".
  std::variant<File, Refusal> resolve(std::string_view request_path) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;  // canonical
};

}  // namespace live
