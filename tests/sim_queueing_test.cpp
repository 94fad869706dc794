// Queueing theory on the engine: an M/M/c queue, each customer a process, against the
// Erlang-C mean waiting time computed here.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "sim/sim.hpp"

using sim::Process;
using sim::Simulation;

namespace {

// Mean wait in queue of M/M/c (Erlang C).
double erlang_c_wait(int c, double lambda, double mu) {
  const double a = lambda / mu;  // offered load
  const double rho = a / c;
  double term = 1.0, sum = 0.0;  // a^k / k!
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double tail = term / (1.0 - rho);
  const double p_wait = tail / (sum + tail);
  return p_wait / (c * mu - lambda);
}

struct MMc {
  Simulation sim;
  sim::Resource servers;
  std::mt19937_64 rng;
  double wait_sum = 0;
  long counted = 0;
  long warmup;

  MMc(int c, std::uint64_t seed, long warmup_customers)
      : servers(sim, static_cast<std::size_t>(c)), rng(seed), warmup(warmup_customers) {}

  sim::Duration exp_draw(double mean) {
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    return sim::from_seconds(-mean * std::log1p(-u));
  }

  Process<> customer(long index, sim::Duration service) {
    const sim::Time arrived = sim.now();
    auto slot = co_await servers.acquire();
    if (index >= warmup) {
      wait_sum += sim::to_seconds(sim.now() - arrived);
      ++counted;
    }
    co_await sim.timeout(service);
  }

  Process<> arrivals(long customers, double lambda, double mu) {
    for (long i = 0; i < customers; ++i) {
      co_await sim.timeout(exp_draw(1.0 / lambda));
      sim.spawn(customer(i, exp_draw(1.0 / mu)));
    }
  }
};

}  // namespace

TEST_CASE("M/M/8 at utilisation 0.8 matches Erlang C", "[sim][queueing]") {
  const int c = 8;
  const double mu = 1.0, rho = 0.8, lambda = rho * c * mu;
  const double expected = erlang_c_wait(c, lambda, mu);
  const int seeds = 16;
  const long customers = 1'000'000;

  std::vector<double> means;
  for (int seed = 1; seed <= seeds; ++seed) {
    MMc q(c, static_cast<std::uint64_t>(seed), customers / 10);
    q.sim.spawn(q.arrivals(customers, lambda, mu));
    q.sim.run();
    REQUIRE(q.counted == customers - customers / 10);
    means.push_back(q.wait_sum / static_cast<double>(q.counted));
  }
  double m = 0;
  for (double x : means)
    m += x;
  m /= seeds;
  double var = 0;
  for (double x : means)
    var += (x - m) * (x - m);
  var /= seeds - 1;
  const double t_995 = 2.947;  // Student t, 99% two-sided, 15 degrees of freedom
  const double half_width = t_995 * std::sqrt(var / seeds);

  INFO("Erlang C " << expected << ", simulated " << m << " +- " << half_width);
  CHECK(std::abs(m - expected) <= half_width);
  CHECK(half_width < 0.02 * expected);
}
