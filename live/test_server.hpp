// The built-in test HTTP/1.1 server (`loiter serve`, `loiter validate`): serves synthetic items
// or a directory with the model server's knobs (workers, service delay, errors, stalls) for real.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/scenario.hpp"

namespace live {

// Optional misbehaviour for client fault tests; all off by default. Independent draws per
// response with a body, in this order; the first hit wins.
struct ServeFaults {
  double reset_rate = 0;         // send part of the body, then abort the connection (TCP RST)
  double truncate_rate = 0;      // send part of the body, then close: shorter than Content-Length
  double drip_rate = 0;          // send the whole body at drip_bandwidth
  double drip_bandwidth = 1024;  // bytes/s
  double cut_at = 0.5;           // fraction of the body sent before a reset or truncation
};

// Each request: waits for a worker (FIFO), may stall, sleeps its service delay, may get an
// error status (rules in order), then 404 for missing or unknown names, else 200 and the body
// (synthetic item, or a file from `directory`), paced by `bandwidth`, perhaps faulted.
struct ServeOptions {
  std::string host = "127.0.0.1";  // loopback unless asked otherwise
  int port = 0;                    // 0 = any free port (see TestServer::port())
  // Requests in service at once; later ones wait in arrival order. 0 = unlimited. A worker
  // is held from the start of service to the start of the response (not while the body is sent).
  int workers = 16;
  // httplib's pool threads, one per open connection (idle keep-alive connections hold one).
  // 0 = workers + 64 (256 when workers is 0).
  int connection_threads = 0;
  std::chrono::seconds keep_alive_timeout{5};  // idle keep-alive connections are closed after
  int keep_alive_max_requests = 1000;  // requests per connection before the server closes it
  // A request's line and headers must arrive within this from its first byte, else 408 and
  // the connection is closed (slow clients cannot hold the connection threads).
  std::chrono::milliseconds header_time{10'000};

  std::chrono::nanoseconds delay{0};  // service time of every request...
  // ...unless this is set: one draw per request, called under the server's draw lock.
  std::function<std::chrono::nanoseconds()> delay_sampler;
  std::vector<model::ErrorRule> errors;  // independent draws in order; first hit answers
  std::vector<std::string> missing;      // names answered with 404 though they exist
  // No answer: the request keeps its worker until the client leaves, stop(), or stall_limit;
  // then the connection is closed without a response.
  double stall_rate = 0;
  std::chrono::nanoseconds stall_limit = std::chrono::minutes(10);
  double bandwidth = 0;  // per-connection body rate cap, bytes/s; 0 = none

  std::map<std::string, std::int64_t> items;  // name -> size of a synthetic body
  // Sizes of names not in `items` (e.g. a million generated items); nullopt = unknown. Called
  // from many threads at once: must be thread-safe.
  std::function<std::optional<std::int64_t>(std::string_view name)> item_size;
  std::filesystem::path directory;   // also serve files below it (read-only); empty = no
  std::string url_path = "/{name}";  // where item names sit in the request path
  std::uint64_t seed = 1;            // for stall, error and fault draws
  // A token bucket over arriving requests (rate 0 = none): one without a token is answered at
  // once with its status and Retry-After header, before it waits for a worker.
  model::ServerRateLimit rate_limit;
  // listen()'s backlog (Linux queues backlog + 1 connections waiting to be accepted); with a
  // backlog the accept loop also waits while every connection thread is busy, so the kernel's
  // queue is the only one. 0 = the system's largest (SOMAXCONN), httplib queueing the rest.
  int backlog = 0;
  ServeFaults faults;
  // Also write one CSV row per request here (columns: README, "loiter serve"); empty = none.
  // The file is opened (truncated) by the constructor: std::invalid_argument when it cannot be.
  std::filesystem::path trace;
};

class TestServer {
 public:
  // Checks the options: std::invalid_argument says which one is wrong and what it must be.
  explicit TestServer(ServeOptions options);
  ~TestServer();  // stop()
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Binds and listens, then serves on a background thread; returns once connections are
  // accepted. Throws std::runtime_error when it cannot bind, std::logic_error when called twice.
  void start();
  int port() const;              // the bound port (after start)
  std::string base_url() const;  // "http://host:port"
  // Stops accepting, wakes stalled and waiting requests, ends paced bodies and idle keep-alive
  // connections, joins every thread. Idempotent.
  void stop();

  struct Stats {
    std::uint64_t requests = 0;                            // requests received
    std::uint64_t served = 0;                              // requests whose answer is over
    std::map<int, std::uint64_t> by_status;                // answers, by HTTP status
    std::uint64_t stalled = 0;                             // requests that got no answer
    std::uint64_t rate_limited = 0;                        // answered for the rate limit
    std::uint64_t body_bytes = 0;                          // body bytes handed to sockets
    std::uint64_t resets = 0, truncations = 0, drips = 0;  // faults injected
    int in_service = 0, max_in_service = 0;                // requests holding a worker (now, ever)
    std::uint64_t count(int status) const;
  };
  Stats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace live
