// Writing result files atomically under one output folder (see output_files.hpp).
#include "plots/output_files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

namespace plots {

namespace {

void write_atomically(const std::filesystem::path& target, const std::string& contents) {
  std::filesystem::path tmp = target;
  tmp += ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::runtime_error(tmp.string() + ": cannot create: " + std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw std::runtime_error(tmp.string() + ": cannot write: " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error(tmp.string() + ": cannot finish writing: " + std::strerror(err));
  }
  if (std::rename(tmp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error(target.string() + ": cannot replace: " + std::strerror(err));
  }
}

}  // namespace

void write_outputs(const std::filesystem::path& dir, const OutputFiles& files) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    throw std::runtime_error(dir.string() + ": cannot create the output folder" +
                             (ec ? ": " + ec.message() : ""));
  }
  for (const auto& [name, contents] : files) {
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
      throw std::logic_error("output file names are plain names: " + name);
    }
    write_atomically(dir / name, contents);
  }
}

}  // namespace plots
