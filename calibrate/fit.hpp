// Fitting one phase's samples: the empirical distribution and a lognormal by maximum
// likelihood, the Kolmogorov-Smirnov distance of the lognormal, and which of the two (or a
// constant) a scenario should use, with the reason in words.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace calibrate {

struct Fit {
  enum class Choice { none, constant, lognormal, empirical };
  std::vector<double> sorted;  // the samples, ascending
  std::size_t zeros = 0;       // samples equal to 0 (a lognormal never draws 0)
  bool lognormal_fitted = false;
  double mu = 0, sigma = 0;  // of log(x), maximum likelihood (sigma with 1/n)
  double ks = 0;             // sup |F_n - F_lognormal|
  double critical = 0;       // Lilliefors' 5% critical value for this n
  Choice choice = Choice::none;
  std::string why;  // one line: why this choice

  std::size_t n() const { return sorted.size(); }
  double median() const;            // of the lognormal: exp(mu)
  double quantile(double p) const;  // empirical, linear between order statistics
};

// The 5% critical value of the KS distance when the lognormal's mu and sigma were estimated
// from the same n samples (Lilliefors 1967, Table 1; 0.886/sqrt(n) above 30). The textbook
// 1.36/sqrt(n) holds for a law fixed in advance and would accept fits too easily here.
double lilliefors_critical(std::size_t n);

// KS distance between the empirical law of `sorted` and the lognormal(mu, sigma).
double ks_lognormal(const std::vector<double>& sorted, double mu, double sigma);

// Fits `samples` (each >= 0). No samples: Choice::none. All equal: constant. Any zero:
// empirical (a lognormal cannot give 0), as when sigma is above 5 (the scenario limit).
// Otherwise lognormal when its KS distance is at most the critical value (or there are fewer
// than 4 samples to test it with), else empirical.
Fit fit(std::vector<double> samples);

}  // namespace calibrate
