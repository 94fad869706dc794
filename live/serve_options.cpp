// From a scenario to the test server's options.
#include "live/serve_options.hpp"

#include <algorithm>
#include <charconv>
#include <memory>
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

}  // namespace live
