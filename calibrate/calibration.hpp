// From observed requests to the values of a scenario: each phase's samples and fit, the
// items seen, and how each value was obtained; then the scenario's TOML text.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "calibrate/fit.hpp"
#include "calibrate/observation.hpp"

namespace calibrate {

struct Options {
  std::string strategy;  // downloads.csv: the strategy to read (default: the first in the file)
  std::string name;      // the scenario's name
};

struct Phase {
  Fit fit;
  std::string from;  // what the samples are, e.g. "TCP handshakes of new connections"
};

struct Calibration {
  std::string name;
  std::vector<std::string> inputs;  // "path: format, N requests"
  std::vector<std::string> notes;   // how phases were read, what was left out
  std::size_t requests = 0, new_connections = 0;
  Phase dns, rtt, tls_rtts, server, size, throughput;
  std::size_t server_clamped = 0;                     // server times below 0 (jitter), counted as 0
  std::vector<std::pair<std::string, double>> items;  // name, bytes; empty: count + size
  std::string url_template;                           // "" when the URLs share none
  int server_workers = 0;                             // from a server trace; 0: not inferred
  std::size_t waited = 0;                             // requests that waited for a worker
};

// Throws InputError when there is nothing to calibrate from or --strategy names no strategy.
Calibration calibrate(const std::vector<Observed>& inputs, const Options& options);

// The commented scenario; it loads with `loiter check`.
std::string scenario_text(const Calibration& c);

// The values as a duration, a size and a rate the scenario loader reads ("12.5ms", "300 B").
std::string duration_text(double seconds);
std::string size_text(double bytes);
std::string rate_text(double bytes_per_second);

}  // namespace calibrate
