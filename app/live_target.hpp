// Where a live run fetches from: the scenario's [live] url, re-based on --base-url or on the
// built-in server, started here on a free loopback port with the scenario's server settings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "live/test_server.hpp"
#include "model/scenario.hpp"
#include "model/transport.hpp"

namespace app {

struct LiveTarget {
  std::optional<live::TestServer> server;  // when started here
  std::string url_template;                // "{name}" stands for the item name
};

// Fills `target`: starts the built-in server when `start_server`, then makes the URL
// template. A bad URL is BadInput (exit 2); a server that cannot start returns false after
// saying why on stderr (`command` names who speaks).
bool open_live_target(LiveTarget& target, const std::string& command, const model::Scenario& s,
                      const std::vector<model::Job>& jobs, std::string base_url, bool start_server);

}  // namespace app
