#include "app/live_target.hpp"

#include <cstdio>
#include <stdexcept>

#include "app/command.hpp"
#include "live/curl_url.hpp"
#include "live/live_run.hpp"

namespace app {

bool open_live_target(LiveTarget& target, const std::string& command, const model::Scenario& s,
                      const std::vector<model::Job>& jobs, std::string base_url,
                      bool start_server) {
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
