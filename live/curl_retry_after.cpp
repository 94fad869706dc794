// The Retry-After header of a finished libcurl transfer.
#include <curl/curl.h>

#include <chrono>

#include "live/curl_transport.hpp"

namespace live {

std::optional<sim::Duration> retry_after_of(CURL* easy) {
  // Presence first: CURLINFO_RETRY_AFTER gives 0 both for "Retry-After: 0" and for no header.
  curl_header* header = nullptr;
  if (curl_easy_header(easy, "Retry-After", 0, CURLH_HEADER, -1, &header) != CURLHE_OK)
    return std::nullopt;
  curl_off_t seconds = 0;
  if (curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &seconds) != CURLE_OK || seconds < 0)
    return std::nullopt;
  // At most a day: a server's header cannot park a run for longer.
  constexpr curl_off_t kLongest = 24 * 3600;
  return std::chrono::seconds(seconds < kLongest ? seconds : kLongest);
}

}  // namespace live
