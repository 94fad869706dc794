// The built-in test server: cpp-httplib underneath, with FIFO workers, seeded draws for
// stalls, errors and faults, and a stop() that never waits for a stalled or idle client.
#include "live/test_server.hpp"

#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include <httplib.h>
#include <sys/socket.h>

#include "live/serve_options.hpp"
#include "live/server_accept.hpp"
#include "live/server_body.hpp"
#include "live/server_connection.hpp"
#include "live/server_content.hpp"
#include "live/server_files.hpp"
#include "live/server_gate.hpp"
#include "live/server_route.hpp"
#include "live/server_socket.hpp"
#include "live/server_stop.hpp"
#include "live/server_trace.hpp"

namespace live {

namespace {

using std::chrono::nanoseconds;
using HandlerResponse = httplib::Server::HandlerResponse;

// splitmix64: the server's own small seeded generator for its yes/no draws.
class Coin {
 public:
  explicit Coin(std::uint64_t seed) : state_(seed) {}
  bool flip(double p) { return p > 0 && uniform01() < p; }

 private:
  double uniform01() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
  }
  std::uint64_t state_;
};

// What happens to one request, drawn when it gets a worker.
struct Plan {
  bool stall = false;
  nanoseconds delay{0};
  int error_status = 0;  // 0 = none
  BodyPlan::Cut cut = BodyPlan::Cut::none;
  bool drip = false;
};

constexpr std::size_t kMaxRequestBody = 64 << 10;
constexpr std::chrono::seconds kRequestReadTimeout{10};

// The Content-Length a request announces; an unreadable one counts as too large.
std::uint64_t announced_length(const httplib::Request& req) {
  const std::string v = req.get_header_value("Content-Length");
  std::uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9' || n > (UINT64_MAX - 9) / 10) return UINT64_MAX;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v.empty() ? UINT64_MAX : n;
}

int pool_threads(const ServeOptions& o) {
  if (o.connection_threads > 0) return o.connection_threads;
  return o.workers > 0 ? o.workers + 64 : 256;
}

}  // namespace

struct TestServer::Impl {
  explicit Impl(ServeOptions o)
      : options((check_serve_options(o), std::move(o))),
        route(options.url_path),
        missing(options.missing.begin(), options.missing.end()),
        gate(options.workers),
        rate_gate(options.rate_limit.rate, options.rate_limit.burst),
        coin(options.seed) {
    if (!options.directory.empty()) files.emplace(options.directory);
    if (!options.trace.empty()) trace = std::make_unique<TraceWriter>(options.trace);
  }

  ServeOptions options;
  PathTemplate route;
  std::optional<FileRoot> files;
  std::set<std::string> missing;
  WorkerGate gate;
  RateGate rate_gate;
  StopSignal stop_signal;
  std::unique_ptr<TraceWriter> trace;

  std::mutex draw_mutex;
  Coin coin;

  std::atomic<std::uint64_t> requests{0}, stalled{0}, drips{0}, rate_limited{0};
  std::array<std::atomic<std::uint64_t>, 600> by_status{};
  BodyCounters body;

  std::mutex lifecycle;
  bool started = false, stopped = false;
  int bound_port = -1;
  std::atomic<bool> listen_done{false};
  BoundedServer http;
  std::thread listener;

  Plan draw() {
    std::lock_guard lock(draw_mutex);
    Plan plan;
    plan.stall = coin.flip(options.stall_rate);
    plan.delay = options.delay_sampler ? options.delay_sampler() : options.delay;
    for (const auto& rule : options.errors) {
      if (coin.flip(rule.rate)) {
        plan.error_status = rule.status;
        break;
      }
    }
    if (coin.flip(options.faults.reset_rate)) {
      plan.cut = BodyPlan::Cut::reset;
    } else if (coin.flip(options.faults.truncate_rate)) {
      plan.cut = BodyPlan::Cut::truncate;
    } else {
      plan.drip = coin.flip(options.faults.drip_rate);
    }
    return plan;
  }

  std::optional<std::int64_t> item_size(const std::string& name) const {
    if (const auto it = options.items.find(name); it != options.items.end()) return it->second;
    if (options.item_size) {
      if (const auto size = options.item_size(name); size && *size >= 0) return size;
    }
    return std::nullopt;
  }

  HandlerResponse answer(int status, httplib::Response& res, const std::string& text) {
    res.status = status;
    res.set_content(text, "text/plain");
    count(status);
    return HandlerResponse::Handled;
  }

  void count(int status) {
    if (status >= 0 && status < static_cast<int>(by_status.size())) by_status[status]++;
  }

