// The test server's request trace writer and its per-thread marks (live/server_trace.hpp).
#include "live/server_trace.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace live {

namespace {

thread_local TraceClock::time_point accepted_at{};
thread_local std::optional<TraceClock::time_point> service_started;

constexpr const char* kHeader =
    "accepted,arrival,service_start,response_start,last_byte,status,bytes,request_on_connection,"
    "reused,client_ip,client_port\n";

}  // namespace

TraceWriter::TraceWriter(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw std::invalid_argument("trace file '" + path.string() +
                                "' is a directory; expected a file to write");
  }
  file_ = std::fopen(path.c_str(), "w");
  if (!file_) {
    throw std::invalid_argument("cannot open trace file '" + path.string() +
                                "' for writing: " + std::strerror(errno));
  }
  std::fputs(kHeader, file_);
  std::fflush(file_);
}

TraceWriter::~TraceWriter() {
  close();
}

void TraceWriter::set_origin(TraceClock::time_point origin) {
  std::lock_guard lock(mutex_);
  origin_ = origin;
}

void TraceWriter::write(const TraceRow& row) {
  std::lock_guard lock(mutex_);
  if (!file_) return;
  const auto at = [this](TraceClock::time_point t) {
    char text[40];
    std::snprintf(text, sizeof text, "%.6f", std::chrono::duration<double>(t - origin_).count());
    return std::string(text);
  };
  const auto maybe = [&](const std::optional<TraceClock::time_point>& t) {
    return t ? at(*t) : std::string();
  };
  std::fprintf(file_, "%s,%s,%s,%s,%s,%d,%llu,%zu,%d,%s,%d\n", at(row.accepted).c_str(),
               at(row.first_byte).c_str(), maybe(row.service_start).c_str(),
               maybe(row.response_start).c_str(), maybe(row.last_byte).c_str(), row.status,
               static_cast<unsigned long long>(row.bytes), row.on_connection,
               row.on_connection > 1 ? 1 : 0, row.client_ip.c_str(), row.client_port);
  std::fflush(file_);
}

void TraceWriter::close() {
  std::lock_guard lock(mutex_);
  if (file_) std::fclose(std::exchange(file_, nullptr));
}

void trace_mark_accept(TraceClock::time_point when) {
  accepted_at = when;
}

TraceClock::time_point trace_accept_time() {
  return accepted_at;
}

void trace_mark_service_start() {
  service_started = TraceClock::now();
}

std::optional<TraceClock::time_point> trace_take_service_start() {
  return std::exchange(service_started, std::nullopt);
}

void StampingQueue::enqueue(std::function<void()> fn) {
  inner_->enqueue([when = TraceClock::now(), fn = std::move(fn)] {
    trace_mark_accept(when);
    fn();
  });
}

}  // namespace live
