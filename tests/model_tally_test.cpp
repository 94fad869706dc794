#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "model/jobs.hpp"
#include "model/memory_estimate.hpp"
#include "model/summary.hpp"
#include "model/tally.hpp"

using model::Duration;

TEST_CASE("a figure's histogram percentiles are within the stated error of the exact ones",
          "[model][tally]") {
  std::mt19937_64 gen(7);
  // Times from nanoseconds to days: lognormal over many powers of ten, and a few tiny ones.
  std::lognormal_distribution<double> spread(std::log(1e7), 4.0);
  for (int round = 0; round < 20; ++round) {
    const std::size_t n = 1 + gen() % 20000;
    model::Figure exact(true), counted(false);
    std::vector<Duration> all;
    for (std::size_t i = 0; i < n; ++i) {
      const auto ns = gen() % 10 == 0 ? static_cast<Duration::rep>(gen() % 3000)
                                      : static_cast<Duration::rep>(std::min(spread(gen), 1e17));
      all.push_back(Duration{ns});
      exact.add(all.back());
      counted.add(all.back());
    }
    std::sort(all.begin(), all.end());
    const std::vector<double> ps{0.1, 1, 25, 50, 95, 99, 99.9, 100};
    const std::vector<Duration> e = exact.at(ps), c = counted.at(ps);
    for (std::size_t k = 0; k < ps.size(); ++k) {
      INFO("n " << n << ", p" << ps[k]);
      const Duration truth = model::percentile(all, ps[k]);
      CHECK(e[k] == truth);
      const double err = std::abs(static_cast<double>((c[k] - truth).count()));
      CHECK(err <= model::kHistogramError * static_cast<double>(truth.count()) + 0.5);
      if (truth < Duration{2048}) CHECK(c[k] == truth);  // one bucket per nanosecond there
    }
  }
  // The bucket's middle, not its edge: 10^9 ns lands within 0.05%, not on a power of two.
  model::Figure one(false);
  one.add(Duration{1'000'000'000});
  const Duration got = one.at({50}).front();
  CHECK(std::abs(static_cast<double>(got.count()) - 1e9) <= 1e9 * model::kHistogramError);
  CHECK(model::Figure(false).at({50}).front() == Duration::zero());
}

TEST_CASE("a tally does not depend on the order its downloads come in", "[model][tally]") {
  std::mt19937_64 gen(11);
  std::vector<model::Outcome> downloads;
  for (std::uint32_t i = 0; i < 500; ++i) {
    model::Outcome o;
    o.id = i;
    o.host = static_cast<std::uint32_t>(gen() % 3);
    o.lane = static_cast<int>(gen() % 4);
    o.attempts = 1 + static_cast<int>(gen() % 3);
    o.bytes = static_cast<std::int64_t>(gen() % 100000);
    o.status = gen() % 5 == 0 ? model::Status::error : model::Status::ok;
    if (o.status == model::Status::error) o.error = gen() % 2 ? "HTTP 503" : "HTTP 500";
    o.submitted = model::Time{Duration{static_cast<Duration::rep>(gen() % 1000000)}};
    o.start = o.submitted + Duration{static_cast<Duration::rep>(gen() % 1000)};
    // Ties in the end times: the first by id is the one that ended last.
    o.end = o.start + Duration{static_cast<Duration::rep>(gen() % 4 * 1000000)};
    o.consumed = o.end;
    downloads.push_back(o);
  }
  const auto tally_of = [](const std::vector<model::Outcome>& in) {
    model::Tally t(4, 3);
    for (const model::Outcome& o : in)
      t.add(o);
    t.finish();
    return t;
  };
  const model::Tally a = tally_of(downloads);
  std::shuffle(downloads.begin(), downloads.end(), gen);
  const model::Tally b = tally_of(downloads);
  CHECK(a.downloads == 500);
  CHECK(a.counts == b.counts);
  CHECK(a.lifetime == b.lifetime);
  CHECK(a.bytes.value() == b.bytes.value());
  CHECK(a.lane_busy == b.lane_busy);
  CHECK(a.last_ended == b.last_ended);
  CHECK(a.last_ended_host == b.last_ended_host);
  CHECK(a.unqueued_end == b.unqueued_end);
  CHECK(a.errors == b.errors);
  CHECK(a.errors.size() == 2);
  CHECK(a.done.p95 == b.done.p95);
  CHECK(a.queue_time.p99 == b.queue_time.p99);
  for (std::size_t h = 0; h < 3; ++h) {
    CHECK(a.hosts[h].median == b.hosts[h].median);
    CHECK(a.hosts[h].ok + a.hosts[h].failed == a.hosts[h].downloads);
  }
  // The first by id among the latest ends.
  model::Time latest{0};
  for (const model::Outcome& o : downloads)
    latest = std::max(latest, o.end);
  std::uint32_t first = 500;
  for (const model::Outcome& o : downloads)
    if (o.end == latest) first = std::min(first, o.id);
  CHECK(a.last_ended == first);
}

TEST_CASE("a byte sum does not overflow", "[model][tally]") {
  model::ByteSum sum;
  for (int i = 0; i < 1000; ++i)
    sum.add(std::int64_t{1} << 62);
  CHECK(sum.value() == Approx(1000.0 * std::pow(2.0, 62)));
}

TEST_CASE("a generated workload's jobs drawn one at a time are make_jobs's", "[model][tally]") {
  for (const auto kind : {model::Arrivals::Kind::at_once, model::Arrivals::Kind::constant,
                          model::Arrivals::Kind::poisson}) {
    model::Scenario s;
    s.workload.kind = model::Workload::Kind::generated;
    s.workload.count = 3000;
    s.workload.size = model::Distribution::lognormal(20000, 1.0);
    s.workload.arrivals = {kind, 50};
    s.hosts.resize(3);
    s.hosts[1].weight = 2;
    const std::vector<model::Job> listed = model::make_jobs(s, 99);
    const model::Jobs drawn(s, 99);
    REQUIRE(drawn.size() == listed.size());
    model::Jobs::Cursor c = drawn.cursor(), a = drawn.arrivals();
    bool hosts_vary = false;
    for (const model::Job& want : listed) {
      const model::Job& got = c.next();
      REQUIRE(got.id == want.id);
      REQUIRE(got.bytes == want.bytes);
      REQUIRE(got.host == want.host);
      REQUIRE(got.name.str() == want.name.str());
      REQUIRE(got.arrival == want.arrival);
      REQUIRE(a.next().arrival == want.arrival);
      hosts_vary = hosts_vary || want.host != listed.front().host;
    }
    CHECK(hosts_vary);
    CHECK(c.position() == listed.size());
  }
}

TEST_CASE("a run that keeps no downloads is estimated by what it holds", "[model][tally]") {
  model::Scenario s;
  s.workload.kind = model::Workload::Kind::generated;
  s.workload.size = model::Distribution::constant(1024);
  model::Strategy st;
  st.name = "one";
  const std::vector<const model::Strategy*> one{&st}, three{&st, &st, &st};
  const auto estimate = [&](std::int64_t count, const auto& strategies, bool all) {
    s.workload.count = count;
    return static_cast<double>(model::estimate_run_bytes(s, strategies, all));
  };
  // 10^8: no jobs, 2-byte statuses and histograms; the same for three strategies, one at a time.
  CHECK(estimate(100'000'000, one, false) < 1.0 * (1ull << 30));
  CHECK(estimate(100'000'000, three, false) == estimate(100'000'000, one, false));
  // Up to 10^7 the values are kept for exact percentiles: more per download.
  CHECK(estimate(10'000'000, one, false) > estimate(11'000'000, one, false));
  // Kept whole, every strategy's downloads stay to the report.
  CHECK(estimate(1'000'000, three, true) > 2.5 * estimate(1'000'000, one, true) - 3 * (64 << 20));
  CHECK(estimate(100'000'000, one, true) > 30.0 * (1ull << 30));
}
