// TCP's slow start on one connection, without loss (RFC 5681 3.1; RFC 6928's initial window of
// 10 segments). A new connection may have `init_cwnd` segments of `mss` body bytes in flight;
// every acknowledged byte grows the window by a byte (so a round of full windows doubles it), up
// to `max_window` (the receive window's cap). A body is sent a window a round: the round's bytes
// cross the link at the connection's share, the next round starts when the round's first
// segment is acknowledged (its time on the link alone, then a round trip), and once a round
// takes that long or longer on the link (the window has outgrown the bandwidth-delay product)
// the rest flows at the link's share without pause. Alone on a link this is the textbook's
// latency (Kurose and Ross, "Computer Networking", 3.7: O/R + sum of the stalls
// [S/R + RTT - W S/R]+) with an initial window of init_cwnd segments.
#pragma once

#include <cstdint>

#include "model/scenario.hpp"

namespace model::tcp {

// True when bodies go through slow start: `[network] tcp` on and a round trip to wait for.
inline bool on(const Network& n, Duration rtt) {
  return n.tcp && rtt > Duration::zero();
}

std::int64_t initial_window(const Network& n);  // bytes
// The window after `acked` more bytes were acknowledged.
std::int64_t grown(const Network& n, std::int64_t window, std::int64_t acked);

// The retransmission timeout a Linux sender works out once the RTT is steady: SRTT plus
// max(4 RTTVAR, tcp_rto_min = 200 ms), so RTT + 200 ms.
Duration rto(Duration rtt);
// The window a kept-alive connection's next body starts with: the initial window again after
// an RTO without sending (RFC 5681 4.1, Linux's tcp_slow_start_after_idle) when idle_restart.
std::int64_t after_idle(const Network& n, std::int64_t window, Duration idle, Duration rtt);

// From a round's start to its first segment's acknowledgement, at `rate` body bytes a second
// (the link's whole rate: the first segment's time alone; 0 = unlimited).
Duration ack_time(const Network& n, double rate, Duration rtt);

// The body's time from its first byte on an idle link at `rate` body bytes a second (0 =
// unlimited), starting from `window`.
Duration alone(const Network& n, double rate, Duration rtt, std::int64_t bytes,
               std::int64_t window);

}  // namespace model::tcp
