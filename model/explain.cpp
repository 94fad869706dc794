#include "model/explain.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "model/connection_pool.hpp"
#include "model/units.hpp"

namespace model {

namespace {

constexpr double kSaturated = 0.90;  // busy this much of the makespan: the resource is full
constexpr double kWaited = 0.10;     // this share of the downloads' time spent waiting for it

// The time-integral of min(slots, spans open at t) over the spans of `phase`, in seconds.
double occupied(const std::deque<PhaseSpan>& spans, Phase phase, int slots) {
  std::vector<std::pair<Time, int>> edges;
  for (const PhaseSpan& p : spans) {
    if (p.phase != phase || p.end <= p.start) continue;
    edges.emplace_back(p.start, 1);
    edges.emplace_back(p.end, -1);
  }
  std::sort(edges.begin(), edges.end());
  double total = 0;
  int open = 0;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (i > 0 && open > 0)
      total += sim::to_seconds(edges[i].first - edges[i - 1].first) * std::min(open, slots);
    open += edges[i].second;
  }
  return total;
}

std::string percent(double x) {
  return fmt::format("{:.0f}%", 100 * x);
}

// Words for a constraint's evidence: "4 workers busy 99%" (the lanes: "busy 99%"), then the
// wait when there was one: "downloads waited 30% of their time for it".
std::string evidence(const Constraint& k, const char* what) {
  std::string out;
  if (k.busy >= 0)
    out = (k.name == "lanes" ? std::string() : k.capacity + " ") + "busy " + percent(k.busy);
  if (k.waiting >= 0.005) {
    if (!out.empty()) out += "; ";
    out += fmt::format("downloads waited {} of their time for {}", percent(k.waiting), what);
  }
  return out.empty() ? k.capacity : out;
}

}  // namespace

