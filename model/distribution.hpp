// Seeded random numbers and distributions that give the same values on every machine:
// our own generator (xoshiro256**) and our own transforms, no std:: distributions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace model {

// The largest value a draw can give, the same as the largest a scenario may write: a
// duration of 1e8 s, a body of 1 TiB.
inline constexpr double kMaxDrawnSeconds = 1e8;
inline constexpr double kMaxDrawnBytes = 1099511627776.0;

class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  std::uint64_t next_u64();
  double uniform01();      // [0, 1), 53 random bits
  double normal01();       // standard normal (the ziggurat)
  double exponential01();  // exponential of mean 1 (the ziggurat)
  // An independent stream derived from this seed and a label (e.g. per strategy).
  static Rng derive(std::uint64_t seed, std::uint64_t stream);

 private:
  std::uint64_t s_[4];
};

class Distribution {
 public:
  enum class Kind { constant, uniform, exponential, normal, lognormal, empirical };
  static Distribution constant(double value);
  static Distribution uniform(double low, double high);
  static Distribution exponential(double mean);
  static Distribution normal(double mean, double stddev);  // truncated at 0
  static Distribution lognormal(double median, double sigma);
  static Distribution empirical(std::vector<double> samples);

  double sample(Rng& rng) const;  // never negative
  // sample(), clamped to `limit` (a NaN draw gives 0): what the simulation uses, so a drawn
  // value never exceeds what could be written (kMaxDrawnSeconds, kMaxDrawnBytes).
  double sample_within(Rng& rng, double limit) const;
  double mean() const;  // exact where known (normal: of the untruncated law)
  double min() const;   // smallest value sample() can return
  Kind kind() const { return kind_; }
  double a() const { return a_; }
  // A constant zero: nothing to draw.
  bool is_zero() const { return kind_ == Kind::constant && a_ == 0; }
  double b() const { return b_; }
  const std::vector<double>& samples() const { return samples_; }
  std::string describe(const char* unit = "") const;

 private:
  Kind kind_ = Kind::constant;
  double a_ = 0, b_ = 0;
  std::vector<double> samples_;
};

}  // namespace model
