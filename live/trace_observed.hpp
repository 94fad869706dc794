// Reading the test server's request trace back (the CSV of `loiter serve --trace`) and what a
// client's run looked like from it: makespan, per-request times, most requests in flight,
// connections and their reuse, statuses, the gap between requests on a kept-alive connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/outcome.hpp"

namespace live {

// One row of the trace; times in seconds since the server started, unset when not reached.
struct TraceRecord {
  double accepted = 0;
  double arrival = 0;
  std::optional<double> service_start, response_start, last_byte;
  int status = 0;
  std::uint64_t bytes = 0;
  std::size_t request_on_connection = 1;
  bool reused = false;
  std::string client_ip;
  int client_port = 0;
};

// Reads a whole trace, header line first. Throws std::runtime_error naming the line (1-based)
// and what was wrong.
std::vector<TraceRecord> read_trace(std::istream& in);

struct ObservedRun {
  std::size_t requests = 0;              // rows
  std::size_t answered = 0;              // rows with a last byte (the rest got no whole answer)
  double makespan_s = 0;                 // first arrival to the last last byte
  double p50_s = 0, p95_s = 0;           // per-request time, arrival to last byte (nearest rank)
  int max_in_flight = 0;                 // most requests between arrival and last byte at once
  std::size_t connections = 0;           // distinct connections (client address, port, accept time)
  std::size_t reused = 0;                // requests that were not their connection's first
  std::map<int, std::size_t> by_status;  // 0 = no answer
  // Median time from one answer's last byte to the next request's arrival on the same
  // connection; unset when no connection carried two requests.
  std::optional<double> gap_p50_s;
  // The mean spacing of the requests that arrived before the first answer ended (first to
  // last over their number less one): the client's own time per request as it starts them,
  // e.g. its CPU before each under a GIL. Unset when fewer than two did.
  std::optional<double> start_spacing_s;
};

ObservedRun observe(const std::vector<TraceRecord>& rows);

// The trace as a run to draw: one lane per connection (in the order they were accepted), one
// download per request (in arrival order, named by its place on its connection: "c3 #2"),
// its phases read off the server's clock: server_queue (arrival to service start), service
// (to the first response byte), transfer (to the last byte). Times count from the first
// arrival. 2xx is ok, 404 not found, no whole answer stalled, anything else an error.
model::StrategyResult observed_result(const std::vector<TraceRecord>& rows, std::string name);

// Nearest-rank percentile (0 < p <= 1) of `values`, which it sorts; 0 when empty.
double nearest_rank(std::vector<double>& values, double p);

}  // namespace live
