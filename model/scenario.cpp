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
