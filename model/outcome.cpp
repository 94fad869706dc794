#include "model/outcome.hpp"

namespace model {

std::string_view to_string(Status s) {
  switch (s) {
    case Status::ok:
      return "ok";
    case Status::not_found:
      return "not_found";
    case Status::error:
      return "error";
    case Status::timeout:
      return "timeout";
    case Status::stalled:
      return "stalled";
    case Status::not_started:
      return "not_started";
  }
  return "?";
}

std::string_view to_string(Phase p) {
  switch (p) {
    case Phase::queued:
      return "queued";
    case Phase::rate_limit:
      return "rate_limit";
    case Phase::pool:
      return "pool";
    case Phase::connect:
      return "connect";
    case Phase::request:
      return "request";
    case Phase::server_queue:
      return "server_queue";
    case Phase::service:
      return "service";
    case Phase::transfer:
      return "transfer";
    case Phase::cpu:
      return "cpu";
    case Phase::sleep:
      return "sleep";
    case Phase::backoff:
      return "backoff";
  }
  return "?";
}

}  // namespace model
