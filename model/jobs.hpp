// A run's jobs in submission order: a list, or a generated workload drawn one at a time from
// its seed (the same jobs make_jobs lists), so that a run of 10^8 downloads need not hold them.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/distribution.hpp"
#include "model/scenario.hpp"
#include "model/transport.hpp"

namespace model {

// The jobs of a scenario; generated sizes are drawn from the seed.
std::vector<Job> make_jobs(const Scenario& s, std::uint64_t seed);

// The workload's arrival times, one job after another (its own random stream: the same for
// every strategy, so strategies meet the same traffic).
class ArrivalClock {
 public:
  ArrivalClock(const Workload& w, std::uint64_t seed);
  Time next();  // the next job's

 private:
  const Workload* w_;
  std::size_t at_ = 0;
  Time t_{0};
  std::optional<Rng> rng_;
  std::optional<Distribution> gap_;
};

class Jobs {
 public:
  // The jobs of `list`, which must outlive this.
  explicit Jobs(const std::vector<Job>& list) : list_(&list), count_(list.size()) {}
  // A generated workload's, drawn as they are read (its scenario must outlive this).
  Jobs(const Scenario& s, std::uint64_t seed);

  std::size_t size() const { return count_; }
  const std::vector<Job>* list() const { return list_; }

  // Reads the jobs from the first on. `names`: a drawn job gets its name ("item-N");
  // `only_arrivals`: a drawn job gets only its id and arrival (the arrivals have a random stream of
  // their own).
  class Cursor {
   public:
    const Job& next();  // the next job (at most size() of them); valid until the next
    std::size_t position() const { return at_; }  // jobs read so far

   private:
    friend class Jobs;
    Cursor(const Jobs& jobs, bool names, bool only_arrivals);
    const Jobs* jobs_;
    bool names_, only_arrivals_;
    std::size_t at_ = 0;
    Job job_;
    std::optional<Rng> size_rng_, host_rng_;
    std::optional<ArrivalClock> clock_;
  };
  Cursor cursor(bool names = true) const { return Cursor(*this, names, false); }
  Cursor arrivals() const { return Cursor(*this, false, true); }

 private:
  const std::vector<Job>* list_ = nullptr;
  const Scenario* scenario_ = nullptr;
  std::uint64_t seed_ = 0;
  std::size_t count_ = 0;
  std::vector<double> upto_;  // the hosts' cumulative weights
};

// The jobs a run reads: a generated workload's drawn as the lanes take them when `draw`, else
// the scenario's jobs listed into `list` (which must outlive the result).
Jobs run_jobs(const Scenario& s, std::uint64_t seed, bool draw, std::vector<Job>& list);

}  // namespace model
