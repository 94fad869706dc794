// Small member functions of the scenario value types.
#include "model/scenario.hpp"

namespace model {

std::size_t Workload::download_count() const {
  switch (kind) {
    case Kind::items:
      return items.size();
    case Kind::generated:
      return count > 0 ? static_cast<std::size_t>(count) : 0;
    case Kind::sleeps:
      return sleeps.size();
  }
  return 0;
}

const Network& Scenario::network_of(std::size_t host) const {
  return host < hosts.size() ? hosts[host].network : network;
}

const Server& Scenario::server_of(std::size_t host) const {
  return host < hosts.size() ? hosts[host].server : server;
}

std::string_view Scenario::host_name(std::size_t host) const {
  return host < hosts.size() ? std::string_view(hosts[host].name) : std::string_view("server");
}

// The loader resolves every strategy's client, so a name is always found; a scenario built in
// code that names no client gets the default.
const Client& Scenario::client_of(const Strategy& s) const {
  if (s.client.empty()) return client;
  const auto it = clients.find(s.client);
  return it != clients.end() ? it->second : client;
}

Client& Scenario::client_of(const Strategy& s) {
  if (s.client.empty()) return client;
  const auto it = clients.find(s.client);
  return it != clients.end() ? it->second : client;
}

}  // namespace model