  // Holds a stalled request until its client leaves, the server stops or the limit passes,
  // then drops the connection without an answer. False when the connection was not found.
  bool stall(const httplib::Request& req) {
    const auto fd =
        find_connection_socket({req.local_addr, req.local_port, req.remote_addr, req.remote_port});
    const auto limit = StopSignal::Clock::now() + options.stall_limit;
    while (StopSignal::Clock::now() < limit) {
      if (fd && peer_closed(*fd)) break;
      if (!stop_signal.sleep_until(
              std::min(limit, StopSignal::Clock::now() + std::chrono::milliseconds(20)))) {
        break;
      }
    }
    if (fd) shutdown(*fd, SHUT_RDWR);  // no answer: httplib's write fails and it closes
    return fd.has_value();
  }

  HandlerResponse send_body(httplib::Response& res, const Plan& plan, const httplib::Request& req,
                            std::uint64_t size, const std::string& type,
                            std::function<bool(std::uint64_t, std::span<char>)> fill) {
    res.status = 200;
    count(200);
    if (size == 0) {
      res.set_content("", type);
      return HandlerResponse::Handled;
    }
    BodyPlan body_plan;
    body_plan.size = size;
    body_plan.fill = std::move(fill);
    body_plan.rate = options.bandwidth;
    if (plan.drip) {
      body_plan.rate = options.faults.drip_bandwidth;
      if (req.method != "HEAD") drips++;  // HEAD sends no body to drip
    }
    body_plan.cut = plan.cut;
    body_plan.cut_offset = std::min<std::uint64_t>(
        static_cast<std::uint64_t>(options.faults.cut_at * static_cast<double>(size)), size - 1);
    body_plan.address = {req.local_addr, req.local_port, req.remote_addr, req.remote_port};
    res.set_content_provider(size, type,
                             make_body_provider(std::move(body_plan), stop_signal, body));
    return HandlerResponse::Handled;
  }

  HandlerResponse serve_file(httplib::Response& res, const Plan& plan,
                             const httplib::Request& req) {
    const auto found = files->resolve(req.path);
    if (const auto* refusal = std::get_if<FileRoot::Refusal>(&found)) {
      return *refusal == FileRoot::Refusal::bad_path ? answer(400, res, "bad path\n")
                                                     : answer(404, res, "not found\n");
    }
    const auto& file = std::get<FileRoot::File>(found);
    auto stream = std::make_shared<std::ifstream>(file.path, std::ios::binary);
    if (!*stream) return answer(404, res, "not found\n");
    return send_body(res, plan, req, file.size, content_type_for(req.path),
                     [stream](std::uint64_t offset, std::span<char> out) {
                       stream->seekg(static_cast<std::streamoff>(offset));
                       stream->read(out.data(), static_cast<std::streamsize>(out.size()));
                       return stream->gcount() == static_cast<std::streamsize>(out.size());
                     });
  }

  HandlerResponse handle(const httplib::Request& req, httplib::Response& res) {
    requests++;
    // A request with a body is answered at once and the connection closed, unread: the body
    // is never buffered (413 when it announces more than the limit).
    const bool has_body =
        req.has_header("Transfer-Encoding") ||
        (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
    if (has_body) res.set_header("Connection", "close");
    if (has_body &&
        (req.has_header("Transfer-Encoding") || announced_length(req) > kMaxRequestBody)) {
      return answer(413, res, "request body too large\n");
    }
    if (req.method != "GET" && req.method != "HEAD") {
      res.set_header("Allow", "GET, HEAD");
      return answer(405, res, "only GET and HEAD\n");
    }
    if (!rate_gate.admit()) {
      rate_limited++;
      if (const auto& after = options.rate_limit.retry_after)
        res.set_header(
            "Retry-After",
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(*after).count()));
      return answer(options.rate_limit.status, res, "over the rate limit\n");
    }
    const auto slot = gate.enter();
    if (!slot) return answer(503, res, "server stopping\n");
    if (trace) trace_mark_service_start();
    const Plan plan = draw();
    if (plan.stall) {
      stalled++;
      if (stall(req)) return HandlerResponse::Handled;
      return answer(503, res, "stalled\n");
    }
    if (plan.delay.count() > 0 && !stop_signal.sleep_for(plan.delay)) {
      return answer(503, res, "server stopping\n");
    }
    if (plan.error_status != 0) {
      return answer(plan.error_status, res,
                    "injected error " + std::to_string(plan.error_status) + "\n");
    }
    if (const auto name = route.match(req.path)) {
      if (missing.contains(*name)) return answer(404, res, "not found\n");
      if (const auto size = item_size(*name)) {
        const auto key = body_key(*name);
        return send_body(res, plan, req, static_cast<std::uint64_t>(*size),
                         content_type_for(req.path),
                         [key](std::uint64_t offset, std::span<char> out) {
                           fill_synthetic(key, offset, out);
                           return true;
                         });
      }
    }
    if (files) return serve_file(res, plan, req);
    return answer(404, res, "not found\n");
  }

