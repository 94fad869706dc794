// Tests for model/distribution: the generator is reproducible everywhere and each law has
// the shape it claims.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "model/distribution.hpp"

using model::Distribution;
using model::Rng;

TEST_CASE("xoshiro256** seeded by splitmix64 gives the reference values", "[rng]") {
  // Computed independently (a Python transcription of the reference C code).
  Rng zero(0);
  CHECK(zero.next_u64() == 0x99ec5f36cb75f2b4ULL);
  CHECK(zero.next_u64() == 0xbf6e1f784956452aULL);
  CHECK(zero.next_u64() == 0x1a5f849d4933e6e0ULL);
  Rng r(42);
  CHECK(r.next_u64() == 0x15780b2e0c2ec716ULL);
  CHECK(Rng(42).uniform01() == 0x15780b2e0c2ec716ULL / 2048 * 0x1.0p-53);
  CHECK(Rng::derive(42, 7).next_u64() == 0x0719e15cf3d4342fULL);
}

TEST_CASE("the same seed gives the same sequence and other seeds or streams differ", "[rng]") {
  Rng a(123), b(123), c(124);
  std::vector<std::uint64_t> va, vb, vc;
  for (int i = 0; i < 100; ++i) {
    va.push_back(a.next_u64());
    vb.push_back(b.next_u64());
    vc.push_back(c.next_u64());
  }
  CHECK(va == vb);
  CHECK(va != vc);
  Rng s1 = Rng::derive(5, 1), s1again = Rng::derive(5, 1), s2 = Rng::derive(5, 2);
  const auto x = s1.next_u64();
  CHECK(x == s1again.next_u64());
  CHECK(x != s2.next_u64());
  CHECK(Rng::derive(5, 1).next_u64() != Rng::derive(6, 1).next_u64());
}

TEST_CASE("uniform01 is at least 0 and below 1, and normal01 is standard", "[rng]") {
  Rng r(9);
  double sum = 0, sum2 = 0, lo = 1, hi = 0;
  const int n = 200'000;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform01();
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    const double z = r.normal01();
    REQUIRE(std::isfinite(z));
    sum += z;
    sum2 += z * z;
  }
  CHECK(lo >= 0.0);
  CHECK(hi < 1.0);
  CHECK(sum / n == Approx(0).margin(0.01));
  CHECK(sum2 / n == Approx(1).epsilon(0.01));
}

namespace {

struct Summary {
  double mean = 0, min = 1e300, max = -1e300;
};

Summary draw(const Distribution& d, int n, std::uint64_t seed = 77) {
  Rng r(seed);
  Summary s;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const double x = d.sample(r);
    sum += x;
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
  s.mean = sum / n;
  return s;
}

}  // namespace

TEST_CASE("sample means match the laws and samples are never negative", "[distribution]") {
  const int n = 200'000;
  SECTION("constant") {
    const auto s = draw(Distribution::constant(0.25), 10);
    CHECK(s.min == 0.25);
    CHECK(s.max == 0.25);
  }
  SECTION("uniform") {
    const auto d = Distribution::uniform(0.1, 0.3);
    const auto s = draw(d, n);
    CHECK(s.mean == Approx(d.mean()).epsilon(0.01));
    CHECK(s.min >= 0.1);
    CHECK(s.max < 0.3);
    CHECK(d.min() == 0.1);
  }
  SECTION("exponential") {
    const auto d = Distribution::exponential(0.05);
    const auto s = draw(d, n);
    CHECK(s.mean == Approx(0.05).epsilon(0.02));
    CHECK(s.min >= 0);
    CHECK(std::isfinite(s.max));
  }
  SECTION("lognormal: median * exp(sigma N)") {
    const auto d = Distribution::lognormal(2355.2, 0.3);
    CHECK(d.mean() == Approx(2355.2 * std::exp(0.045)));
    const auto s = draw(d, n);
    CHECK(s.mean == Approx(d.mean()).epsilon(0.01));
    CHECK(s.min > 0);
    Rng r(3);
    std::vector<double> xs;
    for (int i = 0; i < 20001; ++i)
      xs.push_back(d.sample(r));
    std::nth_element(xs.begin(), xs.begin() + 10000, xs.end());
    CHECK(xs[10000] == Approx(2355.2).epsilon(0.02));
  }
  SECTION("normal far from zero keeps its mean") {
    const auto s = draw(Distribution::normal(10, 1), n);
    CHECK(s.mean == Approx(10).epsilon(0.005));
  }
  SECTION("normal truncated at zero resamples: never negative, nothing piles up at 0") {
    const auto d = Distribution::normal(0.1, 0.1);
    Rng r(1);
    int zeros = 0;
    for (int i = 0; i < n; ++i) {
      const double x = d.sample(r);
      REQUIRE(x >= 0);
      zeros += x == 0;
    }
    CHECK(zeros == 0);
    CHECK(d.min() == 0);
    CHECK(d.mean() == 0.1);  // of the untruncated law, as documented
  }
  SECTION("empirical picks each sample about equally often") {
    const auto d = Distribution::empirical({0.001, 0.003, 0.002});
    CHECK(d.mean() == Approx(0.002));
    CHECK(d.min() == 0.001);
    Rng r(11);
    int counts[3] = {0, 0, 0};
    for (int i = 0; i < 30000; ++i) {
      const double x = d.sample(r);
      counts[x == 0.001 ? 0 : x == 0.002 ? 1 : 2]++;
    }
    for (int c : counts)
      CHECK(c == Approx(10000).epsilon(0.05));
  }
}

TEST_CASE("the same seed draws the same values from every law", "[distribution]") {
  const std::vector<Distribution> laws = {
      Distribution::uniform(0, 1), Distribution::exponential(1), Distribution::normal(1, 1),
      Distribution::lognormal(1, 0.5), Distribution::empirical({1, 2, 3})};
  for (const auto& d : laws) {
    Rng a(5), b(5);
    for (int i = 0; i < 50; ++i)
      REQUIRE(d.sample(a) == d.sample(b));
  }
}

TEST_CASE("describe uses the quantity's unit", "[distribution]") {
  CHECK(Distribution::lognormal(0.2, 0.25).describe("s") == "lognormal(median 200ms, sigma 0.25)");
  CHECK(Distribution::constant(2560).describe("B") == "2.5 KiB");
  CHECK(Distribution::uniform(0.1, 0.3).describe("s") == "uniform(100ms, 300ms)");
}
