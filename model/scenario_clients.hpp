// Reading clients: the connection pool and timeout keys of a client table ([client],
// [clients.NAME] or a bundled profile), the named clients, and the bundled library profiles
// of scenarios/clients/ that a strategy may name (`client = "httpx"`).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>

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
    "keep_alive", "max_connections", "max_per_host", "max_idle",     "idle_timeout",
    "when_full",  "connect_timeout", "read_timeout", "pool_timeout", "dns_cache"};

class ClientFields : public ScenarioFields {
 public:
  using ScenarioFields::ScenarioFields;

  // The pool and timeout keys of `t` into `c`; `where` names the table ("client",
  // "clients.httpx") in messages.
  void pool_and_timeouts(const toml::table& t, const std::string& where, Client& c) const;
  // http ("1.1" or "2") and max_streams, and what HTTP/2 rules out (keep_alive = false,
  // when_full = "open_extra").
  void http_version(const toml::table& t, const std::string& where, Client& c) const;
  // cpu_before, cpu_on, cpu_per_byte, startup, gil and switch_interval.
  void cpu_keys(const toml::table& t, const std::string& where, Client& c) const;
  // A duration above zero, or "none" (no limit): the timeouts.
  std::optional<Duration> limit(const toml::node& n, const std::string& where) const;
};

// The client tables beyond [client]: [clients.NAME] and the bundled profiles strategies name.
// `read` is the loader's reader of one client table (all of [client]'s keys), for the file
// `file`, on top of `base`.
class ClientTables : public ScenarioFields {
 public:
  using Named = std::map<std::string, Client, std::less<>>;
  using Read = std::function<Client(const toml::table& t, const std::string& where,
                                    const std::string& file, const Client& base)>;
  ClientTables(std::string path, std::filesystem::path base_dir, Read read)
      : ScenarioFields(std::move(path), std::move(base_dir)), read_(std::move(read)) {}

  // [clients.NAME] tables, each on top of `base` (the scenario's [client]), or of the bundled
  // profile it names with `profile = "NAME"`.
  Named named(const toml::node& n, const Client& base) const;
  // Each strategy's `client` names a [clients.NAME] table or a bundled profile, loaded into
  // s.clients; else the strategy's `client` value is refused with the names known.
  void resolve(const toml::node& strategies, Scenario& s) const;

 private:
  // The bundled profile `name` on top of `base` (keys it does not set, such as cores, come
  // from the scenario's [client]); false when there is none.
  bool profile(const std::string& name, const Client& base, Client& out) const;
  Read read_;
};

// The bundled profile named `name`, or null.
const BundledProfile* find_profile(std::string_view name);

// The names of the bundled profiles, in order: "aiohttp, curl-parallel, ...".
std::string bundled_profile_names();

}  // namespace model
