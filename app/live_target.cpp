#include "app/live_target.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

#include "app/command.hpp"
#include "live/curl_url.hpp"
#include "live/live_run.hpp"

namespace app {

bool open_live_target(LiveTarget& target, const std::string& command, const model::Scenario& s,
                      const std::vector<model::Job>& jobs, std::string base_url,
                      bool start_server) {
  // The built-in server is one host, and a live run fetches one URL template.
  if (s.hosts.size() > 1)
    throw BadInput(command + ": " + s.source_path + " has " + std::to_string(s.hosts.size()) +
                   " [[host]] tables, and live mode fetches from one host (one URL template, "
                   "one server); expected a scenario without [[host]] tables, or a one-host "
                   "copy of this one");
  if (start_server) {
    try {
      target.server.emplace(live::local_serve_options(s, jobs));
      target.server->start();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: cannot start the built-in server: %s\n", command.c_str(), e.what());
      return false;
    }
    base_url = target.server->base_url();
  }
  try {
    target.url_template = live::live_url_template(s.live.url, base_url);
  } catch (const std::invalid_argument& e) {
    throw BadInput(command + ": " + e.what());
  }
  return true;
}

}  // namespace app
