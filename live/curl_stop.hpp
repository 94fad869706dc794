// Stopping a live run from another thread (the SIGINT watcher): a flag the transport reads,
// and a wake-up of the transport's curl_multi_poll so it notices at once.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <mutex>

namespace live {

class LiveStop {
 public:
  // Any thread (not a signal handler): raises the flag and wakes the attached poll.
  void request();
  bool requested() const { return requested_.load(); }
  // The multi handle whose poll a request wakes (nullptr: none). Detach before cleaning it up.
  void attach(CURLM* multi);

 private:
  std::atomic<bool> requested_{false};
  std::mutex mutex_;
  CURLM* multi_ = nullptr;
};

}  // namespace live
