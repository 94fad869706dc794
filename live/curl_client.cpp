// The client model in libcurl's terms (see curl_client.hpp).
#include "live/curl_client.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace live {
namespace {

long whole_seconds_up(sim::Duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return static_cast<long>(std::max<std::int64_t>(1, (ms + 999) / 1000));
}

long milliseconds_up(sim::Duration d) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  return static_cast<long>(std::max<std::int64_t>(1, (us + 999) / 1000));
}

}  // namespace

void set_client_limits(CURL* easy, const model::Client& c, long version) {
  // 0 restores libcurl's default (300 s to connect).
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   c.connect_timeout ? milliseconds_up(*c.connect_timeout) : 0L);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, c.read_timeout ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                   c.read_timeout ? whole_seconds_up(*c.read_timeout) : 0L);
  curl_easy_setopt(easy, CURLOPT_MAXAGE_CONN,
                   c.idle_timeout ? whole_seconds_up(*c.idle_timeout) : 118L);
  // libcurl keeps a looked-up name 60 s by default (its DNS cache); 0 looks up every time.
  curl_easy_setopt(easy, CURLOPT_DNS_CACHE_TIMEOUT, c.dns_cache ? 60L : 0L);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, version);
  // A request waits for a connection being opened to see whether it multiplexes, instead of
  // opening its own.
  curl_easy_setopt(easy, CURLOPT_PIPEWAIT, c.http2 ? 1L : 0L);
}

void set_pool_limits(CURLM* multi, const model::Client& c, int host_limit) {
  int per_host = c.max_per_host;
  if (host_limit > 0) per_host = per_host > 0 ? std::min(per_host, host_limit) : host_limit;
  // HTTP/2 streams: up to max_streams on a connection, no cap per host (as the model has it).
  curl_multi_setopt(multi, CURLMOPT_PIPELINING, c.http2 ? CURLPIPE_MULTIPLEX : CURLPIPE_NOTHING);
  if (c.http2) {
    per_host = 0;
    curl_multi_setopt(multi, CURLMOPT_MAX_CONCURRENT_STREAMS, static_cast<long>(c.max_streams));
  }
  curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(c.max_connections));
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(per_host));
  if (c.max_idle > 0) curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(c.max_idle));
}

}  // namespace live
