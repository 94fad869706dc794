// The normal and exponential draws (the ziggurat, model/distribution.cpp) checked as laws, not
// as values: mean, variance, fourth moment, the Kolmogorov-Smirnov distance to the exact CDF,
// and how often the tail beyond the ziggurat's base strip comes up. Each bound is five
// standard errors wide for the number of draws (the KS bound: its 0.1% critical value), so a
// correct law passes with any seed. Tried by hand: every strip 1% too wide, the strips chosen
// from 7 bits of 8, or the exponential's tail cut at its edge each fail several checks. An
// error in one strip of the 256 (its edge 1% off) moves too little mass (about 4e-5) for
// 10^6 draws to see, and passes.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include <catch2/catch.hpp>

#include "model/distribution.hpp"

using model::Distribution;
using model::Rng;

namespace {

constexpr int kDraws = 1'000'000;

struct Moments {
  double mean = 0, variance = 0, fourth = 0;  // the fourth central moment
};

Moments moments(const std::vector<double>& v) {
  Moments m;
  for (double x : v)
    m.mean += x;
  m.mean /= static_cast<double>(v.size());
  for (double x : v) {
    const double d = (x - m.mean) * (x - m.mean);
    m.variance += d;
    m.fourth += d * d;
  }
  m.variance /= static_cast<double>(v.size());
  m.fourth /= static_cast<double>(v.size());
  return m;
}

// sup |F_n(x) - F(x)| over the sorted sample.
double ks_distance(std::vector<double> v, const std::function<double(double)>& cdf) {
  std::sort(v.begin(), v.end());
  const auto n = static_cast<double>(v.size());
  double d = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double f = cdf(v[i]);
    d = std::max({d, static_cast<double>(i + 1) / n - f, f - static_cast<double>(i) / n});
  }
  return d;
}

// The 0.1% critical value of the KS distance for n draws (Kolmogorov's limit law).
double ks_critical(std::size_t n) {
  return 1.95 / std::sqrt(static_cast<double>(n));
}

std::vector<double> draws(std::uint64_t seed, const std::function<double(Rng&)>& draw) {
  Rng rng(seed);
  std::vector<double> v(kDraws);
  for (double& x : v)
    x = draw(rng);
  return v;
}

double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

}  // namespace

TEST_CASE("normal draws: mean 0, variance 1, fourth moment 3, the normal CDF, and its tails",
          "[model][draws]") {
  for (std::uint64_t seed : {1u, 20261203u}) {
    const std::vector<double> v = draws(seed, [](Rng& r) { return r.normal01(); });
    const Moments m = moments(v);
    const double n = kDraws;
    CHECK(std::fabs(m.mean) < 5 / std::sqrt(n));              // sd 1/sqrt(n)
    CHECK(std::fabs(m.variance - 1) < 5 * std::sqrt(2 / n));  // sd sqrt(2/n)
    CHECK(std::fabs(m.fourth - 3) < 5 * std::sqrt(96 / n));   // sd sqrt((105 - 9)/n)
    CHECK(ks_distance(v, normal_cdf) < ks_critical(v.size()));
    // Beyond the base strip's edge r the ziggurat draws from its tail, by another method.
    const double r = 3.6541528853610088;
    for (double edge : {r, 2.5, 4.5}) {
      const double p = std::erfc(edge / std::sqrt(2.0));  // P(|Z| > edge)
      const auto beyond =
          std::count_if(v.begin(), v.end(), [&](double x) { return std::fabs(x) > edge; });
      CHECK(std::fabs(static_cast<double>(beyond) - n * p) < 5 * std::sqrt(n * p) + 1);
    }
    const auto negative = std::count_if(v.begin(), v.end(), [](double x) { return x < 0; });
    CHECK(std::fabs(static_cast<double>(negative) - n / 2) < 5 * std::sqrt(n / 4));
  }
}

TEST_CASE("exponential draws: mean 1, variance 1, the exponential CDF, and its tail",
          "[model][draws]") {
  for (std::uint64_t seed : {1u, 20261203u}) {
    const std::vector<double> v = draws(seed, [](Rng& r) { return r.exponential01(); });
    const Moments m = moments(v);
    const double n = kDraws;
    CHECK(*std::min_element(v.begin(), v.end()) >= 0);
    CHECK(std::fabs(m.mean - 1) < 5 / std::sqrt(n));
    CHECK(std::fabs(m.variance - 1) < 5 * std::sqrt(8 / n));  // sd sqrt((9 - 1)/n)
    CHECK(ks_distance(v, [](double x) { return x > 0 ? -std::expm1(-x) : 0.0; }) <
          ks_critical(v.size()));
    const double r = 7.69711747013104972;
    for (double edge : {r, 3.0, 10.0}) {
      const double p = std::exp(-edge);
      const auto beyond = std::count_if(v.begin(), v.end(), [&](double x) { return x > edge; });
      CHECK(std::fabs(static_cast<double>(beyond) - n * p) < 5 * std::sqrt(n * p) + 1);
    }
  }
}

TEST_CASE("the laws built on them: exponential, lognormal and truncated normal means",
          "[model][draws]") {
  const double n = kDraws;
  const auto mean_of = [](const Distribution& d) {
    return moments(draws(7, [&](Rng& r) { return d.sample(r); })).mean;
  };
  // Exponential of mean 5 ms: sd 5 ms / sqrt(n).
  CHECK(std::fabs(mean_of(Distribution::exponential(0.005)) - 0.005) < 5 * 0.005 / std::sqrt(n));
  // Lognormal of median m and sigma s: mean m exp(s^2 / 2), sd m sqrt(exp(2 s^2) - exp(s^2)).
  const double m = 2355, s = 0.3;
  const double sd = m * std::sqrt(std::exp(2 * s * s) - std::exp(s * s));
  CHECK(std::fabs(mean_of(Distribution::lognormal(m, s)) - m * std::exp(s * s / 2)) <
        5 * sd / std::sqrt(n));
  // A normal of mean 0 truncated at 0 is the half-normal: mean sqrt(2 / pi), sd 0.6028.
  CHECK(std::fabs(mean_of(Distribution::normal(0, 1)) - std::sqrt(2 / M_PI)) <
        5 * 0.6028 / std::sqrt(n));
}
