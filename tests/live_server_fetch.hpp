// A tiny libcurl GET for the test server's tests: status, body, time and curl's verdict.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <string>

namespace live_test {

struct Fetched {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::string content_type;
  curl_off_t content_length = -1;
  long new_connections = 0;
  double seconds = 0;
};

using EasyHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
inline EasyHandle make_easy() {
  return EasyHandle(curl_easy_init(), &curl_easy_cleanup);
}

// GET (or HEAD) `url` on `easy`, which keeps its connection for the next call.
inline Fetched fetch_with(CURL* easy, const std::string& url,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10),
                          bool head = false) {
  Fetched out;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);  // send "/../" as written
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_NOBODY, head ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(
      easy, CURLOPT_WRITEFUNCTION, +[](char* data, std::size_t size, std::size_t n, void* user) {
        static_cast<std::string*>(user)->append(data, size * n);
        return size * n;
      });
  const auto start = std::chrono::steady_clock::now();
  out.code = curl_easy_perform(easy);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &out.status);
  curl_easy_getinfo(easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &out.content_length);
  curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &out.new_connections);
  const char* type = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) {
    out.content_type = type;
  }
  return out;
}

inline Fetched fetch(const std::string& url,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10),
                     bool head = false) {
  const auto easy = make_easy();
  return fetch_with(easy.get(), url, timeout, head);
}

}  // namespace live_test
