// A scenario: what to download, over what network, from what server, by which client,
// compared across which strategies. Plain values, resolved and validated by the loader.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/distribution.hpp"
#include "model/key_sources.hpp"
#include "sim/time.hpp"

namespace model {

using sim::Duration;

struct Item {
  std::string name;
  std::int64_t bytes = 0;
  std::uint32_t host = 0;        // index into Scenario::hosts (0 when there are none)
  std::optional<Duration> at{};  // when it is submitted (an `at` field or CSV column)
};

// When each download is handed to the strategy. `at_once`: all at t = 0. `poisson`: gaps drawn
// from an exponential of mean 1 / rate, the first at 0; `constant`: one every 1 / rate;
// `listed`: each item's own `at`. The makespan is measured from the first arrival.
struct Arrivals {
  enum class Kind { at_once, poisson, constant, listed };
  Kind kind = Kind::at_once;
  double rate = 0;  // downloads per second (poisson, constant)
};

struct Workload {
  enum class Kind { items, generated, sleeps };
  Kind kind = Kind::items;
  std::vector<Item> items;       // kind == items
  std::int64_t count = 0;        // kind == generated: this many items named "item-<n>"
  Distribution size;             // kind == generated: body size in bytes
  std::vector<Duration> sleeps;  // kind == sleeps: item i sleeps sleeps[i] (no network)
  Arrivals arrivals;
  std::size_t download_count() const;  // number of downloads
};

struct Network {
  Distribution rtt = Distribution::constant(0.0);  // seconds, sampled per connection
  double bandwidth = 0;                            // client downlink, bytes/s; 0 = unlimited
  double per_connection = 0;                       // cap per transfer, bytes/s; 0 = none
  bool tls = false;                                // https: TLS handshake on each new connection
  int tls_rtts = 1;  // round trips a TLS handshake costs (1 for TLS 1.3)
  Distribution dns = Distribution::constant(0.0);  // seconds, per new connection
  int per_host_limit = 0;  // connections to the host at once, any client's cap too; 0 = none
  // TCP over Ethernet: each segment carries `mss` bytes of body and `overhead` bytes of headers
  // on the wire (Linux on a 1500 B MTU with timestamps: 1448 + 14 Ethernet + 20 IP + 32 TCP).
  // `bandwidth` is the wire's rate, so a body gets mss / (mss + overhead) of it.
  double mss = 1448;
  double overhead = 66;
  // Slow start (model/tcp.hpp): off, bodies flow at their share of the link from the first byte.
  bool tcp = true;
  int init_cwnd = 10;                   // segments in flight on a new connection (RFC 6928)
  double max_window = 4.0 * (1 << 20);  // bytes: the receive window's cap
  bool idle_restart = true;             // back to the initial window after an RTO idle
  double goodput() const { return bandwidth * mss / (mss + overhead); }  // body bytes/s
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

// A client's own rate limit, as aiolimiter or a polite crawler's delay: a token bucket (`rate`
// a second, at most `burst` saved up, full at the start) each attempt waits on for its token
// before it asks the pool for a connection.
struct ClientRateLimit {
  double rate = 0;  // requests per second; 0 = no limit
  int burst = 1;
  bool per_host = false;  // a bucket per host, else one for every host (one host is modelled)
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

// A client: its connection pool, its timeouts, retries and CPU. `[client]` is the default;
// `[clients.NAME]` tables and bundled profiles (scenarios/clients/) are named ones.
struct Client {
  enum class WhenFull { wait, open_extra };
  bool keep_alive = false;                  // false: a new connection per request (requests.get)
  int max_connections = 0;                  // open at once, in use or idle; 0 = no limit
  int max_per_host = 0;                     // the same to one host (one host here); 0 = no limit
  int max_idle = 0;                         // kept alive after use, the rest closed; 0 = no limit
  std::optional<Duration> idle_timeout;     // a kept connection idle longer is closed; none = never
  WhenFull when_full = WhenFull::wait;      // at the cap: wait, or open one closed after use
  std::optional<Duration> connect_timeout;  // to the end of the handshakes
  std::optional<Duration> read_timeout;     // the longest silence before the answer's bytes
  std::optional<Duration> pool_timeout;     // waiting for a connection from the pool
  std::optional<Duration> timeout;          // per attempt; none = wait forever
  int retries = 0;                          // extra attempts after a failure retry_on names
  Duration backoff{std::chrono::milliseconds(100)};  // first retry delay, doubles
  Duration backoff_max{std::chrono::seconds(10)};
  Jitter jitter = Jitter::none;
  RetryOn retry_on;
  ClientRateLimit rate_limit;  // the wait for a token, before the pool
  // CPU, charged on the strategy's CPU slots (phase `cpu`): `cpu_before` per attempt before
  // its request is sent; `cpu` and `cpu_per_byte` (seconds per body byte) after an answer
  // (cpu_on = answer: every HTTP answer, 404 and 503 included; ok: successes only); `startup`
  // once per run before the first request (an interpreter and a client being created).
  enum class CpuOn { answer, ok };
  Distribution cpu = Distribution::constant(0.0);  // seconds of client CPU per answer
  Distribution cpu_before = Distribution::constant(0.0);
  CpuOn cpu_on = CpuOn::answer;
  double cpu_per_byte = 0;
  Duration startup{0};
  // Threads of a thread pool share one CPU slot, handed over every switch_interval (CPython's
  // GIL, sys.getswitchinterval()); false: they run on `cores` slots at once.
  bool gil = true;
  Duration switch_interval{std::chrono::milliseconds(5)};
  // One DNS lookup per host per run (aiohttp's and libcurl's caches): a connection opened
  // while the lookup is under way waits for it, later ones need none. false: a lookup per
  // new connection (requests, urllib3: getaddrinfo each time).
  bool dns_cache = true;
  // HTTP/2 (http = "2"): a host's requests are streams on one connection, up to max_streams at
  // once (then a second connection), with one handshake and one TCP window for all of them.
  // max_per_host and the host's per_host_limit do not apply; max_connections caps the
  // connections open across hosts (an idle one is closed to make room, as httpcore does).
  bool http2 = false;
  int max_streams = 100;
  int cores = 2;              // CPU slices at once for a process pool
  Duration thread_start{0};   // cost to start one worker thread
  Duration process_start{0};  // cost to start one worker process
};

// A host of a crawl (`[[host]]`): its own path (round trip, DNS, TLS, a cap on connections to
// it) and its own server. What a host does not set is the scenario's [network] and [server];
// the downlink (bandwidth, TCP) is the client's, shared by every host. `count` tables stand
// for that many hosts, named with {n} replaced by 1, 2, ...
struct Host {
  std::string name;
  double weight = 1;  // generated items: each lands on a host with probability weight / total
  // Its server's uplink: the most it sends over all its connections together, bytes/s on the
  // wire (the client's mss and overhead make it body bytes); 0 = no limit of its own.
  double bandwidth = 0;
  Network network;  // rtt, dns, tls, tls_rtts and per_host_limit are the host's own
  Server server;
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
  std::string client;                   // a named client (Scenario::clients); "" = [client]
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
  // [[host]] tables, resolved (each a full Network and Server); none: one host, "server",
  // with [network] and [server]. Items name their host; generated items are spread by weight.
  std::vector<Host> hosts;
  Client client;  // [client]: the default
  std::map<std::string, Client, std::less<>>
      clients;  // named: [clients.NAME] and the profiles strategies use
  std::vector<Strategy> strategies;
  Live live;
  std::string source_path;  // where it was loaded from (for messages)
  KeySources sources;       // where each key was written (for warnings)

  std::size_t host_count() const { return hosts.empty() ? 1 : hosts.size(); }
  // Host `i`'s network and server: the [[host]] table's, or [network] and [server].
  const Network& network_of(std::size_t host) const;
  const Server& server_of(std::size_t host) const;
  std::string_view host_name(std::size_t host) const;

  // The client a strategy runs with.
  const Client& client_of(const Strategy& s) const;
  Client& client_of(const Strategy& s);
};

}  // namespace model
