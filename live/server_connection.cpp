// Serving one connection with bounded request headers (live/server_connection.hpp).
#include "live/server_connection.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "live/server_trace.hpp"

namespace live {

namespace {

using Clock = std::chrono::steady_clock;

bool wait_for(int sock, short events, std::chrono::milliseconds timeout) {
  pollfd p{sock, events, 0};
  for (;;) {
    const int n = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(0, timeout.count())));
    if (n < 0 && errno == EINTR) continue;
    return n > 0;
  }
}

void address_of(int sock, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  const int rc = peer ? ::getpeername(sock, reinterpret_cast<sockaddr*>(&addr), &len)
                      : ::getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len);
  if (rc != 0) return;
  char host[NI_MAXHOST], serv[NI_MAXSERV];
  if (::getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(serv);
  }
}

// A socket stream that watches the request's header bytes as they are read: past the size
// limit or the time limit it answers 431 or 408 itself and fails every later read and write.
class BoundedStream final : public httplib::Stream {
 public:
  BoundedStream(int sock, const ConnectionLimits& limits) : sock_(sock), limits_(limits) {}

  void next_request() {
    header_bytes_ = 0;
    line_bytes_ = 0;
    in_headers_ = true;
    started_ = false;
    response_start_.reset();
    last_byte_.reset();
    status_ = 0;
    bytes_ = 0;
  }
  bool refused() const { return refused_; }
  bool started() const { return started_; }

  // What the trace needs of the request just served.
  void fill(TraceRow& row) const {
    row.first_byte = first_byte_;
    row.response_start = response_start_;
    row.last_byte = last_byte_;
    row.status = status_;
    row.bytes = bytes_;
  }
  bool has_buffered() const { return buffered_ > 0; }

  bool is_readable() const override {
    return buffered_ > 0 || wait_for(sock_, POLLIN, wait_limit());
  }
  bool is_writable() const override {
    return !refused_ && wait_for(sock_, POLLOUT, limits_.write_timeout);
  }

  ssize_t read(char* ptr, size_t size) override {
    if (refused_) return -1;
    if (buffered_ == 0) {
      if (!is_readable()) {
        if (in_headers_ && started_ && Clock::now() >= header_deadline_) refuse(408);
        return -1;
      }
      const ssize_t n = ::recv(sock_, buffer_, sizeof buffer_, 0);
      if (n <= 0) return n;
      offset_ = 0;
      buffered_ = static_cast<std::size_t>(n);
    }
    if (in_headers_ && !started_) {
      started_ = true;
      first_byte_ = Clock::now();
      header_deadline_ = first_byte_ + limits_.header_time;
    }
    std::size_t n = std::min(size, buffered_);
    if (in_headers_) n = watch_headers(n);
    if (refused_) return -1;
    std::copy_n(buffer_ + offset_, n, ptr);
    offset_ += n;
    buffered_ -= n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (refused_ || !is_writable()) return -1;
    const ssize_t n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    if (n > 0) sent(std::string_view(ptr, static_cast<std::size_t>(n)));
    return n;
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    address_of(sock_, true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address_of(sock_, false, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  std::chrono::milliseconds wait_limit() const {
    if (!in_headers_ || !started_) return limits_.read_timeout;
    // Rounded up: a wait cut to whole milliseconds below the deadline would end before it,
    // and the read would fail as a bad request (400) instead of answering 408.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(header_deadline_ - Clock::now());
    return std::max(std::chrono::milliseconds(0), std::min(left, limits_.read_timeout));
  }

  // Counts the next `n` buffered bytes as header bytes up to the empty line ending them
  // (CRLF or bare LF line ends); returns how many of them to hand out.
  std::size_t watch_headers(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      const char c = buffer_[offset_ + i];
      if (++header_bytes_ > limits_.max_header_bytes) {
        refuse(431);
        return 0;
      }
      if (c == '\n') {
        if (line_bytes_ == 0 && header_bytes_ > 2) {
          in_headers_ = false;
          return i + 1;
        }
        line_bytes_ = 0;
      } else if (c != '\r') {
        ++line_bytes_;
      }
    }
    if (Clock::now() >= header_deadline_) refuse(408);
    return n;
  }

  // Notes bytes handed to the socket; the response's first ones hold its status line.
  void sent(std::string_view bytes) {
    const auto now = Clock::now();
    if (!response_start_) {
      response_start_ = now;
      // "HTTP/1.1 200 ...": httplib writes the status line and headers in one piece.
      if (bytes.size() >= 12 && bytes.starts_with("HTTP/1.")) {
        status_ = std::atoi(std::string(bytes.substr(9, 3)).c_str());
      }
    }
    last_byte_ = now;
    bytes_ += bytes.size();
  }

  void refuse(int status) {
    const std::string_view answer =
        status == 431
            ? "HTTP/1.1 431 Request Header Fields Too Large\r\n"
              "Connection: close\r\nContent-Length: 0\r\n\r\n"
            : "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
    if (wait_for(sock_, POLLOUT, limits_.write_timeout) &&
        ::send(sock_, answer.data(), answer.size(), MSG_NOSIGNAL) > 0) {
      sent(answer);
    }
    refused_ = true;
  }

  int sock_;
  const ConnectionLimits& limits_;
  char buffer_[4096];
  std::size_t offset_ = 0, buffered_ = 0;
  std::size_t header_bytes_ = 0, line_bytes_ = 0;
  bool in_headers_ = true, started_ = false, refused_ = false;
  Clock::time_point header_deadline_{};
  Clock::time_point first_byte_{};
  std::optional<Clock::time_point> response_start_, last_byte_;
  int status_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace

bool serve_connection(
    int sock, const std::atomic<socket_t>& listening, const ConnectionLimits& limits,
    const std::function<bool(httplib::Stream&, bool close, bool& closed)>& serve_one,
    TraceWriter* trace, std::atomic<std::uint64_t>* served) {
  BoundedStream stream(sock, limits);
  TraceRow row;
  if (trace) {
    row.accepted = trace_accept_time();
    if (row.accepted == Clock::time_point{}) row.accepted = Clock::now();
    address_of(sock, true, row.client_ip, row.client_port);
  }
  bool ok = false;
  for (std::size_t left = limits.keep_alive_max; left > 0; --left) {
    if (listening == INVALID_SOCKET) break;
    if (!stream.has_buffered() && !wait_for(sock, POLLIN, limits.keep_alive_timeout)) break;
    stream.next_request();
    bool closed = false;
    trace_take_service_start();
    ok = serve_one(stream, left == 1, closed);
    if (trace && stream.started()) {
      stream.fill(row);
      row.service_start = trace_take_service_start();
      trace->write(row);
      ++row.on_connection;
    }
    if (served != nullptr && stream.started()) ++*served;
    if (!ok || closed || stream.refused()) break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

bool BoundedServer::process_and_close_socket(socket_t sock) {
  if (++busy_ >= threads && !saturated_.exchange(true)) {
    std::fprintf(stderr,
                 "loiter serve: all %d connection threads are busy; new connections wait (a "
                 "request's headers get at most %lld s)\n",
                 threads, static_cast<long long>(limits.header_time.count() / 1000));
  }
  const bool ok = serve_connection(
      sock, svr_sock_, limits,
      [this](httplib::Stream& s, bool close, bool& closed) {
        return process_request(s, close, closed, [](httplib::Request&) {});
      },
      trace, &served);
  if (--busy_ < threads / 2) saturated_ = false;
  return ok;
}

}  // namespace live
