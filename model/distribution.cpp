// Rng (xoshiro256** seeded by splitmix64) and the Distribution transforms, written out
// by hand so that every machine and standard library draws the same values.
#include "model/distribution.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string_view>

#include "model/units.hpp"

namespace model {
namespace {

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

// splitmix64: advances `state` and returns the next output.
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += kGolden);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

// A truncated normal resamples negative draws; after this many in a row (only possible
// when the mean is far below zero) it returns 0.
constexpr int kNormalMaxRejections = 64;

}  // namespace

Rng::Rng(std::uint64_t seed) {
  std::uint64_t state = seed;
  for (auto& s : s_)
    s = splitmix64(state);
}

std::uint64_t Rng::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform01() {
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

// The ziggurat (Marsaglia and Tsang, "The Ziggurat Method for Generating Random Variables",
// J. Stat. Softw. 5(8), 2000), in the double-precision form of Doornik ("An Improved
// Ziggurat Method to Generate Normal Random Samples", 2005): the density is covered by
// `kLayers` strips of equal area `v`, the lowest with the tail beyond `r`. A draw picks a strip
// with 8 bits and a point across it with the other 53 bits of the same 64; it is accepted at
// once when inside the part of the strip below the curve (all but about 1 in 100 draws for
// the normal, 1 in 80 for the exponential), which needs no log, exp or cos. r and v are the
// published constants for 256 strips; the tables are worked out from them when first used.
namespace {

constexpr int kLayers = 256;

struct Ziggurat {
  double x[kLayers + 1];  // strip i spans [0, x[i]) (x[0]: the base with its tail)
  double ratio[kLayers];  // x[i + 1] / x[i]: below it a point is under the curve
  double f[kLayers + 1];  // the density at x[i]
  double r;
  template <class Density, class Inverse>
  Ziggurat(double r_, double v, Density density, Inverse inverse) : r(r_) {
    x[0] = v / density(r);
    x[1] = r;
    for (int i = 2; i < kLayers; ++i)
      x[i] = inverse(v / x[i - 1] + density(x[i - 1]));
    x[kLayers] = 0;
    for (int i = 0; i <= kLayers; ++i)
      f[i] = density(x[i]);
    for (int i = 0; i < kLayers; ++i)
      ratio[i] = x[i + 1] / x[i];
  }
};

const Ziggurat& normal_table() {
  static const Ziggurat z(
      3.6541528853610088, 0.00492867323399, [](double t) { return std::exp(-0.5 * t * t); },
      [](double y) { return std::sqrt(-2.0 * std::log(y)); });
  return z;
}

const Ziggurat& exponential_table() {
  static const Ziggurat z(
      7.69711747013104972, 0.0039496598225815571993, [](double t) { return std::exp(-t); },
      [](double y) { return -std::log(y); });
  return z;
}

}  // namespace

double Rng::normal01() {
  const Ziggurat& z = normal_table();
  for (;;) {
    const std::uint64_t bits = next_u64();
    const auto i = static_cast<int>(bits & 0xff);
    // (-1, 1) from the top 53 bits.
    const double u = 2.0 * (static_cast<double>(bits >> 11) * 0x1.0p-53) - 1.0;
    if (std::fabs(u) < z.ratio[i]) return u * z.x[i];
    if (i == 0) {
      // The tail beyond r (Marsaglia, 1964).
      double t = 0, y = 0;
      do {
        t = std::log(1.0 - uniform01()) / z.r;
        y = std::log(1.0 - uniform01());
      } while (-2.0 * y < t * t);
      return u < 0 ? t - z.r : z.r - t;
    }
    const double t = u * z.x[i];
    if (z.f[i + 1] + uniform01() * (z.f[i] - z.f[i + 1]) < std::exp(-0.5 * t * t)) return t;
  }
}

double Rng::exponential01() {
  const Ziggurat& z = exponential_table();
  for (;;) {
    const std::uint64_t bits = next_u64();
    const auto i = static_cast<int>(bits & 0xff);
    const double u = static_cast<double>(bits >> 11) * 0x1.0p-53;  // [0, 1)
    if (u < z.ratio[i]) return u * z.x[i];
    // The tail beyond r is r more than an exponential (it has no memory).
    if (i == 0) return z.r - std::log(1.0 - uniform01());
    const double t = u * z.x[i];
    if (z.f[i + 1] + uniform01() * (z.f[i] - z.f[i + 1]) < std::exp(-t)) return t;
  }
}

Rng Rng::derive(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t a = seed;
  std::uint64_t b = splitmix64(a) ^ stream;
  return Rng(splitmix64(b));
}

Distribution Distribution::constant(double value) {
  Distribution d;
  d.kind_ = Kind::constant;
  d.a_ = value;
  return d;
}

Distribution Distribution::uniform(double low, double high) {
  assert(low <= high);
  Distribution d;
  d.kind_ = Kind::uniform;
  d.a_ = low;
  d.b_ = high;
  return d;
}

Distribution Distribution::exponential(double mean) {
  Distribution d;
  d.kind_ = Kind::exponential;
  d.a_ = mean;
  return d;
}

Distribution Distribution::normal(double mean, double stddev) {
  assert(stddev >= 0);
  Distribution d;
  d.kind_ = Kind::normal;
  d.a_ = mean;
  d.b_ = stddev;
  return d;
}

Distribution Distribution::lognormal(double median, double sigma) {
  assert(median >= 0 && sigma >= 0);
  Distribution d;
  d.kind_ = Kind::lognormal;
  d.a_ = median;
  d.b_ = sigma;
  return d;
}

Distribution Distribution::empirical(std::vector<double> samples) {
  assert(!samples.empty());
  Distribution d;
  d.kind_ = Kind::empirical;
  d.samples_ = std::move(samples);
  return d;
}

double Distribution::sample(Rng& rng) const {
  switch (kind_) {
    case Kind::constant:
      return std::max(0.0, a_);
    case Kind::uniform:
      return std::max(0.0, a_ + (b_ - a_) * rng.uniform01());
    case Kind::exponential:
      return a_ * rng.exponential01();
    case Kind::normal:
      // Truncated at 0 by resampling: the shape above 0 is kept, nothing piles up at 0.
      for (int i = 0; i < kNormalMaxRejections; ++i) {
        const double x = a_ + b_ * rng.normal01();
        if (x >= 0) return x;
      }
      return 0.0;
    case Kind::lognormal:
      return a_ * std::exp(b_ * rng.normal01());
    case Kind::empirical: {
      const auto n = samples_.size();
      auto i = static_cast<std::size_t>(rng.uniform01() * static_cast<double>(n));
      return std::max(0.0, samples_[std::min(i, n - 1)]);
    }
  }
  return 0.0;
}

double Distribution::sample_within(Rng& rng, double limit) const {
  const double x = sample(rng);
  if (x < limit) return x;
  return x == x ? limit : 0.0;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::constant:
      return a_;
    case Kind::uniform:
      return (a_ + b_) / 2;
    case Kind::exponential:
      return a_;
    case Kind::normal:
      return a_;
    case Kind::lognormal:
      return a_ * std::exp(b_ * b_ / 2);
    case Kind::empirical:
      return std::accumulate(samples_.begin(), samples_.end(), 0.0) /
             static_cast<double>(samples_.size());
  }
  return 0.0;
}

