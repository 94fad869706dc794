#include "app/live_target.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

#include "app/command.hpp"
#include "live/curl_transport.hpp"
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
    // The built-in server speaks HTTP/1.1 only: an HTTP/2 strategy's requests go over
    // HTTP/1.1 connections (CurlOptions::http1_server).
    for (const model::Strategy& st : s.strategies) {
      if (!s.client_of(st).http2) continue;
      std::fprintf(stderr,
                   "%s: warning: strategy '%s' speaks HTTP/2, and the built-in server only "
                   "HTTP/1.1: its live requests fall back to HTTP/1.1 connections, so the "
                   "comparison is not like for like; --base-url an HTTP/2 server to measure "
                   "streams\n",
                   command.c_str(), st.name.c_str());
    }
  }
  try {
    target.url_template = live::live_url_template(s.live.url, base_url);
  } catch (const std::invalid_argument& e) {
    throw BadInput(command + ": " + e.what());
  }
  if (!start_server && target.url_template.starts_with("http://") && !live::h2c_multiplexes()) {
    for (const model::Strategy& st : s.strategies) {
      if (!s.client_of(st).http2) continue;
      std::fprintf(stderr,
                   "%s: warning: strategy '%s' speaks HTTP/2, and over http:// this libcurl (%s) "
                   "cannot reuse an HTTP/2 connection (curl issue 10634, fixed in 8.0): its "
                   "requests go over HTTP/1.1; an https:// URL negotiates HTTP/2\n",
                   command.c_str(), st.name.c_str(), curl_version_info(CURLVERSION_NOW)->version);
    }
  }
  return true;
}

}  // namespace app
