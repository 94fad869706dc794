// Safe lookup of files under the test server's directory.
#include "live/server_files.hpp"

#include <algorithm>
#include <stdexcept>
#include <system_error>

namespace live {

namespace fs = std::filesystem;

FileRoot::FileRoot(const fs::path& directory) {
  std::error_code ec;
  root_ = fs::canonical(directory, ec);
  if (ec || !fs::is_directory(root_, ec)) {
    throw std::invalid_argument("cannot serve directory '" + directory.string() +
                                "': it does not exist or is not a directory");
  }
}

namespace {

// True when every segment of "/a/b/c" is a plain name (no "", ".", "..").
bool plain_segments(std::string_view path) {
  std::size_t from = 1;
  while (from <= path.size()) {
    const auto end = std::min(path.find('/', from), path.size());
    const auto segment = path.substr(from, end - from);
    if (segment.empty() || segment == "." || segment == "..") return false;
    from = end + 1;
  }
  return true;
}

bool inside(const fs::path& root, const fs::path& p) {
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (q == p.end() || *r != *q) return false;
  }
  return q != p.end();  // strictly below the root
}

}  // namespace

std::variant<FileRoot::File, FileRoot::Refusal> FileRoot::resolve(
    std::string_view request_path) const {
  if (request_path.size() < 2 || request_path.front() != '/' ||
      request_path.find('\0') != std::string_view::npos ||
      request_path.find('\\') != std::string_view::npos || !plain_segments(request_path)) {
    return Refusal::bad_path;
  }
  std::error_code ec;
  // canonical() resolves every symlink, so a link pointing out of the root lands outside it.
  const fs::path full = fs::canonical(root_ / fs::path(request_path.substr(1)), ec);
  if (ec || !inside(root_, full)) return Refusal::not_found;
  const auto status = fs::status(full, ec);
  if (ec || !fs::is_regular_file(status)) return Refusal::not_found;
  const auto size = fs::file_size(full, ec);
  if (ec) return Refusal::not_found;
  return File{full, size};
}

}  // namespace live
