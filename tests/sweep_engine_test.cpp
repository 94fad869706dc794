// Tests for the sweep engine (sweep/): exact makespans, seeds, threads, shards and merge,
// confidence intervals and the recommendation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <queue>
#include <string>

#include "model/scenario_load.hpp"
#include "model/simulate.hpp"
#include "plots/output_files.hpp"
#include "sweep/sweep_files.hpp"
#include "sweep/sweep_plan.hpp"
#include "sweep/sweep_run.hpp"

using namespace sweep;

namespace {

model::Scenario bundled(const std::string& name) {
  return model::load_scenario(std::string(LOITER_SOURCE_DIR) + "/scenarios/" + name + ".toml");
}

SweepMeta meta_for(const model::Scenario& s, const std::vector<std::string>& vary, int reps,
                   const std::vector<std::string>& only = {}) {
  SweepMeta m;
  m.scenario = s.name;
  m.scenario_path = s.source_path;
  m.seed = s.seed;
  m.replications = reps;
  for (const auto& v : vary)
    m.axes.push_back(parse_axis(s, v));
  m.strategies = sweep_strategies(s, m.axes, only);
  m.varied = varied_strategies(s, m.axes, m.strategies);
  return m;
}

std::vector<SweepRow> run(const model::Scenario& s, const SweepMeta& m, unsigned jobs) {
  return run_sweep(s, m, {jobs, false});
}

// Greedy list scheduling, as a pool runs it: each task in submission order goes to the worker
// that frees up first. The makespan is when the last one ends.
double list_schedule_makespan(const std::vector<double>& tasks, int workers) {
  std::priority_queue<double, std::vector<double>, std::greater<>> free_at;
  for (int i = 0; i < workers; ++i)
    free_at.push(0);
  double end = 0;
  for (double t : tasks) {
    const double start = free_at.top();
    free_at.pop();
    free_at.push(start + t);
    end = std::max(end, start + t);
  }
  return end;
}

std::filesystem::path temp_dir(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() /
                 ("loiter-sweep-" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(d);
  return d;
}

}  // namespace

TEST_CASE("the loiter demo over 1..5 workers gives the list-scheduling makespans", "[sweep]") {
  const auto s = bundled("loiter");
  const SweepMeta m = meta_for(s, {"strategy.*.workers=1..5"}, 2);
  REQUIRE(m.strategies.size() == 2);  // map-in-order and as-completed, both pools
  std::vector<double> tasks;
  for (auto d : s.workload.sleeps)
    tasks.push_back(sim::to_seconds(d));
  const auto rows = run(s, m, 2);
  REQUIRE(rows.size() == 5 * 2 * 2);
  for (const SweepRow& r : rows) {
    const int workers = static_cast<int>(m.axes[0].values[r.point]);
    INFO("workers " << workers << ", " << m.strategies[r.strategy]);
    CHECK(r.makespan_ns == sim::from_seconds(list_schedule_makespan(tasks, workers)).count());
  }
  // 10, 6, 5, 4, 4 s: the check above is not vacuous.
  CHECK(list_schedule_makespan(tasks, 1) == 10);
  CHECK(list_schedule_makespan(tasks, 2) == 6);
  CHECK(list_schedule_makespan(tasks, 5) == 4);
}

TEST_CASE("a run's seed depends on its replication, never on the point's setting", "[sweep]") {
  const auto s = bundled("flags20");
  const SweepMeta a = meta_for(s, {"strategy.threads-20.workers=1..8"}, 3);
  const SweepMeta b = meta_for(s, {"strategy.threads-20.workers=4,8"}, 3);
  CHECK(run_seed(a, 3, 2) == run_seed(b, 0, 2));         // workers = 4
  CHECK(run_seed(a, 3, 0) != run_seed(a, 3, 1));         // replications differ
  CHECK(run_seed(a, 3, 0) == run_seed(a, 4, 0));         // common random numbers
  CHECK(run_seed(a, 0, 0) <= 0x7FFF'FFFF'FFFF'FFFFull);  // valid in a scenario file too
  SweepMeta c = a;
  c.seed = 7;
  CHECK(run_seed(c, 3, 0) != run_seed(a, 3, 0));  // the base seed matters
}

TEST_CASE("a row is what `loiter run --set ... --seed S` simulates", "[sweep]") {
  const auto s = bundled("flags20");
  const SweepMeta m = meta_for(s, {"strategy.threads-20.workers=1..8x2"}, 2);
  const auto rows = run(s, m, 1);
  const SweepRow& r = rows[5];  // workers = 4, replication 1
  auto t = s;
  model::apply_setting(t, "strategy.threads-20.workers=4");
  model::SimulateOptions o;
  o.seed = r.seed;
  o.only = {"threads-20"};
  const auto runs = model::simulate(t, o);
  CHECK(runs[0].result.summary.makespan.count() == r.makespan_ns);
  CHECK(rerun_command(m, r.point, r.replication, "threads-20") ==
        "loiter run " + s.source_path +
            " --strategy threads-20 --set strategy.threads-20.workers=4 --seed " +
            std::to_string(r.seed));
}

TEST_CASE("rows and files do not depend on the number of threads", "[sweep]") {
  const auto s = bundled("flags20");
  const SweepMeta m = meta_for(s, {"strategy.threads-20.workers=1..64x2"}, 8, {});
  const auto one = run(s, m, 1);
  const auto two = run(s, m, 2);
  const auto five = run(s, m, 5);
  CHECK(sweep_outputs(m, one).files == sweep_outputs(m, two).files);
  CHECK(sweep_outputs(m, one).files == sweep_outputs(m, five).files);
  CHECK(sweep_outputs(m, one).report == sweep_outputs(m, two).report);
}

TEST_CASE("three shards, written and merged, equal the unsharded sweep byte for byte", "[sweep]") {
  const auto s = bundled("flags20");
  const SweepMeta m =
      meta_for(s, {"strategy.threads-20.workers=1,2,4,16,20", "network.rtt.scale=0.5,1"}, 4, {});
  REQUIRE(m.strategies.size() == 3);  // network.rtt changes every strategy
  const SweepOutputs whole = sweep_outputs(m, run(s, m, 2));
  std::vector<SweepPart> parts;
  for (std::size_t k : {2u, 0u, 1u}) {  // any order
    SweepMeta shard = m;
    shard.shard = {k, 3};
    const auto dir = temp_dir("shard" + std::to_string(k));
    plots::write_outputs(dir, sweep_outputs(shard, run(s, shard, 2)).files);
    parts.push_back(read_sweep_part(dir));
  }
  const SweepPart merged = merge_sweep_parts(parts);
  const SweepOutputs again = sweep_outputs(merged.meta, merged.rows);
  REQUIRE(whole.files.size() == again.files.size());
  for (std::size_t i = 0; i < whole.files.size(); ++i) {
    INFO(whole.files[i].first);
    CHECK(whole.files[i].second == again.files[i].second);
  }
  CHECK(whole.report == again.report);

  // A missing or repeated shard is refused.
  CHECK_THROWS_WITH(merge_sweep_parts({parts[0], parts[1]}), Catch::Contains("missing"));
  CHECK_THROWS_WITH(merge_sweep_parts({parts[0], parts[0], parts[1]}),
                    Catch::Contains("both shard"));
  auto other = parts;
  other[1].meta.seed += 1;
  CHECK_THROWS_WITH(merge_sweep_parts(other), Catch::Contains("another sweep"));
}

TEST_CASE("Student t quantiles", "[sweep][stats]") {
  // Reference values to 10 digits (R: qt(0.975, df)).
  CHECK(student_t95(1) == Approx(12.70620474).epsilon(1e-8));
  CHECK(student_t95(2) == Approx(4.302652730).epsilon(1e-8));
  CHECK(student_t95(10) == Approx(2.228138852).epsilon(1e-8));
  CHECK(student_t95(30) == Approx(2.042272456).epsilon(1e-8));
  // z + (z^3 + z) / (4 df) for large df, z = 1.959964
  CHECK(student_t95(100000) == Approx(1.9599877).epsilon(1e-7));
  const Estimate e = estimate({1, 2, 3, 4});
  CHECK(e.mean == 2.5);
  CHECK(e.min == 1);
  CHECK(e.max == 4);
  // sd = 1.29099, t(3) = 3.18245: half width = 3.18245 * 1.29099 / 2
  CHECK(e.half_width == Approx(2.05426).epsilon(1e-4));
  CHECK_FALSE(estimate({5}).has_interval());
}

TEST_CASE("confidence intervals shrink as replications grow", "[sweep][stats]") {
  const auto s = bundled("flags20");
  double previous = 1e9;
  for (int reps : {5, 20, 80, 320}) {
    const SweepMeta m = meta_for(s, {"strategy.threads-20.workers=4"}, reps);
    const auto stats = point_stats(m, run(s, m, 2));
    REQUIRE(stats.size() == 1);
    const double hw = stats[0].makespan_s.half_width;
    INFO(reps << " replications: +-" << hw);
    CHECK(hw < previous * 0.75);  // ~1/sqrt(R): halves with 4x the runs
    CHECK(stats[0].makespan_s.min < stats[0].makespan_s.max);
    previous = hw;
  }
}

TEST_CASE("the flags recommendation is stable across seeds: one worker per flag", "[sweep]") {
  const auto s = bundled("flags20");
  for (std::uint64_t seed : {1u, 2015u, 77u, 123456u}) {
    SweepMeta m = meta_for(s, {"strategy.threads-20.workers=12..28"}, 12);
    m.seed = seed;
    const auto stats = point_stats(m, run(s, m, 2));
    const auto recs = recommend(m, stats);
    REQUIRE(recs.size() == 1);
    INFO("seed " << seed << ": " << recommendation_line(m, recs[0]));
    CHECK(m.axes[0].labels[recs[0].chosen->point] == "20");
    CHECK(recs[0].best->makespan_s.mean <= recs[0].chosen->makespan_s.mean);
    CHECK(recs[0].chosen->makespan_s.mean <= recs[0].best->makespan_s.mean * 1.05);
  }
}

TEST_CASE("common random numbers: every setting >= 20 gives the same makespans, recommends 20",
          "[sweep]") {
  const auto s = bundled("flags20");
  const SweepMeta m =
      meta_for(s, {"strategy.threads-20.workers=1..64"}, 20, {"threads-20", "async"});
  const auto rows = run(s, m, 2);
  std::map<std::pair<int, std::size_t>, std::int64_t> at20;  // (replication, strategy)
  for (const SweepRow& r : rows) {
    const double workers = m.axes[0].values[r.point];
    if (m.strategies[r.strategy] == "async" || workers == 20)
      at20.try_emplace({r.replication, r.strategy}, r.makespan_ns);
  }
  for (const SweepRow& r : rows) {
    const double workers = m.axes[0].values[r.point];
    if (m.strategies[r.strategy] != "async" && workers < 20) continue;
    INFO("workers " << workers << " " << m.strategies[r.strategy] << " replication "
                    << r.replication);
    CHECK(r.makespan_ns == at20.at({r.replication, r.strategy}));  // to the nanosecond; async flat
  }
  const auto stats = point_stats(m, rows);  // the recommendation points into these
  const auto recs = recommend(m, stats);
  REQUIRE(recs.size() == 1);
  CHECK(m.axes[0].labels[recs[0].chosen->point] == "20");
}

TEST_CASE("the recommendation line says what it chose and why", "[sweep]") {
  const auto s = bundled("loiter");
  const SweepMeta m = meta_for(s, {"strategy.map-in-order.workers=1..5"}, 3);
  const auto stats = point_stats(m, run(s, m, 1));
  const auto recs = recommend(m, stats);
  REQUIRE(recs.size() == 1);
  CHECK(recommendation_line(m, recs[0]) ==
        "recommended: strategy.map-in-order.workers = 4 (fastest: 0% failed; makespan 4.00 s "
        "\u00b1 0.00, best "
        "4.00 s at 4); bound there and at 5 by nothing shared (each download's own time)");
}

TEST_CASE("a setting where more downloads fail than at the best point is not recommended",
          "[sweep]") {
  const auto s = bundled("slow-server");
  for (const std::string vary : {"client.timeout=100ms,500ms,1s,2s,5s", "client.retries=0..3"}) {
    const SweepMeta m = meta_for(s, {vary}, 20, {"async-8"});
    const auto stats = point_stats(m, run(s, m, 2));
    const auto recs = recommend(m, stats);
    REQUIRE(recs.size() == 1);
    const std::string line = recommendation_line(m, recs[0]);
    INFO(line);
    const PointStats* fewest = &stats.front();
    for (const PointStats& ps : stats)
      if (ps.failed_share.mean < fewest->failed_share.mean) fewest = &ps;
    const double limit = fewest->failed_share.mean + fewest->failed_share.half_width;
    CHECK(recs[0].chosen->failed_share.mean <= limit);
    CHECK(recs[0].chosen->point != 0);  // 100 ms: all fail; 0 retries: far more failures
    for (const PointStats& ps : stats)  // nothing eligible is faster than what was chosen
      if (ps.failed_share.mean <= limit)
        CHECK(recs[0].chosen->makespan_s.mean <= ps.makespan_s.mean * (1 + m.within));
    CHECK(line.find("fastest with no more failures than the best: ") != std::string::npos);
  }
}

TEST_CASE("404s are answers, not failures", "[sweep]") {
  auto s = bundled("slow-server");  // two missing files, answered 404
  s.server.errors.clear();
  s.server.stall_rate = 0;
  s.client.timeout.reset();  // a long service draw must not fail a download either
  const SweepMeta m = meta_for(s, {"client.retries=0,1"}, 2, {"sequential"});
  for (const SweepRow& r : run(s, m, 1)) {
    CHECK(r.ok == r.downloads - static_cast<std::int64_t>(s.server.missing.size()));
    CHECK(r.failed == 0);
  }
}

TEST_CASE("environment keys are what-if axes: shown, never recommended", "[sweep]") {
  CHECK(what_if_key("network.rtt"));
  CHECK(what_if_key("server.workers"));
  CHECK_FALSE(what_if_key("client.timeout"));
  CHECK_FALSE(what_if_key("strategy.threads-20.workers"));
  const auto s = bundled("flags20");
  const SweepMeta alone = meta_for(s, {"network.rtt=10ms,100ms"}, 2);
  const auto out = sweep_outputs(alone, run(s, alone, 1));
  CHECK(recommend(alone, point_stats(alone, run(s, alone, 1))).empty());
  CHECK(out.report.find("recommended") == std::string::npos);
  CHECK(out.report.find("no recommendation: network.rtt describes the environment") !=
        std::string::npos);
  CHECK(out.report.find("fastest at network.rtt=10ms: ") != std::string::npos);
  const SweepMeta mixed =
      meta_for(s, {"network.rtt=10ms,100ms", "strategy.threads-20.workers=10,20"}, 2);
  const auto mixed_out = sweep_outputs(mixed, run(s, mixed, 1));
  CHECK(mixed_out.report.find("recommended") == std::string::npos);
  CHECK(mixed_out.report.find("sweep it at one value of network.rtt") != std::string::npos);
}
