// A scenario's server, run for real: maps model::Scenario (server knobs, workload items, the
// [live] url) to the test server's options.
#pragma once

#include "live/test_server.hpp"
#include "model/scenario.hpp"
#include "model/transport.hpp"

namespace live {

// Server workers, service-time distribution (drawn per request, seeded from the scenario
// seed), error rules, missing names, stall rate; the network's per-connection cap as the
// bandwidth cap; the workload's items (generated ones as "item-<n>", n from 0); the [live]
// url's path as the URL shape and its port (loopback host always; 0 when the url has no port);
// connection threads for the most connections its strategies open at once (up to 1024).
// Callers may override host and port afterwards (`loiter validate` uses port 0).
ServeOptions serve_options_from(const model::Scenario& scenario);

// Refuses options the server cannot run with (std::invalid_argument, "test server: ...").
void check_serve_options(const ServeOptions& o);

// The sizes of generated items ("item-<n>") as the simulation drew them in `jobs`, so live
// downloads compare with simulated ones download by download.
std::function<std::optional<std::int64_t>(std::string_view)> generated_item_sizes(
    const std::vector<model::Job>& jobs);

}  // namespace live
