// Writes result files into a temporary folder beside the target, then swaps it into place.
#include "plots/output_files.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace plots {

namespace fs = std::filesystem;

namespace {

// The files loiter's commands write: when found in the folder being replaced they belong to
// the previous run and go with it. Anything else there is the user's and is kept.
constexpr std::array<std::string_view, 10> kRunFiles = {
    "report.json", "downloads.csv", "gantt.svg", "summary.svg", "timeline.svg",
    "trace.json",  "validate.json", "sweep.csv", "sweep.json",  "sweep.svg"};

[[noreturn]] void fail(const fs::path& p, const char* what, int err) {
  throw std::runtime_error(p.string() + ": " + what + ": " + std::strerror(err));
}

// Holds SIGINT, SIGTERM and SIGHUP back while the files are written: a stop asked for
// meanwhile abandons the temporary folder (removed) instead of leaving half of it behind, and
// is delivered when this guard ends.
class StopSignalsHeld {
 public:
  StopSignalsHeld() {
    sigemptyset(&stops_);
    sigaddset(&stops_, SIGINT);
    sigaddset(&stops_, SIGTERM);
    sigaddset(&stops_, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stops_, &before_);
  }
  ~StopSignalsHeld() { pthread_sigmask(SIG_SETMASK, &before_, nullptr); }
  StopSignalsHeld(const StopSignalsHeld&) = delete;
  StopSignalsHeld& operator=(const StopSignalsHeld&) = delete;
  bool stop_pending() const {
    sigset_t pending;
    sigpending(&pending);
    for (int s : {SIGINT, SIGTERM, SIGHUP})
      if (sigismember(&pending, s) == 1 && sigismember(&before_, s) != 1 && !ignored(s))
        return true;
    return false;
  }

 private:
  static bool ignored(int s) {
    struct sigaction now {};
    return sigaction(s, nullptr, &now) == 0 && now.sa_handler == SIG_IGN;
  }
  sigset_t stops_{};
  sigset_t before_{};
};

// Writes to a new file, closing it when done or on an error.
class FileWriter {
 public:
  explicit FileWriter(fs::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) fail(path_, "cannot create", errno);
  }
  ~FileWriter() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  void write(std::string_view bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail(path_, "cannot write", n == 0 ? EIO : errno);
      done += static_cast<std::size_t>(n);
    }
  }
  void finish() {
    if (::fsync(fd_) != 0) fail(path_, "cannot finish writing", errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail(path_, "cannot finish writing", errno);
  }

 private:
  fs::path path_;
  int fd_ = -1;
};

void write_file(const fs::path& path, const std::string& contents) {
  FileWriter f(path);
  f.write(contents);
  f.finish();
}

// `stopped` is asked at each MiB: a large file is not finished after a stop was asked for.
template <class Stopped>
void write_streamed(const fs::path& path, const StreamedFile& file, const Stopped& stopped) {
  constexpr std::size_t kBuffer = std::size_t{1} << 20;
  FileWriter f(path);
  std::string buffer;
  buffer.reserve(kBuffer);
  file.write([&](std::string_view piece) {
    if (buffer.size() + piece.size() > kBuffer) {
      if (stopped()) throw std::runtime_error("stopped by a signal; nothing written");
      f.write(buffer);
      buffer.clear();
    }
    if (piece.size() >= kBuffer) {
      f.write(piece);
    } else {
      buffer += piece;
    }
  });
  f.write(buffer);
  f.finish();
}

void sync_folder(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

bool is_run_file(const std::string& name, const std::vector<std::string>& names) {
  if (std::find(kRunFiles.begin(), kRunFiles.end(), name) != kRunFiles.end()) return true;
  return std::find(names.begin(), names.end(), name) != names.end();
}

// `old` holds the previous contents of the folder now at `target`: the user's own entries
// move over, the previous run's files are removed, and so is `old` once empty.
void retire(const fs::path& old, const fs::path& target, const std::vector<std::string>& files) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(old, ec)) {
    const std::string name = entry.path().filename().string();
    if (is_run_file(name, files) && entry.is_regular_file(ec)) {
      fs::remove(entry.path(), ec);
    } else if (!fs::exists(target / name, ec)) {
      fs::rename(entry.path(), target / name, ec);
    }
  }
  if (!fs::remove(old, ec)) {
    std::fprintf(stderr, "loiter: kept %s: it still holds files that were not moved\n",
                 old.c_str());
  }
}

}  // namespace

void write_outputs(const fs::path& dir, const OutputFiles& files,
                   const std::vector<StreamedFile>& streamed) {
  std::vector<std::string> names;
  for (const auto& f : files)
    names.push_back(f.first);
  for (const auto& f : streamed)
    names.push_back(f.name);
  for (const std::string& name : names) {
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
      throw std::logic_error("output file names are plain names: " + name);
    }
  }
  std::error_code ec;
  // The real folder (a symbolic link to a folder is followed), absolute and without a
  // trailing '/', so its parent is where the temporary folder goes.
  fs::path target = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  if (ec || target.filename().empty()) target = fs::absolute(dir).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();
  const bool replacing = fs::exists(target, ec);
  if (replacing && !fs::is_directory(target, ec)) {
    throw std::runtime_error(dir.string() + ": cannot create the output folder: not a folder");
  }
  const fs::path parent = target.parent_path();
  fs::create_directories(parent, ec);
  if (ec)
    throw std::runtime_error(dir.string() + ": cannot create the output folder: " + ec.message());
  const std::string stem = "." + target.filename().string();
  const fs::path tmp = parent / (stem + ".tmp-" + std::to_string(::getpid()));

  StopSignalsHeld held;
  fs::remove_all(tmp, ec);
  if (!fs::create_directory(tmp, ec)) {
    throw std::runtime_error(tmp.string() + ": cannot create the temporary folder" +
                             (ec ? ": " + ec.message() : ""));
  }
  try {
    for (const auto& [name, contents] : files) {
      if (held.stop_pending()) throw std::runtime_error("stopped by a signal; nothing written");
      write_file(tmp / name, contents);
    }
    for (const StreamedFile& f : streamed) {
      if (held.stop_pending()) throw std::runtime_error("stopped by a signal; nothing written");
      write_streamed(tmp / f.name, f, [&] { return held.stop_pending(); });
    }
    if (held.stop_pending()) throw std::runtime_error("stopped by a signal; nothing written");
    if (!replacing) {
      if (std::rename(tmp.c_str(), target.c_str()) != 0) fail(target, "cannot create", errno);
    } else if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
      retire(tmp, target, names);  // tmp now holds the previous folder
    } else {
      // A file system without an atomic exchange: two renames, a moment with no folder.
      const fs::path old = parent / (stem + ".old-" + std::to_string(::getpid()));
      if (std::rename(target.c_str(), old.c_str()) != 0) fail(target, "cannot replace", errno);
      if (std::rename(tmp.c_str(), target.c_str()) != 0) {
        const int err = errno;
        std::rename(old.c_str(), target.c_str());
        fail(target, "cannot replace", err);
      }
      retire(old, target, names);
    }
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  sync_folder(parent);
}

}  // namespace plots
