// The client's rate limiter (see client_rate_limit.hpp).
#include "model/client_rate_limit.hpp"

namespace model {

Duration ClientRateLimiter::wait(sim::Time now, std::string_view host) {
  if (!active()) return Duration::zero();
  const std::string_view key = limit_.per_host ? host : std::string_view{};
  auto it = buckets_.find(key);
  if (it == buckets_.end())
    it = buckets_.emplace(std::string(key), TokenBucket(limit_.rate, limit_.burst)).first;
  return it->second.reserve(now) - now;
}

std::string_view host_of(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return url;
  url.remove_prefix(scheme + 3);
  return url.substr(0, url.find_first_of("/?#"));
}

}  // namespace model
