// The test server's connections, served with the bounds cpp-httplib 0.11 lacks:
// a request's headers must arrive within a time limit and a size limit (else 408 or 431, and
// the connection is closed), on top of the usual per-read timeout and keep-alive rules.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

#include <httplib.h>

namespace live {

class TraceWriter;

struct ConnectionLimits {
  std::size_t max_header_bytes = 64 << 10;         // request line and headers together
  std::chrono::milliseconds header_time{10'000};   // from the request's first byte
  std::chrono::milliseconds read_timeout{10'000};  // silence in the middle of a request
  std::chrono::milliseconds write_timeout{5'000};
  std::size_t keep_alive_max = 100;                     // requests per connection
  std::chrono::milliseconds keep_alive_timeout{5'000};  // idle wait for the next request
};

// Serves the requests arriving on `sock` one after another with `serve_one` (httplib's
// Server::process_request), while `listening` is open and the limits allow, then shuts the
// socket down and closes it. Returns what the last request's serve_one returned. With a
// `trace`, writes a row for each request read (its connection's accept time taken from
// trace_accept_time(), its service start from trace_take_service_start()); counts each request
// served in `served` once its answer is over.
bool serve_connection(
    int sock, const std::atomic<socket_t>& listening, const ConnectionLimits& limits,
    const std::function<bool(httplib::Stream&, bool close, bool& closed)>& serve_one,
    TraceWriter* trace = nullptr, std::atomic<std::uint64_t>* served = nullptr);

// httplib's server with its listening socket in reach (a protected member), serving each
// connection with serve_connection() and `limits`; logs once on stderr when all `threads`
// connection threads are busy.
class BoundedServer : public httplib::Server {
 public:
  socket_t listening_socket() const { return svr_sock_; }
  ConnectionLimits limits;
  int threads = 1;
  TraceWriter* trace = nullptr;          // records every request when set
  std::atomic<std::uint64_t> served{0};  // requests whose answer has been sent (or cut off)

 private:
  bool process_and_close_socket(socket_t sock) override;
  std::atomic<int> busy_{0};
  std::atomic<bool> saturated_{false};
};

}  // namespace live