  void start() {
    std::lock_guard lock(lifecycle);
    if (started) throw std::logic_error("test server: start() called twice");
    const int threads = pool_threads(options);
    // httplib owns the queue it gets from this factory (its API takes a raw pointer).
    const bool stamp = trace != nullptr;
    if (options.backlog > 0) {
      http.new_task_queue = [threads, stamp]() -> httplib::TaskQueue* {
        auto* pool = new AcceptingPool(threads);
        return stamp ? new StampingQueue(pool) : static_cast<httplib::TaskQueue*>(pool);
      };
    } else {
      http.new_task_queue = [threads, stamp]() -> httplib::TaskQueue* {
        auto* pool = new httplib::ThreadPool(static_cast<std::size_t>(threads));
        return stamp ? new StampingQueue(pool) : static_cast<httplib::TaskQueue*>(pool);
      };
    }
    if (trace) {
      trace->set_origin(TraceClock::now());
      http.trace = trace.get();
    }
    // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which would let a second
    // server share a busy port silently instead of failing.
    http.set_socket_options([](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    http.set_tcp_nodelay(true);
    // Bounded per request: only GET and HEAD are served, so any request body beyond a
    // little is refused (413, connection closed) before it is buffered; a client silent for
    // 10 s in the middle of a request is dropped, and headers get 10 s and 64 KiB in all
    // (408 or 431, closed).
    http.set_payload_max_length(kMaxRequestBody);
    http.set_read_timeout(kRequestReadTimeout);
    http.threads = threads;
    http.limits.read_timeout = kRequestReadTimeout;
    http.limits.header_time = options.header_time;
    http.limits.keep_alive_max = static_cast<std::size_t>(options.keep_alive_max_requests);
    http.limits.keep_alive_timeout = options.keep_alive_timeout;
    http.set_keep_alive_timeout(options.keep_alive_timeout.count());
    http.set_keep_alive_max_count(static_cast<std::size_t>(options.keep_alive_max_requests));
    http.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return handle(req, res); });
    if (options.port == 0) {
      bound_port = http.bind_to_any_port(options.host);
    } else if (http.bind_to_port(options.host, options.port)) {
      bound_port = options.port;
    }
    if (bound_port <= 0) {
      throw std::runtime_error("test server: cannot listen on " + options.host + ":" +
                               std::to_string(options.port) +
                               " (port in use, not allowed, or host not a local address?)");
    }
    // The packaged libcpp-httplib listens with a backlog of 5: a burst of clients would see
    // dropped SYNs and 1 s retransmits. listen() again sets the backlog asked for (else the
    // largest) on the bound socket.
    ::listen(http.listening_socket(), options.backlog > 0 ? options.backlog : SOMAXCONN);
    started = true;
    listener = std::thread([this] {
      http.listen_after_bind();
      listen_done = true;
    });
  }

  void stop() {
    std::lock_guard lock(lifecycle);
    if (!started || stopped) {
      stopped = true;
      return;
    }
    stopped = true;
    stop_signal.request();
    gate.close();
    // httplib's stop() is a no-op until its accept loop runs: wait for it (or its failure).
    while (!http.is_running() && !listen_done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    http.stop();
    // Idle keep-alive connections would hold httplib's pool for keep_alive_timeout: end them
    // (and any accepted meanwhile) until the pool has drained.
    while (!listen_done) {
      stop_reading_connections(bound_port);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    listener.join();
    if (trace) trace->close();
  }

  Stats stats() const {
    Stats s;
    s.requests = requests.load();
    s.served = http.served.load();
    for (std::size_t status = 0; status < by_status.size(); ++status) {
      if (const auto n = by_status[status].load()) s.by_status[static_cast<int>(status)] = n;
    }
    s.stalled = stalled.load();
    s.rate_limited = rate_limited.load();
    s.body_bytes = body.bytes.load();
    s.resets = body.resets.load();
    s.truncations = body.truncations.load();
    s.drips = drips.load();
    s.in_service = gate.in_service();
    s.max_in_service = gate.max_in_service();
    return s;
  }
};

TestServer::TestServer(ServeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

TestServer::~TestServer() {
  stop();
}

void TestServer::start() {
  impl_->start();
}

void TestServer::stop() {
  impl_->stop();
}

int TestServer::port() const {
  return impl_->bound_port;
}

std::string TestServer::base_url() const {
  const auto& host = impl_->options.host;
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port());
}

TestServer::Stats TestServer::stats() const {
  return impl_->stats();
}

std::uint64_t TestServer::Stats::count(int status) const {
  const auto it = by_status.find(status);
  return it == by_status.end() ? 0 : it->second;
}

}  // namespace live
