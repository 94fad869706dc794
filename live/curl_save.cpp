#include "live/curl_save.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <openssl/evp.h>

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

std::string save_file_name(std::string_view name, std::uint32_t id) {
  std::string safe = safe_file_name(name);
  if (safe == name) return safe;
  const std::string suffix = "~" + std::to_string(id);
  if (safe.size() + suffix.size() > kMaxNameBytes) safe.resize(kMaxNameBytes - suffix.size());
  return safe + suffix;
}

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string sha256_of_file(const std::filesystem::path& path, std::uint64_t& bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(path.string() + ": cannot read: " + std::strerror(errno));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    ::close(fd);
    throw std::runtime_error("OpenSSL: cannot start a SHA-256");
  }
  bytes = 0;
  std::vector<unsigned char> buf(1 << 16);
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      EVP_MD_CTX_free(ctx);
      ::close(fd);
      throw std::runtime_error(path.string() + ": cannot read: " + std::strerror(err));
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx, buf.data(), static_cast<std::size_t>(n));
    bytes += static_cast<std::uint64_t>(n);
  }
  ::close(fd);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, digest, &len);
  EVP_MD_CTX_free(ctx);
  std::string hex;
  char two[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(two, sizeof two, "%02x", digest[i]);
    hex += two;
  }
  return hex;
}

void write_save_manifest(const std::filesystem::path& dir, const std::vector<SavedBody>& bodies) {
  std::string csv = "item,file,bytes,sha256\n";
  for (const SavedBody& b : bodies) {
    const std::filesystem::path file = dir / b.file;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) continue;
    std::uint64_t bytes = 0;
    const std::string sha = sha256_of_file(file, bytes);
    csv += csv_field(b.item) + "," + csv_field(b.file) + "," + std::to_string(bytes) + "," + sha +
           "\n";
  }
  const std::filesystem::path target = dir / "saved.csv";
  const std::filesystem::path temp = dir / (".saved.csv.tmp-" + std::to_string(::getpid()));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(temp.string() + ": cannot create: " + std::strerror(errno));
  std::size_t done = 0;
  while (done < csv.size()) {
    const ssize_t n = ::write(fd, csv.data() + done, csv.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n == 0 ? EIO : errno;
      ::close(fd);
      ::unlink(temp.c_str());
      throw std::runtime_error(temp.string() + ": cannot write: " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 || std::rename(temp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw std::runtime_error(target.string() + ": cannot write: " + std::strerror(err));
  }
}

BodyFile::BodyFile(const std::filesystem::path& dir, const std::string& name, std::uint32_t id)
    : temp_(dir / (".part-" + std::to_string(id) + "-" + name)), target_(dir / name) {
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
