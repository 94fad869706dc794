// A scenario: what to download, over what network, from what server, by which client,
// compared across which strategies. Plain values, resolved and validated by the loader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/distribution.hpp"
#include "model/key_sources.hpp"
#include "sim/time.hpp"

namespace model {

using sim::Duration;

struct Item {
  std::string name;
  std::int64_t bytes = 0;
};

struct Workload {
  enum class Kind { items, generated, sleeps };
  Kind kind = Kind::items;
  std::vector<Item> items;             // kind == items
  std::int64_t count = 0;              // kind == generated: this many items named "item-<n>"
  Distribution size;                   // kind == generated: body size in bytes
  std::vector<Duration> sleeps;        // kind == sleeps: item i sleeps sleeps[i] (no network)
  std::size_t download_count() const;  // number of downloads
};

struct Network {
  Distribution rtt = Distribution::constant(0.0);  // seconds, sampled per connection
  double bandwidth = 0;                            // client downlink, bytes/s; 0 = unlimited
  double per_connection = 0;                       // cap per transfer, bytes/s; 0 = none
  bool keep_alive = false;  // false: a new connection per request (requests.get)
  bool tls = false;         // https: TLS handshake on each new connection
  int tls_rtts = 1;         // round trips a TLS handshake costs (1 for TLS 1.3)
  Distribution dns = Distribution::constant(0.0);  // seconds, per new connection
  int per_host_limit = 0;  // simultaneous connections to the host; 0 = no limit
};

struct ErrorRule {
  int status = 500;  // HTTP status the server answers with
  double rate = 0;   // probability per request
};

// A token bucket: `rate` tokens a second, at most `burst` saved up (full at the start); a
// request that finds no token is answered at once with `status` and a Retry-After header.
struct ServerRateLimit {
  double rate = 0;  // requests per second; 0 = no limit
  int burst = 1;
  int status = 429;
  std::optional<Duration> retry_after;  // whole seconds; none: no header
};

struct Server {
  int workers = 0;                                     // concurrent requests served; 0 = unlimited
  Distribution service = Distribution::constant(0.0);  // seconds per request
  std::vector<ErrorRule> errors;                       // independent draws in order; first hit wins
  std::vector<std::string> missing;                    // item names answered with 404
  double stall_rate = 0;                               // probability a request never gets an answer
  ServerRateLimit rate_limit;
  // Connections waiting to be accepted (listen()'s backlog; Linux queues backlog + 1); a SYN
  // that finds the queue full is dropped and retried after 1 s, 2 s, 4 s... 0 = unlimited.
  int backlog = 0;
  int syn_retries = 6;  // net.ipv4.tcp_syn_retries: then connect() fails (127 s in all for 6)
};

// How a retry's backoff is spread (the AWS "Exponential Backoff And Jitter" forms, as urllib3
// and botocore use them), b being the exponential backoff: none waits b, full a uniform draw
// in [0, b), equal b/2 plus a uniform draw in [0, b/2).
enum class Jitter { none, full, equal };

// Which failed attempts are retried: HTTP error statuses listed, connection errors (no
// answer, a cut body) and timeouts. Written retry_on = [429, 503, "errors", "timeouts"].
struct RetryOn {
  std::vector<int> statuses{429, 500, 502, 503, 504};
  bool errors = true;
  bool timeouts = true;
};

struct Client {
  std::optional<Duration> timeout;  // per attempt; none = wait forever
  int retries = 0;                  // extra attempts after a failure retry_on names
  Duration backoff{std::chrono::milliseconds(100)};  // first retry delay, doubles
  Duration backoff_max{std::chrono::seconds(10)};
  Jitter jitter = Jitter::none;
  RetryOn retry_on;
  Distribution cpu = Distribution::constant(0.0);  // seconds of client CPU per download
  int cores = 2;                                   // CPU slices at once for a process pool
  Duration thread_start{0};                        // cost to start one worker thread
  Duration process_start{0};                       // cost to start one worker process
};

struct Strategy {
  enum class Kind { sequential, pool, async };
  enum class PoolKind { thread, process };
  enum class Consume { in_order, as_completed };
  std::string name;
  Kind kind = Kind::sequential;
  int workers = 1;  // pool
  PoolKind pool_kind = PoolKind::thread;
  Consume consume = Consume::in_order;  // pool
  int max_concurrency = 0;              // async; 0 = unlimited (one task per download)
};

struct Live {
  std::string url;  // template, "{name}" replaced by the item name
};

struct Scenario {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  Workload workload;
  Network network;
  Server server;
  Client client;
  std::vector<Strategy> strategies;
  Live live;
  std::string source_path;  // where it was loaded from (for messages)
  KeySources sources;       // where each key was written (for warnings)
};

}  // namespace model
