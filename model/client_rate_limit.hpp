// A client's rate limit at run time: token buckets keyed by host (one key for every host when
// per_host is false), each attempt reserving its token and waiting until it is due.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "model/scenario.hpp"
#include "model/token_bucket.hpp"

namespace model {

class ClientRateLimiter {
 public:
  explicit ClientRateLimiter(const ClientRateLimit& limit) : limit_(limit) {}

  bool active() const { return limit_.rate > 0; }
  // How long an attempt made at `now` (time since the run began, never going back) to `host`
  // waits for its token, the token reserved; zero without a limit.
  Duration wait(sim::Time now, std::string_view host);

 private:
  ClientRateLimit limit_;
  std::map<std::string, TokenBucket, std::less<>> buckets_;
};

// "example.com:8080" of "https://example.com:8080/path"; the whole text when it has no "://".
std::string_view host_of(std::string_view url);

}  // namespace model
