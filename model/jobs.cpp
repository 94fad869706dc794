#include "model/jobs.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

namespace model {

ArrivalClock::ArrivalClock(const Workload& w, std::uint64_t seed) : w_(&w) {
  if (w.arrivals.kind == Arrivals::Kind::poisson) {
    rng_.emplace(Rng::derive(seed, 0xA7'71'7Aull));
    gap_.emplace(Distribution::exponential(1.0 / w.arrivals.rate));
  }
}

Time ArrivalClock::next() {
  const std::size_t i = at_++;
  const Arrivals& a = w_->arrivals;
  switch (a.kind) {
    case Arrivals::Kind::at_once:
      return Time{0};
    case Arrivals::Kind::constant:
      return Time{sim::from_seconds(static_cast<double>(i) / a.rate)};
    case Arrivals::Kind::poisson:
      if (i > 0)
        t_ = sim::add_saturating(t_,
                                 sim::from_seconds(gap_->sample_within(*rng_, kMaxDrawnSeconds)));
      return t_;
    case Arrivals::Kind::listed:
      return i < w_->items.size() ? Time{w_->items[i].at.value_or(Duration::zero())} : Time{0};
  }
  return Time{0};
}

Jobs::Jobs(const Scenario& s, std::uint64_t seed)
    : scenario_(&s),
      seed_(seed),
      count_(static_cast<std::size_t>(std::max<std::int64_t>(0, s.workload.count))) {
  for (const Host& h : s.hosts)
    upto_.push_back((upto_.empty() ? 0.0 : upto_.back()) + h.weight);
}

Jobs::Cursor::Cursor(const Jobs& jobs, bool names, bool only_arrivals)
    : jobs_(&jobs), names_(names), only_arrivals_(only_arrivals) {
  if (jobs.list_ != nullptr) return;
  clock_.emplace(jobs.scenario_->workload, jobs.seed_);
  if (only_arrivals) return;
  size_rng_.emplace(Rng::derive(jobs.seed_, 0x51'7E5ull));
  // Hosts by weight from a stream of their own: the sizes are the same with or without.
  host_rng_.emplace(Rng::derive(jobs.seed_, 0x4057ull));
}

const Job& Jobs::Cursor::next() {
  const std::size_t i = at_++;
  if (jobs_->list_ != nullptr) return (*jobs_->list_)[i];
  job_.id = static_cast<std::uint32_t>(i);
  job_.arrival = clock_->next();
  if (only_arrivals_) return job_;
  job_.bytes = static_cast<std::int64_t>(
      std::llround(jobs_->scenario_->workload.size.sample_within(*size_rng_, kMaxDrawnBytes)));
  const std::vector<double>& upto = jobs_->upto_;
  job_.host = 0;
  if (upto.size() > 1) {
    const double u = host_rng_->uniform01() * upto.back();
    const auto at = std::upper_bound(upto.begin(), upto.end(), u) - upto.begin();
    job_.host = static_cast<std::uint32_t>(
        std::min<std::ptrdiff_t>(at, static_cast<std::ptrdiff_t>(upto.size()) - 1));
  }
  if (names_) {
    // "item-<i>", written by hand: fmt::format here was 4% of a lean run (callgrind).
    char name[32] = "item-";
    const auto end = std::to_chars(name + 5, name + sizeof name, i).ptr;
    job_.name = std::string_view(name, static_cast<std::size_t>(end - name));
  }
  return job_;
}

std::vector<Job> make_jobs(const Scenario& s, std::uint64_t seed) {
  std::vector<Job> jobs;
  const Workload& w = s.workload;
  switch (w.kind) {
    case Workload::Kind::items:
      for (const Item& it : w.items)
        jobs.push_back({static_cast<std::uint32_t>(jobs.size()), it.host, it.name, it.bytes, {}});
      break;
    case Workload::Kind::generated: {
      const Jobs drawn(s, seed);
      Jobs::Cursor c = drawn.cursor();
      jobs.reserve(drawn.size());
      while (c.position() < drawn.size())
        jobs.push_back(c.next());
      return jobs;
    }
    case Workload::Kind::sleeps:
      for (std::size_t i = 0; i < w.sleeps.size(); ++i) {
        jobs.push_back(
            {static_cast<std::uint32_t>(i), 0, fmt::format("loiter({})", i), 0, w.sleeps[i]});
      }
      break;
  }
  ArrivalClock clock(w, seed);
  for (Job& j : jobs)
    j.arrival = clock.next();
  return jobs;
}

Jobs run_jobs(const Scenario& s, std::uint64_t seed, bool draw, std::vector<Job>& list) {
  if (draw && s.workload.kind == Workload::Kind::generated) return Jobs(s, seed);
  list = make_jobs(s, seed);
  return Jobs(list);
}

}  // namespace model
