// Fitting one phase: the lognormal by maximum likelihood, the KS distance and the choice of law.
#include <catch2/catch.hpp>

#include <cmath>

#include "calibrate/fit.hpp"
#include "model/distribution.hpp"

namespace {

std::vector<double> draws(const model::Distribution& d, std::size_t n, std::uint64_t seed) {
  model::Rng rng(seed);
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(d.sample(rng));
  return out;
}

}  // namespace

TEST_CASE("calibrate fit: a lognormal's mu and sigma are recovered within their standard error",
          "[calibrate]") {
  const double median = 0.08, sigma = 0.5;
  const std::size_t n = 2000;
  const calibrate::Fit f =
      calibrate::fit(draws(model::Distribution::lognormal(median, sigma), n, 7));
  // The MLE of mu has standard error sigma/sqrt(n), that of sigma about sigma/sqrt(2n); four
  // of them leave a chance below 1e-4 of a false failure.
  CHECK(std::abs(f.mu - std::log(median)) < 4 * sigma / std::sqrt(double(n)));
  CHECK(std::abs(f.sigma - sigma) < 4 * sigma / std::sqrt(2.0 * double(n)));
  CHECK(f.choice == calibrate::Fit::Choice::lognormal);
  CHECK(f.ks <= f.critical);
}

TEST_CASE("calibrate fit: two clusters are not a lognormal; the samples are kept", "[calibrate]") {
  std::vector<double> s = draws(model::Distribution::lognormal(0.01, 0.05), 200, 1);
  const std::vector<double> far = draws(model::Distribution::lognormal(0.2, 0.05), 200, 2);
  s.insert(s.end(), far.begin(), far.end());
  const calibrate::Fit f = calibrate::fit(s);
  CHECK(f.lognormal_fitted);
  CHECK(f.ks > f.critical);
  CHECK(f.choice == calibrate::Fit::Choice::empirical);
  CHECK(f.why.find("rejected") != std::string::npos);
}

TEST_CASE("calibrate fit: equal samples are a constant, zeros rule the lognormal out",
          "[calibrate]") {
  CHECK(calibrate::fit({0.2, 0.2, 0.2}).choice == calibrate::Fit::Choice::constant);
  CHECK(calibrate::fit({}).choice == calibrate::Fit::Choice::none);
  const calibrate::Fit z = calibrate::fit({0, 0.1, 0.2, 0.3, 0.4});
  CHECK(z.choice == calibrate::Fit::Choice::empirical);
  CHECK(z.zeros == 1);
  CHECK_FALSE(z.lognormal_fitted);
  // Spread wider than a scenario's lognormal may be written (sigma <= 5): the samples.
  const calibrate::Fit wide = calibrate::fit({1e-9, 1e-5, 1, 1e5});
  CHECK(wide.sigma > 5);
  CHECK(wide.choice == calibrate::Fit::Choice::empirical);
}

TEST_CASE("calibrate fit: the KS distance is the largest gap between the two laws", "[calibrate]") {
  // One sample at the lognormal's median: F jumps from 0 to 1 where the law is at 1/2.
  CHECK(calibrate::ks_lognormal({1.0}, 0.0, 1.0) == Approx(0.5));
  // Samples at the quartiles of the law: gaps of 1/4 at each jump.
  const double q1 = std::exp(-0.6744897501960817), q3 = std::exp(0.6744897501960817);
  CHECK(calibrate::ks_lognormal({q1, q3}, 0.0, 1.0) == Approx(0.25).epsilon(1e-6));
}

TEST_CASE("calibrate fit: Lilliefors' critical values fall with n and join 0.886/sqrt(n)",
          "[calibrate]") {
  double last = 1;
  for (std::size_t n = 4; n <= 200; ++n) {
    INFO(n);
    CHECK(calibrate::lilliefors_critical(n) < last);
    last = calibrate::lilliefors_critical(n);
  }
  CHECK(calibrate::lilliefors_critical(31) == Approx(0.886 / std::sqrt(31.0)));
  CHECK(calibrate::lilliefors_critical(30) == Approx(0.161));
}

TEST_CASE("calibrate fit: empirical quantiles interpolate between order statistics",
          "[calibrate]") {
  const calibrate::Fit f = calibrate::fit({4, 1, 3, 2});
  CHECK(f.quantile(0) == 1);
  CHECK(f.quantile(1) == 4);
  CHECK(f.quantile(0.5) == Approx(2.5));
}
