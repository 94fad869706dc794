// From a scenario to the test server's options.
#include "live/serve_options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "live/server_route.hpp"
#include "model/distribution.hpp"
#include "model/simulate.hpp"
#include "sim/time.hpp"

namespace live {

namespace {

// Streams of the scenario seed used by the server (distinct from the strategies' streams).
constexpr std::uint64_t kServiceStream = 0x5e41'0001;
constexpr std::int64_t kMaxConnectionThreads = 1024;

// The port written in an http(s) URL, or 0 when there is none.
int url_port(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return 0;
  auto authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  const auto bracket = authority.rfind(']');
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos || (bracket != std::string_view::npos && colon < bracket)) {
    return 0;
  }
  int port = 0;
  const auto digits = authority.substr(colon + 1);
  const auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (err != std::errc{} || end != digits.data() + digits.size() || port < 0 || port > 65535) {
    return 0;
  }
  return port;
}

std::function<std::chrono::nanoseconds()> service_sampler(const model::Scenario& s) {
  struct Draw {
    model::Distribution service;
    model::Rng rng;
  };
  // The server calls its sampler under its draw lock, so the generator needs no lock here.
  auto draw =
      std::make_shared<Draw>(Draw{s.server.service, model::Rng::derive(s.seed, kServiceStream)});
  return [draw] {
    return sim::from_seconds(draw->service.sample_within(draw->rng, model::kMaxDrawnSeconds));
  };
}

// The most connections the scenario's clients open at once: one per pool worker or async
// slot (an unbounded async strategy opens one per download).
std::int64_t client_connections(const model::Scenario& s) {
  std::int64_t most = 1;
  for (const auto& strategy : s.strategies) {
    switch (strategy.kind) {
      case model::Strategy::Kind::sequential:
        break;
      case model::Strategy::Kind::pool:
        most = std::max<std::int64_t>(most, strategy.workers);
        break;
      case model::Strategy::Kind::async:
        most = std::max<std::int64_t>(most,
                                      strategy.max_concurrency > 0
                                          ? strategy.max_concurrency
                                          : static_cast<std::int64_t>(s.workload.download_count()));
        break;
    }
  }
  return most;
}

}  // namespace

std::function<std::optional<std::int64_t>(std::string_view)> generated_item_sizes(
    const std::vector<model::Job>& jobs) {
  auto sizes = std::make_shared<std::vector<std::int64_t>>();
  sizes->reserve(jobs.size());
  for (const model::Job& job : jobs)
    sizes->push_back(job.bytes);
  return [sizes](std::string_view name) -> std::optional<std::int64_t> {
    constexpr std::string_view prefix = "item-";
    if (!name.starts_with(prefix)) return std::nullopt;
    const auto digits = name.substr(prefix.size());
    std::size_t n = 0;
    const auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (err != std::errc{} || end != digits.data() + digits.size() || n >= sizes->size() ||
        (digits.size() > 1 && digits.front() == '0')) {
      return std::nullopt;
    }
    return (*sizes)[n];
  };
}

ServeOptions serve_options_from(const model::Scenario& s) {
  ServeOptions o;
  o.workers = s.server.workers;
  // httplib holds a thread per open connection: enough for every client connection, so none
  // waits for a thread the model does not have (capped: beyond it, connections queue).
  o.connection_threads = static_cast<int>(std::min<std::int64_t>(
      kMaxConnectionThreads, std::max<std::int64_t>(client_connections(s), s.server.workers) + 8));
  if (s.server.service.kind() == model::Distribution::Kind::constant) {
    o.delay = sim::from_seconds(s.server.service.a());
  } else {
    o.delay_sampler = service_sampler(s);
  }
  o.errors = s.server.errors;
  o.missing = s.server.missing;
  o.stall_rate = s.server.stall_rate;
  o.rate_limit = s.server.rate_limit;
  o.backlog = s.server.backlog;
  o.bandwidth = s.network.per_connection;
  switch (s.workload.kind) {
    case model::Workload::Kind::items:
      for (const auto& item : s.workload.items)
        o.items.emplace(item.name, item.bytes);
      break;
    case model::Workload::Kind::generated:
      o.item_size = generated_item_sizes(model::make_jobs(s, s.seed));
      break;
    case model::Workload::Kind::sleeps:
      break;  // nothing to download
  }
  if (!s.live.url.empty()) {
    o.url_path = url_path_part(s.live.url);
    o.port = url_port(s.live.url);
  }
  o.seed = s.seed;
  return o;
}

namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("test server: " + what);
}

bool is_rate(double r) {
  return std::isfinite(r) && r >= 0 && r <= 1;
}

}  // namespace

void check_serve_options(const ServeOptions& o) {
  require(!o.host.empty(), "host is empty (use 127.0.0.1 for loopback)");
  require(o.port >= 0 && o.port <= 65535, "port must be 0..65535 (0 picks a free port)");
  require(o.workers >= 0, "workers must be >= 0 (0 = unlimited)");
  require(o.backlog >= 0 && o.backlog <= 65535, "backlog must be 0..65535 (0 = the largest)");
  require(o.connection_threads >= 0, "connection_threads must be >= 0 (0 = automatic)");
  require(o.keep_alive_timeout.count() >= 0, "keep_alive_timeout must be >= 0");
  require(o.keep_alive_max_requests >= 1, "keep_alive_max_requests must be >= 1");
  require(o.delay.count() >= 0, "delay must be >= 0");
  require(is_rate(o.stall_rate), "stall_rate must be a probability in [0, 1]");
  require(o.stall_limit.count() >= 0, "stall_limit must be >= 0");
  require(std::isfinite(o.bandwidth) && o.bandwidth >= 0, "bandwidth must be >= 0 bytes/s");
  const auto& limit = o.rate_limit;
  require(std::isfinite(limit.rate) && limit.rate >= 0, "rate_limit.rate must be >= 0 (0 = none)");
  require(limit.burst >= 1, "rate_limit.burst must be >= 1");
  require(limit.status >= 400 && limit.status <= 599, "rate_limit.status must be 400..599");
  require(!limit.retry_after ||
              (limit.retry_after->count() >= 0 &&
               *limit.retry_after % std::chrono::seconds(1) == std::chrono::nanoseconds(0)),
          "rate_limit.retry_after must be whole seconds");
  for (const auto& rule : o.errors) {
    require(rule.status >= 400 && rule.status <= 599,
            "error status " + std::to_string(rule.status) + " is not an HTTP error (400..599)");
    require(is_rate(rule.rate), "error rate for status " + std::to_string(rule.status) +
                                    " must be a probability in [0, 1]");
  }
  for (const auto& [name, size] : o.items) {
    require(size >= 0, "item '" + name + "' has a negative size");
  }
  const auto& f = o.faults;
  require(is_rate(f.reset_rate) && is_rate(f.truncate_rate) && is_rate(f.drip_rate),
          "fault rates must be probabilities in [0, 1]");
  require(std::isfinite(f.drip_bandwidth) && f.drip_bandwidth > 0,
          "faults.drip_bandwidth must be > 0 bytes/s");
  require(is_rate(f.cut_at), "faults.cut_at must be a fraction in [0, 1]");
}

}  // namespace live
