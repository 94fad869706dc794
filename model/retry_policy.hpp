// Retries as HTTP client libraries do them: which failed attempts are retried (retry_on), how
// long the wait before the next one is (exponential backoff with jitter, drawn per download
// and attempt from the run seed), and the server's Retry-After taking the backoff's place.
#pragma once

#include <cstdint>

#include "model/scenario.hpp"
#include "model/transport.hpp"

namespace model {

// True when the client's retry_on names this failure: an HTTP error status listed, a
// connection error ("errors": no answer or a cut body) or a timeout ("timeouts").
bool retry_wanted(const RetryOn& on, const AttemptResult& failed);

// The exponential backoff before retry number `retry` (0-based): backoff * 2^retry, at most
// backoff_max, spread by the client's jitter with a draw keyed by (seed, download, retry), so
// every strategy and every sweep point sees the same waits.
Duration backoff_delay(const Client& c, std::uint64_t seed, std::uint32_t download, int retry);

// The wait before retrying `failed`: the server's Retry-After when it sent one (honoured
// exactly, as urllib3 does), else backoff_delay.
Duration retry_wait(const Client& c, std::uint64_t seed, std::uint32_t download, int retry,
                    const AttemptResult& failed);

}  // namespace model
