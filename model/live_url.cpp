// The `[live] url` check with libcurl's URL parser (curl_url); no transfer is made.
#include "model/live_url.hpp"

#include <curl/curl.h>
#include <memory>

namespace model {

std::string live_url_problem(std::string_view url_template) {
  // Any name the template gets is percent-encoded by live mode; a plain word stands in.
  std::string url(url_template);
  for (auto at = url.find("{name}"); at != std::string::npos; at = url.find("{name}", at))
    url.replace(at, 6, "x");
  // libcurl reads "http:///x" as the host "x"; the template's host would be empty.
  if (const auto sep = url.find("://"); sep != std::string::npos) {
    const auto after = url.substr(sep + 3, 1);
    if (after.empty() || after == "/" || after == "?" || after == "#")
      return "it has no host (nothing between :// and the path)";
  }
  const std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), &curl_url_cleanup);
  if (!u) return "libcurl could not parse it (out of memory)";
  if (const CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0); rc != CURLUE_OK)
    return std::string("libcurl refuses it: ") + curl_url_strerror(rc);
  char* host = nullptr;
  const CURLUcode hr = curl_url_get(u.get(), CURLUPART_HOST, &host, 0);
  const bool no_host = hr != CURLUE_OK || host == nullptr || host[0] == '\0';
  curl_free(host);
  if (no_host) return "it has no host";
  char* port = nullptr;
  if (curl_url_get(u.get(), CURLUPART_PORT, &port, 0) == CURLUE_OK && port != nullptr) {
    const bool zero = std::string_view(port) == "0";
    curl_free(port);
    if (zero) return "its port is 0; expected a port from 1 to 65535";
  }
  return {};
}

}  // namespace model
