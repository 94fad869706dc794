// Finding, probing and resetting the test server's connection sockets (Linux).
#include "live/server_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <charconv>
#include <filesystem>
#include <system_error>

namespace live {

namespace {

// "addr:port" parts of a socket address; false for non-IP sockets.
bool split(const sockaddr_storage& ss, std::string& addr, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(ss);
    if (!inet_ntop(AF_INET, &in.sin_addr, text, sizeof text)) return false;
    port = ntohs(in.sin_port);
  } else if (ss.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(ss);
    if (!inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text)) return false;
    port = ntohs(in6.sin6_port);
  } else {
    return false;
  }
  addr = text;
  return true;
}

bool local_port_is(int fd, int want) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  std::string addr;
  int port = -1;
  return getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0 && split(ss, addr, port) &&
         port == want;
}

bool connected(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  return getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0;
}

// Calls visit(fd) for every open descriptor of this process.
template <class Visit>
void each_descriptor(Visit&& visit) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    const std::string name = entry.path().filename().string();
    int fd = -1;
    const auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), fd);
    if (err != std::errc{} || end != name.data() + name.size()) continue;
    if (!visit(fd)) return;
  }
}

bool has_ends(int fd, const ConnectionAddress& want) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  std::string addr;
  int port = -1;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0 || !split(ss, addr, port) ||
      port != want.remote_port || addr != want.remote_addr) {
    return false;
  }
  len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0 || !split(ss, addr, port)) {
    return false;
  }
  return port == want.local_port && addr == want.local_addr;
}

}  // namespace

std::optional<int> find_connection_socket(const ConnectionAddress& address) {
  std::optional<int> found;
  each_descriptor([&](int fd) {
    if (has_ends(fd, address)) found = fd;
    return !found;
  });
  return found;
}

void stop_reading_connections(int port) {
  each_descriptor([&](int fd) {
    // A descriptor closed and reused between the check and the shutdown would at worst stop
    // reading early; the window is a few instructions wide and stop() is ending the server.
    if (local_port_is(fd, port) && connected(fd)) shutdown(fd, SHUT_RD);
    return true;
  });
}

bool peer_closed(int fd) {
  pollfd p{fd, POLLRDHUP, 0};
  if (poll(&p, 1, 0) < 0) return true;
  return (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

void reset_connection(int fd) {
  const linger abort_on_close{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
  sockaddr unspec{};
  unspec.sa_family = AF_UNSPEC;
  connect(fd, &unspec, sizeof unspec);  // Linux: disconnects a TCP socket, sending RST
}

}  // namespace live
