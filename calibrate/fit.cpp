// Lognormal maximum likelihood, Kolmogorov-Smirnov distance and the choice of law.
#include "calibrate/fit.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

namespace calibrate {

double Fit::median() const {
  return std::exp(mu);
}

double Fit::quantile(double p) const {
  if (sorted.empty()) return 0;
  const double h = p * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double lilliefors_critical(std::size_t n) {
  // Lilliefors (1967), "On the Kolmogorov-Smirnov test for normality with mean and variance
  // unknown", Table 1, level 0.05; log(x) of a lognormal sample is a normal sample.
  static constexpr double table[] = {0.381, 0.337, 0.319, 0.300, 0.285, 0.271, 0.258, 0.249, 0.242,
                                     0.234, 0.227, 0.220, 0.213, 0.206, 0.200, 0.195, 0.190};
  if (n < 4) return 1;
  if (n <= 20) return table[n - 4];
  const auto x = static_cast<double>(n);
  if (n <= 25) return 0.190 + (x - 20) / 5 * (0.173 - 0.190);
  if (n <= 30) return 0.173 + (x - 25) / 5 * (0.161 - 0.173);
  return 0.886 / std::sqrt(x);
}

double ks_lognormal(const std::vector<double>& sorted, double mu, double sigma) {
  const auto n = static_cast<double>(sorted.size());
  double d = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    double f = 0;
    if (sorted[i] > 0) {
      const double z = sigma > 0 ? (std::log(sorted[i]) - mu) / sigma
                                 : (std::log(sorted[i]) >= mu ? INFINITY : -INFINITY);
      f = 0.5 * std::erfc(-z / std::sqrt(2.0));
    }
    // The empirical law jumps from i/n to (i+1)/n at sorted[i] (ties: the last of them counts).
    const bool last_of_ties = i + 1 == sorted.size() || sorted[i + 1] != sorted[i];
    const std::size_t first = static_cast<std::size_t>(
        std::lower_bound(sorted.begin(), sorted.end(), sorted[i]) - sorted.begin());
    if (last_of_ties) d = std::max(d, std::abs(static_cast<double>(i + 1) / n - f));
    d = std::max(d, std::abs(f - static_cast<double>(first) / n));
  }
  return d;
}

Fit fit(std::vector<double> samples) {
  Fit f;
  std::sort(samples.begin(), samples.end());
  f.sorted = std::move(samples);
  const std::size_t n = f.sorted.size();
  if (n == 0) {
    f.why = "no samples";
    return f;
  }
  f.zeros = static_cast<std::size_t>(std::count(f.sorted.begin(), f.sorted.end(), 0.0));
  f.critical = lilliefors_critical(n);
  if (f.sorted.front() == f.sorted.back()) {
    f.choice = Fit::Choice::constant;
    f.why = n == 1 ? "one sample" : fmt::format("all {} samples are equal", n);
    return f;
  }
  if (f.zeros > 0) {
    f.choice = Fit::Choice::empirical;
    f.why = fmt::format("{} of {} samples are 0, which a lognormal never draws", f.zeros, n);
    return f;
  }
  double sum = 0;
  for (double x : f.sorted)
    sum += std::log(x);
  f.mu = sum / static_cast<double>(n);
  double ss = 0;
  for (double x : f.sorted)
    ss += (std::log(x) - f.mu) * (std::log(x) - f.mu);
  f.sigma = std::sqrt(ss / static_cast<double>(n));
  f.lognormal_fitted = true;
  f.ks = ks_lognormal(f.sorted, f.mu, f.sigma);
  if (f.sigma > 5) {  // scenarios take sigma up to 5 (model::Distribution::lognormal)
    f.choice = Fit::Choice::empirical;
    f.why = fmt::format("lognormal sigma {:.3g} is above 5, the most a scenario takes", f.sigma);
  } else if (n < 4) {
    f.choice = Fit::Choice::lognormal;
    f.why = fmt::format("only {} samples: too few to test the fit, lognormal assumed", n);
  } else if (f.ks <= f.critical) {
    f.choice = Fit::Choice::lognormal;
    f.why = fmt::format("lognormal KS distance {:.4f} <= {:.4f}, the 5% critical value for n = {}",
                        f.ks, f.critical, n);
  } else {
    f.choice = Fit::Choice::empirical;
    f.why = fmt::format(
        "lognormal rejected: KS distance {:.4f} > {:.4f}, the 5% critical value for n = {}", f.ks,
        f.critical, n);
  }
  return f;
}

}  // namespace calibrate
