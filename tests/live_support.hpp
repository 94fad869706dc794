// Helpers for the live-mode tests: small scenarios, one strategy run live against a URL,
// and a bare loopback socket server that answers every connection with canned bytes.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "live/live_run.hpp"
#include "live/test_server.hpp"
#include "model/scenario.hpp"
#include "model/simulate.hpp"

namespace live_test {

using namespace std::chrono_literals;

// Items "a", "b", ... of `size` bytes each; no timeout, no retries, new connection per request.
inline model::Scenario items_scenario(int count, std::int64_t size) {
  model::Scenario s;
  s.name = "live-test";
  s.workload.kind = model::Workload::Kind::items;
  for (int i = 0; i < count; ++i)
    s.workload.items.push_back({std::string(1, static_cast<char>('a' + i)), size});
  s.client.backoff = 20ms;
  s.client.backoff_max = 40ms;
  return s;
}

inline model::Strategy sequential() {
  model::Strategy st;
  st.name = "sequential";
  st.kind = model::Strategy::Kind::sequential;
  return st;
}

inline model::Strategy async_of(int n) {
  model::Strategy st;
  st.name = "async-" + std::to_string(n);
  st.kind = model::Strategy::Kind::async;
  st.max_concurrency = n;
  return st;
}

struct LiveResult {
  model::StrategyResult result;
  live::CurlTransport::Stats stats;
  double wall_seconds = 0;
};

// Runs `strategy` live against `url_template` and returns what it recorded.
inline LiveResult run_live(const model::Scenario& s, const model::Strategy& strategy,
                           const std::string& url_template, live::CurlOptions curl = {}) {
  curl.url_template = url_template;
  live::LiveRunOptions options;
  options.curl = curl;
  const auto jobs = model::make_jobs(s, s.seed);
  LiveResult out;
  const auto start = std::chrono::steady_clock::now();
  out.result = live::run_live_strategy(s, strategy, jobs, s.seed, options, &out.stats).result;
  out.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

// Starts `server` and has it serve one OPTIONS request alone (answered 405 before any of the
// server's knobs apply: no worker, stall, error or fault; the 200/404/500 counts unchanged),
// then gives that server thread a moment to return
// to its pool. Why: libcpp-httplib is prebuilt without ThreadSanitizer and parses requests
// with a function-local static regex; the guard's fast path is invisible to TSan, so a
// thread using the regex looks unsynchronised with the thread that built it. Built while no
// other request runs, by a thread that then releases the pool's lock, every later request
// thread acquires that lock first, and TSan sees the order.
inline void start(live::TestServer& server) {
  server.start();
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(server.port()));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    const std::string request =
        "OPTIONS /warm-up HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char buf[512];
    for (;;) {  // the 405, until the server closes (at most ~2 s)
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 2000) <= 0 || ::recv(fd, buf, sizeof buf, 0) <= 0) break;
    }
  }
  ::close(fd);
  std::this_thread::sleep_for(100ms);
}

inline std::int64_t count(const model::StrategyResult& r, model::Status st) {
  return r.summary.counts[static_cast<int>(st)];
}

// A loopback socket bound to a free port (127.0.0.1, port 0) that never listens: connecting
// to it is refused, and the port stays ours while it exists.
class ClosedPort {
 public:
  ClosedPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~ClosedPort() { ::close(fd_); }
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A bare HTTP responder on 127.0.0.1 (port 0): each connection gets its request read, then
// `head` and `body_bytes` bytes of 'x' streamed in chunks, then a close. At most
// `max_connections` connections; stops within ~50 ms of destruction.
class CannedServer {
 public:
  CannedServer(std::string head, std::int64_t body_bytes, int max_connections = 16)
      : head_(std::move(head)), body_bytes_(body_bytes), left_(max_connections) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int yes = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 16);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~CannedServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  CannedServer(const CannedServer&) = delete;
  CannedServer& operator=(const CannedServer&) = delete;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/{name}"; }

 private:
  void serve() {
    while (!stop_ && left_ > 0) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      --left_;
      answer(c);
      ::close(c);
    }
  }
  void answer(int c) {
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      pollfd p{c, POLLIN, 0};
      if (stop_ || ::poll(&p, 1, 50) < 0) return;
      if (p.revents == 0) continue;
      const ssize_t n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) return;
      request.append(buf, static_cast<std::size_t>(n));
    }
    if (::send(c, head_.data(), head_.size(), MSG_NOSIGNAL) < 0) return;
    const std::string chunk(16 * 1024, 'x');
    for (std::int64_t sent = 0; sent < body_bytes_ && !stop_;) {
      const auto n = static_cast<std::size_t>(
          std::min<std::int64_t>(static_cast<std::int64_t>(chunk.size()), body_bytes_ - sent));
      const ssize_t w = ::send(c, chunk.data(), n, MSG_NOSIGNAL);
      if (w <= 0) return;  // the client gave up
      sent += w;
    }
  }

  std::string head_;
  std::int64_t body_bytes_;
  int left_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace live_test
