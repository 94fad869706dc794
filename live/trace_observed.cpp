// The server trace read back and summarised (live/trace_observed.hpp).
#include "live/trace_observed.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <utility>

#include <fmt/format.h>

namespace live {

namespace {

constexpr std::string_view kHeader =
    "accepted,arrival,service_start,response_start,last_byte,status,bytes,request_on_connection,"
    "reused,client_ip,client_port";
constexpr std::size_t kColumns = 11;

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t from = 0;
  for (;;) {
    const std::size_t comma = line.find(',', from);
    out.push_back(line.substr(from, comma == std::string_view::npos ? comma : comma - from));
    if (comma == std::string_view::npos) return out;
    from = comma + 1;
  }
}

template <typename T>
T number(std::string_view field, const char* column, std::size_t line) {
  T value{};
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc() || end != field.data() + field.size() || field.empty()) {
    throw std::runtime_error(
        fmt::format("trace line {}: {} '{}' is not a number", line, column, field));
  }
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(value))
      throw std::runtime_error(fmt::format("trace line {}: {} is not finite", line, column));
  }
  return value;
}

std::optional<double> maybe_time(std::string_view field, const char* column, std::size_t line) {
  if (field.empty()) return std::nullopt;
  return number<double>(field, column, line);
}

}  // namespace

std::vector<TraceRecord> read_trace(std::istream& in) {
  std::vector<TraceRecord> rows;
  std::string text;
  std::size_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (line == 1) {
      if (text != kHeader)
        throw std::runtime_error(fmt::format("trace line 1: expected the header '{}'", kHeader));
      continue;
    }
    if (text.empty()) continue;
    const std::vector<std::string_view> f = split(text);
    if (f.size() != kColumns) {
      throw std::runtime_error(
          fmt::format("trace line {}: {} fields; expected {}", line, f.size(), kColumns));
    }
    TraceRecord r;
    r.accepted = number<double>(f[0], "accepted", line);
    r.arrival = number<double>(f[1], "arrival", line);
    r.service_start = maybe_time(f[2], "service_start", line);
    r.response_start = maybe_time(f[3], "response_start", line);
    r.last_byte = maybe_time(f[4], "last_byte", line);
    r.status = number<int>(f[5], "status", line);
    r.bytes = number<std::uint64_t>(f[6], "bytes", line);
    r.request_on_connection = number<std::size_t>(f[7], "request_on_connection", line);
    r.reused = number<int>(f[8], "reused", line) != 0;
    r.client_ip = std::string(f[9]);
    r.client_port = number<int>(f[10], "client_port", line);
    rows.push_back(std::move(r));
  }
  return rows;
}

