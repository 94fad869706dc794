// The loader's part for the path and the far end: [network], [server] and the [[host]]
// tables of a crawl, each host a [network] and a [server] of its own on top of the defaults.
#pragma once

#include <string>
#include <vector>

#include <toml++/toml.h>

#include "model/scenario.hpp"
#include "model/scenario_fields.hpp"

namespace model {

class NetworkFields : public ScenarioFields {
 public:
  using ScenarioFields::ScenarioFields;

  // [network] over `base`; `where` names the table in messages ("network").
  Network network(const toml::table& t, Network base, const std::string& where) const;
  // [server] over `base`; missing names must be items of `w`.
  Server server(const toml::table& t, const Workload& w, Server base,
                const std::string& where) const;
  // The names of the [[host]] tables (a `count` table stands for count names), in order,
  // so that items can name their host before the hosts are read in full.
  std::vector<std::string> host_names(const toml::node& hosts) const;
  // The [[host]] tables in full, each over [network] and [server].
  std::vector<Host> hosts(const toml::node& hosts, const Network& network, const Server& server,
                          const Workload& w) const;

 private:
  // The keys of each table that are given, without checking for unknown ones.
  void network_keys(const toml::table& t, const std::string& where, Network& n) const;
  void server_keys(const toml::table& t, const Workload& w, const std::string& where,
                   Server& s) const;
};

}  // namespace model