Explanation explain(const Scenario& s, const Client& c, const StrategyPlan& plan,
                    const StrategyResult& r) {
  Explanation e;
  const double makespan = sim::to_seconds(r.summary.makespan);
  const Tally& t = r.tally;
  if (t.downloads == 0 || makespan <= 0) {
    e.verdict = "nothing to explain: the run took no time";
    return e;
  }
  std::array<double, kPhaseCount> in_phase{};
  for (int p = 0; p < kPhaseCount; ++p)
    in_phase[static_cast<std::size_t>(p)] = r.phase_time[static_cast<std::size_t>(p)].in_seconds();
  // The downloads' time from arrival to end; bytes moved.
  const double lifetime = t.lifetime.in_seconds(), bytes = t.bytes.value();
  const auto share = [&](Phase p) {
    return lifetime > 0 ? in_phase[static_cast<int>(p)] / lifetime : 0.0;
  };

  // The lanes first: they are not "past the lanes", and they are always there.
  double lane_busy = 0;
  for (double b : r.summary.lane_busy)
    lane_busy += b;
  if (!r.summary.lane_busy.empty()) lane_busy /= static_cast<double>(r.summary.lane_busy.size());
  const char* lane_word = plan.kind == "async" ? (r.lanes == 1 ? "slot" : "slots")
                          : plan.kind == "pool" && r.detail.find("process") != std::string::npos
                              ? (r.lanes == 1 ? "process" : "processes")
                          : plan.kind == "pool" ? (r.lanes == 1 ? "thread" : "threads")
                                                : "lane";
  e.constraints.push_back(
      {"lanes", fmt::format("{} {}", r.lanes, lane_word), lane_busy, share(Phase::queued)});

  // A live run sees neither the server's workers (its wait for the first byte is all
  // `service`) nor a link of the scenario's.
  // Several hosts: their servers' workers together, when every host's are counted.
  int workers = 0;
  for (std::size_t h = 0; h < s.host_count(); ++h) {
    const int w = s.server_of(h).workers;
    workers = w > 0 && (h == 0 || workers > 0) ? workers + w : 0;
  }
  if (workers > 0 && !r.live) {
    const double busy =
        std::min(1.0, in_phase[static_cast<int>(Phase::service)] / (workers * makespan));
    e.constraints.push_back(
        {"server workers",
         s.host_count() > 1 ? fmt::format("{} workers on {} hosts", workers, s.host_count())
                            : fmt::format("{} workers", workers),
         busy, share(Phase::server_queue), Phase::service, static_cast<double>(workers)});
  }
  if (s.network.bandwidth > 0 && !r.live) {
    e.constraints.push_back({"link", format_rate(s.network.bandwidth),
                             std::min(1.0, bytes / (s.network.goodput() * makespan)), -1,
                             Phase::transfer, s.network.goodput()});
  }
  if (in_phase[static_cast<int>(Phase::cpu)] > 0) {
    const int slots = std::max(1, plan.cpu_slots);
    const double running = occupied(r.spans, Phase::cpu, slots);
    const bool gil = plan.cpu_quantum > Duration::zero();
    e.constraints.push_back(
        {"CPU",
         gil ? std::string("1 slot (the GIL)")
         : plan.kind == "async" && slots == 1
             ? std::string("1 slot (the event loop)")
             : fmt::format("{} {}", slots, slots == 1 ? "slot" : "slots"),
         std::min(1.0, running / (slots * makespan)),
         lifetime > 0 ? (in_phase[static_cast<int>(Phase::cpu)] - running) / lifetime : 0.0,
         Phase::cpu, static_cast<double>(slots)});
  }
  if (c.http2) {
    // Streams on each host's connections; max_connections across hosts.
    std::string what = fmt::format("{} streams per connection", c.max_streams);
    if (c.max_connections > 0)
      what += fmt::format(", {} connection{} in all", c.max_connections,
                          c.max_connections == 1 ? "" : "s");
    e.constraints.push_back({"client pool", what, -1, share(Phase::pool)});
  } else if (s.host_count() > 1) {
    // Each host's cap (the first host's, named as the rest are the same or noted) and
    // max_connections across them.
    const int per_host = connection_cap(c, s.network_of(0).per_host_limit);
    bool same = true;
    for (std::size_t h = 1; h < s.host_count(); ++h)
      same = same && connection_cap(c, s.network_of(h).per_host_limit) == per_host;
    const int all = c.when_full == Client::WhenFull::wait ? c.max_connections : 0;
    std::string what = !same          ? std::string("a cap per host")
                       : per_host > 0 ? fmt::format("{} per host", per_host)
                                      : std::string();
    if (all > 0) what += fmt::format("{}{} in all", what.empty() ? "" : ", ", all);
    if (!what.empty()) e.constraints.push_back({"client pool", what, -1, share(Phase::pool)});
  } else if (const int cap = connection_cap(c, s.network.per_host_limit); cap > 0) {
    e.constraints.push_back(
        {"client pool", fmt::format("{} connections", cap), -1, share(Phase::pool)});
  }
  if (c.rate_limit.rate > 0)
    e.constraints.push_back(
        {"client rate limit", format_frequency(c.rate_limit.rate), -1, share(Phase::rate_limit)});
  if (in_phase[static_cast<int>(Phase::backoff)] > 0)
    e.constraints.push_back({"retry backoff", "pauses before retries", -1, share(Phase::backoff)});

  // Past the lanes: the resource with the most evidence of being full.
  double best = 0;
  for (std::size_t i = 1; i < e.constraints.size(); ++i) {
    const Constraint& k = e.constraints[i];
    const double full = k.busy >= kSaturated ? k.busy : 0.0;
    const double waited = k.waiting >= kWaited ? k.waiting : 0.0;
    if (std::max(full, waited) > best) {
      best = std::max(full, waited);
      e.binding = static_cast<int>(i);
    }
  }
  const Constraint& lanes = e.constraints.front();
  // Without waiting for a lane the run would end when the latest download would: its arrival
  // plus its own time (from its start on a lane to its end). Waits for a lane made the run
  // longer only when it lasts more than that (1% slack).
  const double longest = sim::to_seconds(t.longest);
  const double unqueued = sim::to_seconds(t.unqueued_end - r.summary.first_arrival);
  const bool lanes_delayed = lanes.waiting > 0 && makespan > unqueued * 1.01;
  // With a lane for every download, the waits were for lanes to start (thread_start, ...).
  const bool starting = r.lanes >= t.downloads && plan.lane_start > Duration::zero();
  if (e.binding > 0) {
    const Constraint& k = e.constraints[static_cast<std::size_t>(e.binding)];
    e.verdict = fmt::format("bound by the {} ({}): more concurrency will not help", k.name,
                            evidence(k, "it"));
    if (k.name == "client pool" && s.host_count() > 1 && !c.http2) {
      // A crawl: the host whose downloads ended last is where the pool's cap binds.
      e.verdict = fmt::format(
          "bound by the client pool ({}; {}): {} ended last; more connections to it would help "
          "as far as its server keeps up, more in all would not",
          k.capacity, evidence(k, "it"), s.host_name(t.last_ended_host));
    }
    if (k.name == "retry backoff")
      e.verdict = fmt::format("bound by retries ({}): fewer failures or shorter backoff would help",
                              evidence(k, "them"));
  } else if (lanes_delayed && starting) {
    e.binding = 0;
    e.verdict = fmt::format(
        "bound by starting its {} ({} each, one after another; downloads waited {} of their time "
        "for theirs): fewer or already started lanes would help",
        lanes.capacity, format_duration(plan.lane_start), percent(lanes.waiting));
  } else if (lanes_delayed) {
    e.binding = 0;
    e.verdict = fmt::format("bound by its {} ({}): more would help", lanes.capacity,
                            evidence(lanes, "one"));
  } else {
    e.verdict = fmt::format(
        "bound by the downloads' own time, nothing shared (the longest took {:.3f} s; {} busy "
        "{}): more concurrency will not help",
        longest, lanes.capacity, percent(lanes.busy));
  }
  return e;
}

}  // namespace model
