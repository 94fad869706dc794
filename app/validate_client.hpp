// `loiter validate --client COMMAND --as STRATEGY`: the user's own downloader, run against the
// built-in server with its request trace on, compared with one simulated strategy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace app {

struct ClientValidateArgs {
  std::string scenario;
  std::string command;            // given to `sh -c`, "{urls}" replaced by the URL list
  std::string as;                 // the scenario's strategy the client is compared with
  std::string timeout = "10min";  // --client-timeout
  double tolerance = 0.10;
  std::optional<std::uint64_t> seed;
  std::string out;
  bool strict = false;
};

int validate_client_command(const ClientValidateArgs& a);

}  // namespace app
