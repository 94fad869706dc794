#include "live/curl_stop.hpp"

namespace live {

void LiveStop::request() {
  requested_ = true;
  std::lock_guard lock(mutex_);
  if (multi_ != nullptr) curl_multi_wakeup(multi_);
}

void LiveStop::attach(CURLM* multi) {
  std::lock_guard lock(mutex_);
  multi_ = multi;
}

}  // namespace live
