// Which failures are retried and how long each retry waits.
#include "model/retry_policy.hpp"

#include <algorithm>

#include "model/distribution.hpp"

namespace model {

bool retry_wanted(const RetryOn& on, const AttemptResult& failed) {
  switch (failed.status) {
    case Status::timeout:
      return on.timeouts;
    case Status::error:
      // An HTTP error answer is retried when its status is listed; anything else that failed
      // (refused, reset, a body cut short or over the cap) is a connection error.
      if (failed.http_status >= 400)
        return std::find(on.statuses.begin(), on.statuses.end(), failed.http_status) !=
               on.statuses.end();
      return on.errors;
    default:
      return false;
  }
}

Duration backoff_delay(const Client& c, std::uint64_t seed, std::uint32_t download, int retry) {
  Duration b = c.backoff;
  for (int i = 0; i < retry && b < c.backoff_max; ++i)
    b *= 2;
  b = std::min(b, c.backoff_max);
  if (c.jitter == Jitter::none || b <= Duration::zero()) return b;
  // Its own stream, apart from the transport's draws of the same (download, attempt), so
  // choosing a jitter changes no RTT, service time or error of the run.
  Rng rng =
      Rng::derive(seed ^ 0xB0FF'7E57'0000'0000ull, (static_cast<std::uint64_t>(download) << 8) |
                                                       static_cast<std::uint64_t>(retry & 0xff));
  const double u = rng.uniform01();
  const auto ns = static_cast<double>(b.count());
  if (c.jitter == Jitter::full) return Duration(static_cast<Duration::rep>(u * ns));
  const Duration half = b / 2;
  return half + Duration(static_cast<Duration::rep>(u * static_cast<double>((b - half).count())));
}

Duration retry_wait(const Client& c, std::uint64_t seed, std::uint32_t download, int retry,
                    const AttemptResult& failed) {
  if (failed.retry_after) return *failed.retry_after;
  return backoff_delay(c, seed, download, retry);
}

}  // namespace model
