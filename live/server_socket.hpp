// Raw-socket helpers for the test server's stalls and faults. cpp-httplib 0.11 does not hand
// handlers their socket, so a connection's socket is found by its two addresses.
#pragma once

#include <optional>
#include <string>

namespace live {

struct ConnectionAddress {
  std::string local_addr;  // the server's side, as httplib::Request reports it
  int local_port = -1;
  std::string remote_addr;  // the client's side
  int remote_port = -1;
};

// The descriptor of this process's TCP socket with exactly these two ends (Linux: scans
// /proc/self/fd). Only the thread serving the connection may use the result: it owns it.
std::optional<int> find_connection_socket(const ConnectionAddress& address);

// True when the peer has closed or reset its side (poll, no wait).
bool peer_closed(int fd);

// Aborts the connection with a TCP RST (SO_LINGER 0 + disconnect). The descriptor stays open
// (and unconnected) so its owner may still close it as usual.
void reset_connection(int fd);

// Stops reading on every connection this process accepted on local `port` (shutdown SHUT_RD):
// idle keep-alive connections end at once, responses being written still finish.
void stop_reading_connections(int port);

}  // namespace live
