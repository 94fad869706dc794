// The client model in libcurl's terms: what of a scenario client's pool and timeouts libcurl
// can do (connect timeout, a low-speed limit for the read timeout, the connection caps and
// cache, the idle age of a reused connection), set on the easy and multi handles.
#pragma once

#include <curl/curl.h>

#include "model/scenario.hpp"

namespace live {

// On each transfer: CURLOPT_CONNECTTIMEOUT_MS from connect_timeout; CURLOPT_LOW_SPEED_LIMIT
// of 1 byte/s for CURLOPT_LOW_SPEED_TIME from read_timeout (whole seconds, rounded up: a
// silence that long aborts the transfer, a slow drip does not); CURLOPT_MAXAGE_CONN from
// idle_timeout (whole seconds, rounded up). Unset ones get libcurl's defaults back.
// CURLOPT_HTTP_VERSION is `version` (see http_version in curl_transport.cpp); HTTP/2 also
// sets CURLOPT_PIPEWAIT.
void set_client_limits(CURL* easy, const model::Client& c, long version);

// On the multi handle: CURLMOPT_MAX_TOTAL_CONNECTIONS from max_connections,
// CURLMOPT_MAX_HOST_CONNECTIONS from the smaller of max_per_host and `host_limit`
// (network.per_host_limit), CURLMOPT_MAXCONNECTS (the cache of idle connections) from
// max_idle. At a cap libcurl queues the transfer until a connection frees, as
// when_full = "wait" does; it cannot open extra connections over it ("open_extra" runs as
// "wait"), and it has no limit on that wait (pool_timeout is not applied; `timeout` still
// bounds the whole attempt).
void set_pool_limits(CURLM* multi, const model::Client& c, int host_limit);

}  // namespace live
