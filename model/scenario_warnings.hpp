// Warnings: settings a scenario may legally have but that are probably not what was meant
// (a timeout no attempt can meet, a stall with nothing to end it, lanes with nothing to do),
// each at the place the key was written: "path:line:col: warning: ..." or "--set K=V: warning:
// ...".
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace model {

struct Warning {
  std::string where;    // "flags.toml:12:13", "--set client.timeout=1ms"
  std::string message;  // what is suspicious and what to write instead
  // Only a simulation is affected (a live run measures its phases, whatever the file says).
  bool simulated_only = false;
  std::string text() const { return where + ": warning: " + message; }
};

// The warnings of a loaded (and possibly --set) scenario, in a stable order.
std::vector<Warning> scenario_warnings(const Scenario& s);

// The least time one attempt can take, in seconds, over a kept-alive connection when
// `reused` (request, first byte, service) and else over a new one (DNS, TCP and TLS handshakes
// too), each at the smallest value its distribution can draw.
double least_attempt_seconds(const Scenario& s, bool reused);

}  // namespace model
