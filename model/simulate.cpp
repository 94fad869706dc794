#include "model/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "model/sim_transport.hpp"
#include "model/words.hpp"

namespace model {

namespace {

// The arrival time of every job, from the workload's arrivals; the same for every strategy
// (its own random stream), so strategies meet the same traffic.
void assign_arrivals(std::vector<Job>& jobs, const Workload& w, std::uint64_t seed) {
  const Arrivals& a = w.arrivals;
  switch (a.kind) {
    case Arrivals::Kind::at_once:
      return;
    case Arrivals::Kind::constant:
      for (Job& j : jobs)
        j.arrival = Time{sim::from_seconds(static_cast<double>(j.id) / a.rate)};
      return;
    case Arrivals::Kind::poisson: {
      Rng rng = Rng::derive(seed, 0xA7'71'7Aull);
      const Distribution gap = Distribution::exponential(1.0 / a.rate);
      Time t{0};
      for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (i > 0)
          t = sim::add_saturating(t, sim::from_seconds(gap.sample_within(rng, kMaxDrawnSeconds)));
        jobs[i].arrival = t;
      }
      return;
    }
    case Arrivals::Kind::listed:
      for (std::size_t i = 0; i < jobs.size() && i < w.items.size(); ++i)
        jobs[i].arrival = Time{w.items[i].at.value_or(Duration::zero())};
      return;
  }
}

}  // namespace

std::vector<Job> make_jobs(const Scenario& s, std::uint64_t seed) {
  std::vector<Job> jobs;
  const Workload& w = s.workload;
  switch (w.kind) {
    case Workload::Kind::items:
      for (const Item& it : w.items)
        jobs.push_back({static_cast<std::uint32_t>(jobs.size()), it.host, it.name, it.bytes, {}});
      break;
    case Workload::Kind::generated: {
      jobs.reserve(static_cast<std::size_t>(w.count));
      Rng rng = Rng::derive(seed, 0x51'7E5ull);
      // Hosts by weight from a stream of their own: the sizes are the same with or without.
      Rng host_rng = Rng::derive(seed, 0x4057ull);
      std::vector<double> upto;  // cumulative weights
      for (const Host& h : s.hosts)
        upto.push_back((upto.empty() ? 0.0 : upto.back()) + h.weight);
      for (std::int64_t i = 0; i < w.count; ++i) {
        const auto bytes =
            static_cast<std::int64_t>(std::llround(w.size.sample_within(rng, kMaxDrawnBytes)));
        std::uint32_t host = 0;
        if (upto.size() > 1) {
          const double u = host_rng.uniform01() * upto.back();
          const auto at = std::upper_bound(upto.begin(), upto.end(), u) - upto.begin();
          host = static_cast<std::uint32_t>(
              std::min<std::ptrdiff_t>(at, static_cast<std::ptrdiff_t>(upto.size()) - 1));
        }
        jobs.push_back({static_cast<std::uint32_t>(i), host, fmt::format("item-{}", i), bytes, {}});
      }
      break;
    }
    case Workload::Kind::sleeps:
      for (std::size_t i = 0; i < w.sleeps.size(); ++i) {
        jobs.push_back(
            {static_cast<std::uint32_t>(i), 0, fmt::format("loiter({})", i), 0, w.sleeps[i]});
      }
      break;
  }
  assign_arrivals(jobs, w, seed);
  return jobs;
}

RunRecord simulate_strategy(const Scenario& s, const Strategy& strategy,
                            const std::vector<Job>& jobs, std::uint64_t seed, bool record_log,
                            Progress* progress, bool all_spans) {
  sim::Simulation sim;
  SimTransport transport(sim, s, s.client_of(strategy), seed);
  return run_strategy(sim, transport, s, strategy, jobs, seed, record_log, progress, all_spans);
}

std::vector<const Strategy*> select_strategies(const Scenario& s,
                                               const std::vector<std::string>& only) {
  std::vector<const Strategy*> chosen;
  for (const std::string& name : only) {
    auto it = std::find_if(s.strategies.begin(), s.strategies.end(),
                           [&](const Strategy& st) { return st.name == name; });
    if (it == s.strategies.end()) {
      std::string known, near;
      for (const Strategy& st : s.strategies) {
        known += (known.empty() ? "" : ", ") + st.name;
        if (near.empty() && edit_distance(name, st.name) <= 2) near = st.name;
      }
      throw std::invalid_argument(
          fmt::format("no strategy named '{}' in scenario '{}' ({}it has: {})", name, s.name,
                      near.empty() ? "" : "did you mean '" + near + "'? ", known));
    }
  }
  for (const Strategy& st : s.strategies) {
    if (only.empty() || std::find(only.begin(), only.end(), st.name) != only.end())
      chosen.push_back(&st);
  }
  return chosen;
}

std::vector<RunRecord> simulate(const Scenario& s, const SimulateOptions& options) {
  const std::uint64_t seed = options.seed.value_or(s.seed);
  const std::vector<Job> jobs = make_jobs(s, seed);
  std::vector<RunRecord> out;
  for (const Strategy* st : select_strategies(s, options.only)) {
    out.push_back(simulate_strategy(s, *st, jobs, seed, options.record_log));
  }
  return out;
}

}  // namespace model
