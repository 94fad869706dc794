// A token bucket in integer nanoseconds (the generic cell rate algorithm): `rate` tokens a
// second, at most `burst` saved up, full at the start. The simulated server and the built-in
// test server admit requests with this same code, so their admitted times agree exactly; a
// client's rate limit reserves its tokens ahead with it, so a request waits for its own.
#pragma once

#include "sim/time.hpp"

namespace model {

class TokenBucket {
 public:
  // rate > 0 tokens per second, burst >= 1.
  TokenBucket(double rate, int burst);

  // Takes a token at `now` (time since the bucket was made, never going back) if there is one.
  bool take(sim::Duration now);
  // Reserves the next token for a request made at `now` (never going back) and returns when it
  // is due: `now` itself while the burst lasts, else one period after the token before it.
  sim::Duration reserve(sim::Duration now);
  sim::Duration period() const { return period_; }  // one token's worth of time

 private:
  sim::Duration period_;
  sim::Duration tolerance_;    // (burst - 1) periods: how far ahead of time a token may be spent
  sim::Duration next_due_{0};  // theoretical arrival time of the next conforming request
};

}  // namespace model
