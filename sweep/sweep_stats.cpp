#include "sweep/sweep_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "sim/time.hpp"

namespace sweep {

bool row_before(const SweepRow& a, const SweepRow& b) {
  return std::tie(a.point, a.replication, a.strategy) <
         std::tie(b.point, b.replication, b.strategy);
}

namespace {

// Continued fraction of the incomplete beta function (modified Lentz).
double beta_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::abs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::abs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::abs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::abs(del - 1) < 1e-15) break;
  }
  return h;
}

// Regularized incomplete beta I_x(a, b).
double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_fraction(a, b, x) / a;
  return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

// P(T > t) for Student's t with `df` degrees of freedom, t >= 0.
double t_upper_tail(double t, double df) {
  return 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
}

}  // namespace

double student_t95(int df) {
  if (df < 1) return std::numeric_limits<double>::quiet_NaN();
  double lo = 0, hi = 1000;  // the tail is 0.025 at 12.706 for df = 1
  for (int i = 0; i < 200 && hi - lo > 1e-13; ++i) {
    const double mid = (lo + hi) / 2;
    (t_upper_tail(mid, df) > 0.025 ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

Estimate estimate(const std::vector<double>& values) {
  Estimate e;
  e.n = values.size();
  if (values.empty()) return e;
  double sum = 0;
  e.min = e.max = values.front();
  for (double v : values) {
    sum += v;
    e.min = std::min(e.min, v);
    e.max = std::max(e.max, v);
  }
  e.mean = sum / static_cast<double>(e.n);
  if (e.n < 2) {
    e.half_width = std::numeric_limits<double>::quiet_NaN();
    return e;
  }
  double squares = 0;
  for (double v : values)
    squares += (v - e.mean) * (v - e.mean);
  const double sd = std::sqrt(squares / static_cast<double>(e.n - 1));
  e.half_width = student_t95(static_cast<int>(e.n - 1)) * sd / std::sqrt(static_cast<double>(e.n));
  return e;
}

std::vector<PointStats> point_stats(const SweepMeta& meta, const std::vector<SweepRow>& rows) {
  // (point, strategy) -> its rows, in replication order.
  std::map<std::pair<std::size_t, std::size_t>, std::vector<const SweepRow*>> groups;
  for (const SweepRow& r : rows)
    groups[{r.point, r.strategy}].push_back(&r);
  std::vector<PointStats> out;
  out.reserve(groups.size());
  for (const auto& [at, group] : groups) {
    PointStats ps;
    ps.point = at.first;
    ps.strategy = at.second;
    std::vector<double> makespan, throughput, p95, share;
    double bound = 0;
    for (const SweepRow* r : group) {
      makespan.push_back(sim::to_seconds(sim::Duration{r->makespan_ns}));
      throughput.push_back(r->throughput_per_s);
      p95.push_back(sim::to_seconds(sim::Duration{r->p95_ns}));
      bound += sim::to_seconds(sim::Duration{r->lower_bound_ns});
      ps.failed += r->failed;
      share.push_back(
          r->downloads ? static_cast<double>(r->failed) / static_cast<double>(r->downloads) : 0.0);
    }
    ps.failed_share = estimate(share);
    ps.makespan_s = estimate(makespan);
    ps.throughput_per_s = estimate(throughput);
    ps.p95_s = estimate(p95);
    ps.lower_bound_s = bound / static_cast<double>(group.size());
    std::map<std::string, int> binds;
    int most = 0;
    for (const SweepRow* r : group) {
      const int n = ++binds[r->binds];
      if (n > most || (n == most && r->binds < ps.binds)) {
        most = n;
        ps.binds = r->binds;
      }
    }
    out.push_back(ps);
  }
  (void)meta;
  return out;
}

bool axis_changes(const SweepMeta& meta, std::size_t axis, std::size_t strategy) {
  std::string_view key = meta.axes[axis].key;
  if (!key.starts_with("strategy.")) return true;
  key.remove_prefix(std::string_view("strategy.").size());
  for (std::string_view field : {".workers", ".max_concurrency"}) {
    if (key.ends_with(field)) key.remove_suffix(field.size());
  }
  const std::string& name = meta.strategies[strategy];
  if (key == "*")
    return std::find(meta.varied.begin(), meta.varied.end(), name) != meta.varied.end();
  return key == name;
}

std::vector<Recommendation> recommend(const SweepMeta& meta, const std::vector<PointStats>& stats) {
  std::vector<Recommendation> out;
  for (const SweepAxis& a : meta.axes)
    if (what_if_key(a.key)) return out;  // nothing to decide for the environment
  for (std::size_t si = 0; si < meta.strategies.size(); ++si) {
    if (std::find(meta.varied.begin(), meta.varied.end(), meta.strategies[si]) == meta.varied.end())
      continue;
    Recommendation r;
    r.strategy = si;
    for (const PointStats& ps : stats) {
      if (ps.strategy != si) continue;
      if (!r.fewest_failed || ps.failed_share.mean < r.fewest_failed->failed_share.mean)
        r.fewest_failed = &ps;
    }
    if (!r.fewest_failed) continue;
    const Estimate& least = r.fewest_failed->failed_share;
    r.failed_limit = least.mean + (least.has_interval() ? least.half_width : 0.0);
    auto eligible = [&](const PointStats& ps) {
      return ps.strategy == si && ps.failed_share.mean <= r.failed_limit;
    };
    for (const PointStats& ps : stats) {
      if (ps.strategy != si) continue;
      if (!eligible(ps)) {
        ++r.excluded;
        continue;
      }
      if (!r.best || ps.makespan_s.mean < r.best->makespan_s.mean) r.best = &ps;
    }
    if (!r.best) continue;
    auto values = [&](const PointStats& ps) {  // of the axes that change this strategy
      std::vector<double> v;
      const auto c = meta.coordinates(ps.point);
      for (std::size_t i = 0; i < meta.axes.size(); ++i) {
        if (axis_changes(meta, i, si)) v.push_back(meta.axes[i].values[c[i]]);
      }
      return v;
    };
    const double limit = r.best->makespan_s.mean * (1 + meta.within);
    for (const PointStats& ps : stats) {
      if (!eligible(ps) || ps.makespan_s.mean > limit) continue;
      if (!r.chosen || values(ps) < values(*r.chosen)) r.chosen = &ps;
    }
    for (const PointStats& ps : stats) {
      if (ps.strategy != si || !(values(*r.chosen) < values(ps))) continue;
      if (!r.next || values(ps) < values(*r.next)) r.next = &ps;
    }
    out.push_back(r);
  }
  return out;
}

namespace {

int decimals_for(double seconds) {
  if (!(seconds > 0)) return 3;
  return std::clamp(2 - static_cast<int>(std::floor(std::log10(seconds))), 0, 9);
}

// The values of the axes that change `strategy` at `point`: "k = v, k2 = v2" or "v, v2".
std::string setting_phrase(const SweepMeta& meta, std::size_t point, std::size_t strategy,
                           bool values_only) {
  const auto c = meta.coordinates(point);
  std::string out;
  for (std::size_t i = 0; i < meta.axes.size(); ++i) {
    if (!axis_changes(meta, i, strategy)) continue;
    out += out.empty() ? "" : ", ";
    if (!values_only) out += meta.axes[i].key + " = ";
    out += meta.axes[i].labels[c[i]];
  }
  return out;
}

}  // namespace

std::string percent_text(double share) {
  const double pct = share * 100;
  if (pct == 0 || pct >= 10) return fmt::format("{:.0f}%", pct);
  return fmt::format("{:.1f}%", pct);
}

std::string seconds_with_interval(const Estimate& e) {
  const int d = decimals_for(e.mean);
  if (!e.has_interval()) return fmt::format("{:.{}f} s (one replication: no interval)", e.mean, d);
  return fmt::format("{:.{}f} s \u00b1 {:.{}f}", e.mean, d, e.half_width, d);
}

std::string binds_phrase(const std::string& binds) {
  if (binds == "none") return "nothing shared (each download's own time)";
  if (binds == "lanes") return "its lanes";
  return "the " + binds;
}

std::string recommendation_line(const SweepMeta& meta, const Recommendation& r) {
  std::size_t recommended = 0;
  for (const std::string& s : meta.strategies)
    recommended += std::count(meta.varied.begin(), meta.varied.end(), s);
  const std::string who = recommended > 1 ? " for " + meta.strategies[r.strategy] : "";
  const double best = r.best->makespan_s.mean;
  std::size_t changing = 0;
  for (std::size_t i = 0; i < meta.axes.size(); ++i)
    changing += axis_changes(meta, i, r.strategy) ? 1 : 0;
  const std::string constraint =
      r.excluded ? "fastest with no more failures than the best" : "fastest";
  std::string line = fmt::format(
      "recommended{}: {} ({}: {} failed; makespan {}, best {:.{}f} s at {})", who,
      setting_phrase(meta, r.chosen->point, r.strategy, false), constraint,
      percent_text(r.chosen->failed_share.mean), seconds_with_interval(r.chosen->makespan_s), best,
      decimals_for(best), setting_phrase(meta, r.best->point, r.strategy, changing == 1));
  if (!r.chosen->binds.empty()) {
    const bool next = r.next != nullptr && !r.next->binds.empty();
    const std::string at_next =
        next ? setting_phrase(meta, r.next->point, r.strategy, changing == 1) : "";
    if (next && r.next->binds == r.chosen->binds)
      line += "; bound there and at " + at_next + " by " + binds_phrase(r.chosen->binds);
    else
      line += "; bound there by " + binds_phrase(r.chosen->binds) +
              (next ? ", at " + at_next + " by " + binds_phrase(r.next->binds) : "");
  }
  return line;
}

}  // namespace sweep
