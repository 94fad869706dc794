// Reading clients: the connection pool and timeout keys of a client table ([client],
// [clients.NAME] or a bundled profile), the named clients, and the bundled library profiles
// of scenarios/clients/ that a strategy may name (`client = "httpx"`).
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "model/scenario.hpp"
#include "model/scenario_fields.hpp"

namespace model {

// A profile compiled in from scenarios/clients/NAME.toml (client_profiles_data.cpp).
struct BundledProfile {
  std::string_view name;  // "httpx"
  std::string_view toml;  // the file's text
};
std::span<const BundledProfile> bundled_profiles();

// The keys every client table may have besides those of the original [client]: keep_alive,
// the pool, the timeouts (and, in [clients.NAME], `profile`).
inline constexpr std::string_view kClientPoolKeys[] = {
    "keep_alive", "max_connections", "max_per_host", "max_idle",    "idle_timeout",
    "when_full",  "connect_timeout", "read_timeout", "pool_timeout"};

class ClientFields : public ScenarioFields {
 public:
  using ScenarioFields::ScenarioFields;

  // The pool and timeout keys of `t` into `c`; `where` names the table ("client",
  // "clients.httpx") in messages.
  void pool_and_timeouts(const toml::table& t, const std::string& where, Client& c) const;
  // A duration above zero, or "none" (no limit): the timeouts.
  std::optional<Duration> limit(const toml::node& n, const std::string& where) const;
};

// The bundled profile named `name`, or null.
const BundledProfile* find_profile(std::string_view name);

// The names of the bundled profiles, in order: "aiohttp, curl-parallel, ...".
std::string bundled_profile_names();

}  // namespace model
