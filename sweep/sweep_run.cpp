#include "sweep/sweep_run.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "model/simulate.hpp"

namespace sweep {

std::vector<SweepRow> run_point(const model::Scenario& base, const SweepMeta& meta,
                                std::size_t point, int replication) {
  const model::Scenario s = scenario_at(base, meta, point);
  const std::uint64_t seed = run_seed(meta, point, replication);
  // A generated workload's jobs are drawn as the lanes take them.
  std::vector<model::Job> jobs;
  const model::Jobs job_set = model::run_jobs(s, seed, true, jobs);
  std::vector<SweepRow> rows;
  for (std::size_t i = 0; i < meta.strategies.size(); ++i) {
    const model::Strategy* st = model::select_strategies(s, {meta.strategies[i]}).front();
    // A row is the run's summary: no phases kept but those it reads.
    const model::RunRecord run =
        model::simulate_strategy(s, *st, job_set, seed, false, nullptr, false);
    const model::Summary& sum = run.result.summary;
    SweepRow r;
    r.point = point;
    r.replication = replication;
    r.strategy = i;
    r.seed = seed;
    r.makespan_ns = sum.makespan.count();
    r.throughput_per_s = sum.throughput_per_s;
    r.p95_ns = sum.p95.count();
    r.lower_bound_ns = sum.lower_bound.count();
    r.downloads = run.result.tally.downloads;
    r.ok = sum.counts[static_cast<int>(model::Status::ok)];
    r.failed = r.downloads - r.ok - sum.counts[static_cast<int>(model::Status::not_found)];
    const model::Explanation& e = run.result.explanation;
    r.binds = e.binding < 0 ? "none" : e.constraints[static_cast<std::size_t>(e.binding)].name;
    rows.push_back(r);
  }
  return rows;
}

namespace {

std::string clock_text(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

void draw_progress(std::size_t done, std::size_t total, double elapsed) {
  constexpr int kWidth = 30;
  const double f = total ? static_cast<double>(done) / static_cast<double>(total) : 1;
  const int filled = static_cast<int>(f * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  const std::string eta =
      done ? clock_text(elapsed * static_cast<double>(total - done) / static_cast<double>(done))
           : "?";
  std::fprintf(stderr, "\rsweep [%s] %3d%% %zu/%zu runs, %s elapsed, ETA %s\x1b[K", bar.c_str(),
               static_cast<int>(f * 100), done, total, clock_text(elapsed).c_str(), eta.c_str());
  std::fflush(stderr);
}

}  // namespace

std::vector<SweepRow> run_sweep(const model::Scenario& base, const SweepMeta& meta,
                                const SweepRunOptions& options) {
  const std::vector<std::size_t> points = meta.shard_points();
  const auto reps = static_cast<std::size_t>(meta.replications);
  const std::size_t tasks = points.size() * reps;
  std::vector<std::vector<SweepRow>> slots(tasks);

  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex m;
  std::condition_variable changed;
  std::size_t done = 0;
  std::exception_ptr failure;

  auto worker = [&] {
    for (;;) {
      const std::size_t t = next.fetch_add(1, std::memory_order_relaxed);
      if (t >= tasks || stop.load(std::memory_order_relaxed)) return;
      try {
        slots[t] = run_point(base, meta, points[t / reps], static_cast<int>(t % reps));
      } catch (...) {
        const std::lock_guard lock(m);
        if (!failure) failure = std::current_exception();
        stop = true;
        changed.notify_all();
        return;
      }
      const std::lock_guard lock(m);
      if (++done == tasks) changed.notify_all();
    }
  };

  const unsigned threads = static_cast<unsigned>(
      std::clamp<std::size_t>(options.jobs, 1, std::max<std::size_t>(tasks, 1)));
  const auto start = std::chrono::steady_clock::now();
  {
    std::vector<std::jthread> pool;
    pool.reserve(threads);
    for (unsigned i = 0; i < threads; ++i)
      pool.emplace_back(worker);
    if (options.progress) {
      std::unique_lock lock(m);
      while (done < tasks && !failure) {
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        draw_progress(done, tasks, elapsed);
        changed.wait_for(lock, std::chrono::milliseconds(200),
                         [&] { return done >= tasks || failure; });
      }
    }
  }  // joins every thread
  if (options.progress) std::fputs("\r\x1b[K", stderr);
  if (failure) std::rethrow_exception(failure);

  std::vector<SweepRow> rows;
  rows.reserve(tasks * meta.strategies.size());
  for (auto& slot : slots)
    rows.insert(rows.end(), slot.begin(), slot.end());
  return rows;
}

}  // namespace sweep
