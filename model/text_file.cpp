// Reading a text file defensively: its kind, size and file system are checked before
// anything is read, and the read never waits and never goes past the limit.
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "model/scenario_read.hpp"
#include "model/units.hpp"

namespace model {
namespace fs = std::filesystem;

namespace {

// A file descriptor closed when it goes out of scope.
struct Fd {
  int fd;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string size_beside_limit(std::uintmax_t n, std::uintmax_t limit) {
  const auto human = [](std::uintmax_t b) { return format_size(static_cast<double>(b), 3); };
  if (n > limit && human(n) == human(limit))
    return human(limit) + " + " + std::to_string(n - limit) + " B";
  return human(n);
}

// Reads a whole text file of at most `limit` bytes, refusing directories, devices, pipes
// and oversized files before reading anything.
std::string read_file(const fs::path& path, std::uintmax_t limit, std::string_view what) {
  const std::string name = path.string();
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    throw ScenarioError(name, 0, 0, "cannot open: " + ec.message());
  if (!fs::exists(st)) {
    std::string msg = "no such file; expected a path to a " + std::string(what);
    if (path.is_relative()) {
      std::error_code cwd_ec;
      const fs::path cwd = fs::current_path(cwd_ec);
      if (!cwd_ec) msg += " (relative to the working directory " + cwd.string() + ")";
    }
    throw ScenarioError(name, 0, 0, msg);
  }
  if (fs::is_directory(st)) {
    std::vector<std::string> tomls;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.path().extension() == ".toml") tomls.push_back(entry.path().filename().string());
    }
    std::sort(tomls.begin(), tomls.end());
    std::string msg = "is a directory; expected a " + std::string(what);
    if (!tomls.empty()) {
      msg += ", e.g. one of:";
      for (std::size_t i = 0; i < tomls.size() && i < 5; ++i)
        msg += " " + tomls[i];
      if (tomls.size() > 5) msg += " ...";
    }
    throw ScenarioError(name, 0, 0, msg);
  }
  if (!fs::is_regular_file(st))
    throw ScenarioError(
        name, 0, 0,
        "is not a regular file (a device, pipe or socket); expected a " + std::string(what));
  const std::string too_big = "is too large; expected a " + std::string(what) + " of at most " +
                              format_size(static_cast<double>(limit), 3) +
                              " (is this the right file?)";
  // Non-blocking, so a file that only looks regular (/proc/kmsg waits for the kernel's
  // next message) cannot hold the read; regular files on disk are not affected.
  const Fd f(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (f.fd < 0)
    throw ScenarioError(name, 0, 0, std::string("cannot read: ") + std::strerror(errno));
  struct stat fst {};
  if (::fstat(f.fd, &fst) != 0 || !S_ISREG(fst.st_mode))
    throw ScenarioError(
        name, 0, 0,
        "is not a regular file (a device, pipe or socket); expected a " + std::string(what));
  const auto size = static_cast<std::uintmax_t>(fst.st_size);
  if (size > limit)
    throw ScenarioError(name, 0, 0,
                        "is " + size_beside_limit(size, limit) + ", too large; expected a " +
                            std::string(what) + " of at most " +
                            format_size(static_cast<double>(limit), 3) +
                            " (is this the right file?)");
  // Kernel files (/proc, /sys) report a size unrelated to what they hold (0, 4096), some
  // never end or wait, and reading some has effects (taking messages off the kernel log):
  // they are refused unread.
  struct statfs fsst {};
  if (::fstatfs(f.fd, &fsst) == 0 &&
      (fsst.f_type == PROC_SUPER_MAGIC || fsst.f_type == SYSFS_MAGIC ||
       fsst.f_type == DEBUGFS_MAGIC || fsst.f_type == TRACEFS_MAGIC))
    throw ScenarioError(name, 0, 0,
                        "is a kernel file (in /proc or /sys, whose size says nothing of what it "
                        "holds); expected a " +
                            std::string(what) + " saved on disk");
  std::string text;
  char buf[1 << 16];
  for (;;) {
    const ssize_t got = ::read(f.fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      throw ScenarioError(name, 0, 0,
                          "is not an ordinary file (reading it would wait); expected a " +
                              std::string(what) + " saved on disk");
    if (got < 0)
      throw ScenarioError(name, 0, 0, std::string("cannot read: ") + std::strerror(errno));
    if (got == 0) break;
    text.append(buf, static_cast<std::size_t>(got));
    if (text.size() > limit) throw ScenarioError(name, 0, 0, too_big);
  }
  if (size == 0 && !text.empty())
    throw ScenarioError(name, 0, 0,
                        "reports size 0 but is not empty (a special file?); expected a " +
                            std::string(what) + " saved on disk");
  return text;
}

}  // namespace model
