// Saving live bodies (`--save DIR`): file names made safe from item names, and a body file
// written under a temporary name and renamed into place only when the download succeeded.
// Nothing a URL or a scenario says can place a file outside DIR.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace live {

// A plain file name for an item: letters, digits, '.', '_' and '-' kept, every other byte
// replaced by '_', a leading '.' replaced (no hidden files, no "." or ".."), at most 120
// bytes; never empty, never a path.
std::string safe_file_name(std::string_view name);

// One body being saved as dir/name: written to a hidden temporary file beside it (created
// exclusively, never through a symbolic link), renamed to dir/name by commit(), removed
// otherwise.
class BodyFile {
 public:
  // Throws std::runtime_error (with the path and the reason) when it cannot create the file.
  BodyFile(const std::filesystem::path& dir, const std::string& name, std::uint32_t id);
  ~BodyFile();
  BodyFile(const BodyFile&) = delete;
  BodyFile& operator=(const BodyFile&) = delete;

  // False (see error()) when the write failed.
  bool write(const char* data, std::size_t size);
  // Renames the body into place; false (see error()) when that failed.
  bool commit();
  const std::string& error() const { return error_; }

 private:
  void discard();
  std::filesystem::path temp_, target_;
  int fd_ = -1;
  std::string error_;
};

}  // namespace live