double nearest_rank(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

ObservedRun observe(const std::vector<TraceRecord>& rows) {
  ObservedRun o;
  o.requests = rows.size();
  std::vector<double> times;
  // +1 at an arrival, -1 at a last byte; at one instant the ends come first, so a request
  // arriving as another's last byte leaves is not counted as overlapping it.
  std::vector<std::pair<double, int>> edges;
  double first = INFINITY, last = -INFINITY;
  using Connection = std::tuple<std::string, int, double>;
  std::map<Connection, std::vector<const TraceRecord*>> connections;
  for (const TraceRecord& r : rows) {
    ++o.by_status[r.status];
    if (r.reused) ++o.reused;
    connections[{r.client_ip, r.client_port, r.accepted}].push_back(&r);
    first = std::min(first, r.arrival);
    if (!r.last_byte) continue;
    ++o.answered;
    last = std::max(last, *r.last_byte);
    times.push_back(*r.last_byte - r.arrival);
    edges.emplace_back(r.arrival, +1);
    edges.emplace_back(*r.last_byte, -1);
  }
  o.connections = connections.size();
  if (o.answered > 0) o.makespan_s = std::max(0.0, last - first);
  o.p50_s = nearest_rank(times, 0.50);
  o.p95_s = nearest_rank(times, 0.95);
  std::sort(edges.begin(), edges.end());
  int now = 0;
  for (const auto& [at, step] : edges) {
    now += step;
    o.max_in_flight = std::max(o.max_in_flight, now);
  }
  std::vector<double> gaps;
  for (auto& [key, on] : connections) {
    std::sort(on.begin(), on.end(), [](const TraceRecord* a, const TraceRecord* b) {
      return a->request_on_connection < b->request_on_connection;
    });
    for (std::size_t i = 1; i < on.size(); ++i) {
      if (on[i - 1]->last_byte)
        gaps.push_back(std::max(0.0, on[i]->arrival - *on[i - 1]->last_byte));
    }
  }
  if (!gaps.empty()) o.gap_p50_s = nearest_rank(gaps, 0.50);
  double first_answer = INFINITY;
  for (const TraceRecord& r : rows)
    if (r.last_byte) first_answer = std::min(first_answer, *r.last_byte);
  std::vector<double> early;
  for (const TraceRecord& r : rows)
    if (r.arrival < first_answer) early.push_back(r.arrival);
  if (early.size() >= 2) {
    const auto [lo, hi] = std::minmax_element(early.begin(), early.end());
    o.start_spacing_s = (*hi - *lo) / static_cast<double>(early.size() - 1);
  }
  return o;
}

model::StrategyResult observed_result(const std::vector<TraceRecord>& rows, std::string name) {
  using model::Phase;
  model::StrategyResult r;
  r.name = std::move(name);
  r.kind = "observed";
  r.live = true;
  std::vector<const TraceRecord*> order;
  for (const TraceRecord& row : rows)
    order.push_back(&row);
  std::stable_sort(order.begin(), order.end(), [](const TraceRecord* a, const TraceRecord* b) {
    return a->arrival < b->arrival;
  });
  // Connections numbered by accept time (then address): the lanes.
  using Connection = std::tuple<double, std::string, int>;
  std::map<Connection, int> lanes;
  for (const TraceRecord& row : rows)
    lanes.emplace(Connection{row.accepted, row.client_ip, row.client_port}, 0);
  int lane = 0;
  for (auto& [key, index] : lanes)
    index = lane++;
  r.lanes = std::max(1, lane);
  r.detail =
      fmt::format("what the server saw: {} {}", lane, lane == 1 ? "connection" : "connections");
  const double origin = order.empty() ? 0.0 : order.front()->arrival;
  const auto at = [&](double s) { return sim::from_seconds(std::max(0.0, s - origin)); };
  sim::Time last{0};
  for (std::size_t i = 0; i < order.size(); ++i) {
    const TraceRecord& row = *order[i];
    model::Outcome o;
    o.id = static_cast<std::uint32_t>(i);
    o.lane = lanes.at({row.accepted, row.client_ip, row.client_port});
    o.name = fmt::format("c{} #{}", o.lane, row.request_on_connection);
    o.http_status = row.status;
    o.status = !row.last_byte                          ? model::Status::stalled
               : row.status >= 200 && row.status < 300 ? model::Status::ok
               : row.status == 404                     ? model::Status::not_found
                                                       : model::Status::error;
    o.attempts = 1;
    o.bytes = static_cast<std::int64_t>(row.bytes);
    o.submitted = o.start = at(row.arrival);
    // Each phase runs to the next moment the server reached; one not reached is left out.
    const std::optional<double> marks[] = {row.service_start, row.response_start, row.last_byte};
    const Phase phases[] = {Phase::server_queue, Phase::service, Phase::transfer};
    o.span_begin = static_cast<std::uint32_t>(r.spans.size());
    sim::Time from = o.start;
    for (int k = 0; k < 3; ++k) {
      if (!marks[k]) continue;
      const sim::Time to = std::max(from, at(*marks[k]));
      if (to > from) r.spans.push_back({o.id, 0, phases[k], from, to});
      from = to;
    }
    o.span_count = static_cast<std::uint32_t>(r.spans.size()) - o.span_begin;
    o.end = o.consumed = from;
    last = std::max(last, o.end);
    ++r.summary.counts[static_cast<std::size_t>(o.status)];
    r.downloads.push_back(std::move(o));
  }
  r.summary.makespan = last;
  return r;
}

}  // namespace live