double Distribution::min() const {
  switch (kind_) {
    case Kind::constant:
      return std::max(0.0, a_);
    case Kind::uniform:
      return std::max(0.0, a_);
    case Kind::exponential:
      return 0.0;
    case Kind::normal:
      return b_ == 0 ? std::max(0.0, a_) : 0.0;
    case Kind::lognormal:
      return b_ == 0 ? a_ : 0.0;
    case Kind::empirical:
      return std::max(0.0, *std::min_element(samples_.begin(), samples_.end()));
  }
  return 0.0;
}

namespace {

std::string format_value(double v, std::string_view unit) {
  if (unit == "s") return format_duration(sim::from_seconds(v));
  if (unit == "B") return format_size(v);
  if (unit == "B/s") return format_rate(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return std::string(buf) + std::string(unit);
}

}  // namespace

std::string Distribution::describe(const char* unit) const {
  const std::string_view u = unit ? unit : "";
  auto v = [&](double x) { return format_value(x, u); };
  char sigma[32];
  std::snprintf(sigma, sizeof sigma, "%g", b_);
  switch (kind_) {
    case Kind::constant:
      return v(a_);
    case Kind::uniform:
      return "uniform(" + v(a_) + ", " + v(b_) + ")";
    case Kind::exponential:
      return "exponential(mean " + v(a_) + ")";
    case Kind::normal:
      return "normal(mean " + v(a_) + ", stddev " + v(b_) + ")";
    case Kind::lognormal:
      return "lognormal(median " + v(a_) + ", sigma " + sigma + ")";
    case Kind::empirical: {
      const auto [lo, hi] = std::minmax_element(samples_.begin(), samples_.end());
      return "empirical(" + std::to_string(samples_.size()) + " samples, " + v(*lo) + ".." +
             v(*hi) + ")";
    }
  }
  return {};
}

}  // namespace model
