// The token bucket of server and client rate limits (see token_bucket.hpp).
#include "model/token_bucket.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace model {

TokenBucket::TokenBucket(double rate, int burst)
    : period_(sim::from_seconds(1.0 / rate)), tolerance_(period_ * (burst - 1)) {
  assert(rate > 0 && burst >= 1);
  if (period_ <= sim::Duration::zero()) period_ = sim::Duration(1);
  tolerance_ = period_ * (burst - 1);
}

bool TokenBucket::take(sim::Duration now) {
  if (next_due_ - now > tolerance_) return false;
  next_due_ = std::max(next_due_, now) + period_;
  return true;
}

sim::Duration TokenBucket::reserve(sim::Duration now) {
  const sim::Duration due = std::max(now, next_due_ - tolerance_);
  next_due_ = std::max(next_due_, due) + period_;
  return due;
}

}  // namespace model
