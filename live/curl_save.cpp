#include "live/curl_save.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace live {

namespace {

constexpr std::size_t kMaxNameBytes = 120;

bool kept(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

std::string safe_file_name(std::string_view name) {
  std::string out;
  for (const char ch : name.substr(0, kMaxNameBytes))
    out += kept(static_cast<unsigned char>(ch)) ? ch : '_';
  if (out.empty()) return "_";
  if (out.front() == '.') out.front() = '_';
  return out;
}

BodyFile::BodyFile(const std::filesystem::path& dir, const std::string& name, std::uint32_t id)
    : temp_(dir / (".part-" + std::to_string(id) + "-" + safe_file_name(name))),
      target_(dir / safe_file_name(name)) {
  const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  fd_ = ::open(temp_.c_str(), flags, 0644);
  if (fd_ < 0 && errno == EEXIST) {  // left over by an earlier, killed run
    ::unlink(temp_.c_str());
    fd_ = ::open(temp_.c_str(), flags, 0644);
  }
  if (fd_ < 0) {
    throw std::runtime_error(temp_.string() + ": cannot create: " + std::strerror(errno));
  }
}

BodyFile::~BodyFile() {
  discard();
}

void BodyFile::discard() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  ::unlink(temp_.c_str());
}

bool BodyFile::write(const char* data, std::size_t size) {
  while (size > 0 && fd_ >= 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = temp_.string() + ": cannot write: " + std::strerror(errno);
      discard();
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return fd_ >= 0;
}

bool BodyFile::commit() {
  if (fd_ < 0) return false;
  const int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0 || std::rename(temp_.c_str(), target_.c_str()) != 0) {
    error_ = target_.string() + ": cannot save: " + std::strerror(errno);
    ::unlink(temp_.c_str());
    return false;
  }
  return true;
}

}  // namespace live
