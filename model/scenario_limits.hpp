// The loader's part for retries and limits: [client] jitter, retry_on and rate_limit, [server]
// rate_limit, backlog and syn_retries. Each reader checks its keys' types and ranges and
// reports a mistake at the value's source region.
#pragma once

#include <toml++/toml.h>

#include "model/scenario.hpp"
#include "model/scenario_fields.hpp"

namespace model {

class LimitFields : public ScenarioFields {
 public:
  using ScenarioFields::ScenarioFields;

  // [client] jitter = "none" | "full" | "equal"; retry_on = [429, 503, "errors", "timeouts"].
  // `where` names the table in messages: "client" or "clients.NAME".
  void retry_keys(const toml::table& client, const std::string& where, Client& c) const;
  // [client] rate_limit = { rate = "50/s", burst = 10, per_host = false }.
  void client_limit_keys(const toml::table& client, const std::string& where, Client& c) const;
  // [server] rate_limit = { rate = "50/s", burst = 20, status = 429, retry_after = "1s" },
  // backlog = 5 (0 = unlimited), syn_retries = 6. `where` names the table in messages:
  // "server" or "host[3]".
  void server_limit_keys(const toml::table& server, const std::string& where, Server& s) const;

 private:
  RetryOn retry_on(const toml::node& n, const std::string& key) const;
  ServerRateLimit rate_limit(const toml::node& n, const std::string& server) const;
  ClientRateLimit client_rate_limit(const toml::node& n, const std::string& where) const;
  // "50/s", "3000/min", "10/h": requests per second.
  double request_rate(const toml::node& n, const std::string& where) const;
};

}  // namespace model
