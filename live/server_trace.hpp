// The test server's request trace (`loiter serve --trace FILE`): one CSV row per request with
// its times on the server's steady clock, written by one locked writer and flushed per row.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <httplib.h>

namespace live {

using TraceClock = std::chrono::steady_clock;

// One request as the server saw it; unset times were never reached (no service: answered
// before a worker, or refused; no response: stalled or its connection failed).
struct TraceRow {
  TraceClock::time_point accepted;    // its connection was accepted
  TraceClock::time_point first_byte;  // the request's first byte was read
  std::optional<TraceClock::time_point> service_start, response_start, last_byte;
  int status = 0;                 // 0 = no response
  std::uint64_t bytes = 0;        // response bytes sent: status line, headers and body
  std::size_t on_connection = 1;  // 1 for a connection's first request (a new connection)
  std::string client_ip;
  int client_port = 0;
};

class TraceWriter {
 public:
  // Opens (truncates) `path` and writes the header line; std::invalid_argument says why not.
  explicit TraceWriter(const std::filesystem::path& path);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  void set_origin(TraceClock::time_point origin);  // time 0 of the rows; before any write
  void write(const TraceRow& row);                 // one whole line, flushed; thread-safe
  void close();                                    // later writes are dropped; idempotent

 private:
  std::mutex mutex_;
  std::FILE* file_ = nullptr;
  TraceClock::time_point origin_ = TraceClock::now();
};

// Marks of the request being served on this thread, kept by the connection thread.
void trace_mark_accept(TraceClock::time_point when);  // before the connection is served
TraceClock::time_point trace_accept_time();
void trace_mark_service_start();                                   // the handler got its worker
std::optional<TraceClock::time_point> trace_take_service_start();  // and clears it

// A task queue that stamps each accepted connection with its accept time and hands it on.
class StampingQueue : public httplib::TaskQueue {
 public:
  explicit StampingQueue(httplib::TaskQueue* inner) : inner_(inner) {}
  void enqueue(std::function<void()> fn) override;
  void shutdown() override { inner_->shutdown(); }
  void on_idle() override { inner_->on_idle(); }

 private:
  std::unique_ptr<httplib::TaskQueue> inner_;
};

}  // namespace live
