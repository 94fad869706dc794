// Sweep throughput on threads: the benchmark, flags20 over workers 1..256 (geometric)
// x 100 replications, on 1 job (the baseline, measured in the same run) and on 2 jobs.
// Prints key=value lines; best of 5 alternating rounds per job count.
// Usage: bench_sweep [SCENARIO] [REPLICATIONS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "model/scenario_load.hpp"
#include "sweep/sweep_files.hpp"
#include "sweep/sweep_plan.hpp"
#include "sweep/sweep_run.hpp"

namespace {

double seconds_for(const model::Scenario& s, const sweep::SweepMeta& meta, unsigned jobs,
                   std::size_t& rows) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto out = sweep::run_sweep(s, meta, {jobs, false});
  const auto t1 = std::chrono::steady_clock::now();
  rows = out.size();
  return std::chrono::duration<double>(t1 - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1]
                                    : (std::filesystem::path(__FILE__).parent_path().parent_path() /
                                       "scenarios" / "flags20.toml")
                                          .string();
  const int reps = argc > 2 ? std::stoi(argv[2]) : 100;
  const model::Scenario s = model::load_scenario(path);
  sweep::SweepMeta meta;
  meta.scenario = s.name;
  meta.scenario_path = path;
  meta.seed = s.seed;
  meta.replications = reps;
  meta.axes.push_back(sweep::parse_axis(s, "strategy.threads-20.workers=1..256x2"));
  meta.strategies = sweep::sweep_strategies(s, meta.axes, {});
  meta.varied = meta.strategies;

  std::size_t rows = 0;
  double one = 1e300, two = 1e300;
  (void)seconds_for(s, meta, 2, rows);  // warm up the frame pools and the allocator
  for (int round = 0; round < 5; ++round) {
    one = std::min(one, seconds_for(s, meta, 1, rows));
    two = std::min(two, seconds_for(s, meta, 2, rows));
  }
  std::printf("scenario=%s\npoints=%zu\nreplications=%d\nsimulations=%zu\ncores=%u\n",
              s.name.c_str(), meta.point_count(), reps, rows, std::thread::hardware_concurrency());
  std::printf("wall_1_job_s=%.4f\nwall_2_jobs_s=%.4f\nspeedup_2_jobs=%.2f\n", one, two, one / two);
  std::printf("simulations_per_s_1_job=%.0f\nsimulations_per_s_2_jobs=%.0f\n",
              static_cast<double>(rows) / one, static_cast<double>(rows) / two);
  return 0;
}
