// Saving live bodies (`--save DIR`): file names made safe and unique from item names, a body
// file written under a temporary name and renamed into place only when the download
// succeeded, and the folder's manifest saved.csv. Nothing a URL or a scenario says can place
// a file outside DIR.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace live {

// A plain file name for an item: letters, digits, '.', '_' and '-' kept, every other byte
// replaced by '_', a leading '.' replaced (no hidden files, no "." or ".."), at most 120
// bytes; never empty, never a path.
std::string safe_file_name(std::string_view name);

// The file download `id` saves its body to: the item name itself when safe_file_name() keeps
// it unchanged; otherwise its safe form cut to leave room for "~ID" and then "~ID". '~' is
// never kept from a name, so no two downloads of a run get the same file, whatever the
// names and in whatever order they finish; at most 120 bytes.
std::string save_file_name(std::string_view name, std::uint32_t id);

// One line of saved.csv.
struct SavedBody {
  std::string item;
  std::string file;
};

// Writes DIR/saved.csv (item,file,bytes,sha256; a header line, then one line per body, in
// the order given) atomically, reading each file back for its size and SHA-256. Files that
// are not there are left out. Throws std::runtime_error with the path and the reason.
void write_save_manifest(const std::filesystem::path& dir, const std::vector<SavedBody>& bodies);

// The SHA-256 of a file in lower-case hex, and its size; throws std::runtime_error.
std::string sha256_of_file(const std::filesystem::path& path, std::uint64_t& bytes);

// One body being saved as dir/name (`name` from save_file_name()): written to a hidden temporary
// file beside it (created exclusively, never through a symbolic link), renamed to dir/name by
// commit(), removed otherwise.
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
