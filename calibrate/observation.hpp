// One observed request, whatever recorded it (loiter's downloads.csv, a HAR file, curl -w):
// the phases a scenario models, in seconds, each negative when the input does not have it.
#pragma once

#include <string>
#include <vector>

namespace calibrate {

struct Observation {
  std::string where;     // "file:line" (or "file: log.entries[i]"), for messages
  std::string strategy;  // downloads.csv: the strategy the request belongs to
  std::string name;      // item name (last URL path segment, or the download's name); may be empty
  bool new_connection = false;  // dns/tcp/tls below belong to a connection opened for it
  double dns = -1;              // name lookup
  double tcp = -1;              // TCP handshake: one round trip (connect - dns)
  double tls = -1;              // TLS handshake
  double wait = -1;             // request sent to first byte: server time + one round trip
  double wait_rtts = 1;         // round trips `wait` holds besides the server's time
  double receive = -1;          // first byte to last byte
  double receive_rtts = 0;      // round trips `receive` holds besides the body's time
  std::string url;              // as requested, when the input has it
  double bytes = -1;            // body bytes
};

// What a reader found in one input.
struct Observed {
  std::string format;  // "loiter downloads.csv", "HAR 1.2", "curl -w %{json}", "curl -w key=value"
  std::string path;
  std::vector<Observation> requests;
  std::vector<std::string> notes;  // how phases were taken from this format, for the comments
  // A server's trace: the most requests holding a worker at once, seen while others waited
  // for one (0: no request waited, so the workers were never all busy); how many waited.
  int server_workers = 0;
  std::size_t waited = 0;
};

}  // namespace calibrate
