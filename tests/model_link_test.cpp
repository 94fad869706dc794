// The shared downlink (model::Link) against an independent, brute-force fluid model:
// random small cases of staggered flows, with and without a per-transfer cap, with
// unlimited bandwidth, with abandoned transfers; and the engine work per transfer as n grows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "model/link.hpp"
#include "sim/sim.hpp"

namespace {

using Ns = std::int64_t;

struct Flow {
  Ns start = 0;               // ns from time zero
  std::int64_t bytes = 0;     //
  std::optional<Ns> abandon;  // the waiting process is interrupted at this time
};

struct Case {
  double bandwidth = 0;  // bytes/s, 0 = unlimited
  double cap = 0;        // bytes/s per transfer, 0 = none
  std::vector<Flow> flows;
};

// ---- the reference: a fluid model, event by event, O(n) per step ----
//
// With n flows active each receives min(cap, B/n) bytes per unit of time (only the cap
// when B is unlimited, everything at once when both are unlimited). Advance to the next
// event (an arrival, an abandonment, or the earliest finish), subtract what each active
// flow received, retire the flows that are done. Time is a long double number of ns.
//
// `whole_ns` makes the reference take each finish at the next whole nanosecond, as an
// integer-ns engine must (the flow keeps its share until that tick). See the comment at the
// first TEST_CASE for why both variants exist.
struct Reference {
  std::vector<long double> finish;  // ns; for an abandoned flow: when it left
  std::vector<bool> abandoned;
};

Reference fluid(const Case& c, bool whole_ns) {
  const std::size_t n = c.flows.size();
  Reference out;
  out.finish.assign(n, -1);
  out.abandoned.assign(n, false);
  const long double B = static_cast<long double>(c.bandwidth) * 1e-9L;  // bytes per ns
  const long double C = static_cast<long double>(c.cap) * 1e-9L;
  const auto rate = [&](std::size_t active) -> long double {
    if (B <= 0 && C <= 0) return std::numeric_limits<long double>::infinity();
    const long double fair = B > 0 ? B / static_cast<long double>(active) : C;
    return C > 0 ? std::min(C, fair) : fair;
  };
  constexpr long double inf = std::numeric_limits<long double>::infinity();

  std::vector<long double> remaining(n, 0);
  std::vector<bool> arrived(n, false), active(n, false);
  std::size_t done = 0;
  long double t = 0;
  while (done < n) {
    std::size_t k = 0;
    long double min_rem = inf;
    for (std::size_t i = 0; i < n; ++i) {
      if (!active[i]) continue;
      ++k;
      min_rem = std::min(min_rem, remaining[i]);
    }
    const long double r = k > 0 ? rate(k) : 0;
    long double next_finish = inf;
    if (k > 0) {
      next_finish = std::isinf(r) ? t : t + min_rem / r;
      if (whole_ns) next_finish = std::ceil(next_finish);
    }
    long double next_other = inf;  // arrivals and abandonments
    for (std::size_t i = 0; i < n; ++i) {
      const Flow& f = c.flows[i];
      if (!arrived[i]) next_other = std::min(next_other, static_cast<long double>(f.start));
      if (active[i] && f.abandon)
        next_other = std::min(next_other, static_cast<long double>(*f.abandon));
    }
    const long double te = std::min(next_finish, next_other);
    REQUIRE(te >= t);
    REQUIRE(te < inf);
    // Everyone active receives r * (te - t).
    for (std::size_t i = 0; i < n; ++i) {
      if (active[i] && !std::isinf(r)) remaining[i] -= r * (te - t);
    }
    t = te;
    // Finishes at te: the flows whose bytes are (to rounding) all through.
    if (te == next_finish) {
      for (std::size_t i = 0; i < n; ++i) {
        if (!active[i]) continue;
        const bool through = std::isinf(r) || remaining[i] <= 1e-12L * (1 + c.flows[i].bytes);
        if (!through) continue;
        active[i] = false;
        out.finish[i] = t;
        ++done;
      }
    }
    // Abandonments at te.
    for (std::size_t i = 0; i < n; ++i) {
      if (active[i] && c.flows[i].abandon && static_cast<long double>(*c.flows[i].abandon) == t) {
        active[i] = false;
        out.abandoned[i] = true;
        out.finish[i] = t;
        ++done;
      }
    }
    // Arrivals at te.
    for (std::size_t i = 0; i < n; ++i) {
      if (arrived[i] || static_cast<long double>(c.flows[i].start) != t) continue;
      arrived[i] = true;
      if (c.flows[i].bytes <= 0 || std::isinf(rate(1))) {
        out.finish[i] = t;  // nothing to send, or an unlimited link: done on arrival
        ++done;
      } else {
        active[i] = true;
        remaining[i] = static_cast<long double>(c.flows[i].bytes);
      }
    }
  }
  return out;
}

// ---- the model under test: the same flows as processes on a sim::Simulation ----

struct Observed {
  std::vector<Ns> at;  // when the transfer returned, or when the interrupt arrived
  std::vector<bool> interrupted;
  std::uint64_t events = 0;
};

struct FlowEnd {
  Ns at = -1;
  bool interrupted = false;
};

sim::Process<> flow_process(sim::Simulation& sim, model::Link& link, Flow f, FlowEnd& end) {
  co_await sim.timeout(sim::Duration{f.start});
  try {
    co_await link.transfer(f.bytes);
  } catch (const sim::Interrupted&) {
    end.interrupted = true;
  }
  end.at = sim.now().count();
}

sim::Process<> interrupter(sim::Simulation& sim, sim::Process<> target, Ns when) {
  co_await sim.timeout(sim::Duration{when});
  sim.interrupt(target, "abandoned");
}

Observed run_link(const Case& c) {
  sim::Simulation sim;
  model::Link link(sim, c.bandwidth, c.cap);
  std::vector<FlowEnd> ends(c.flows.size());
  for (std::size_t i = 0; i < c.flows.size(); ++i) {
    auto p = sim.spawn(flow_process(sim, link, c.flows[i], ends[i]));
    if (c.flows[i].abandon) sim.spawn(interrupter(sim, p, *c.flows[i].abandon));
  }
  sim.run();
  CHECK(link.active() == 0);
  Observed out;
  for (const FlowEnd& e : ends) {
    out.at.push_back(e.at);
    out.interrupted.push_back(e.interrupted);
  }
  out.events = sim.events();
  return out;
}

// ---- random cases ----

enum class LinkKind { shared, shared_capped, unlimited_capped };

Case random_case(std::mt19937_64& rng, LinkKind kind, bool abandons) {
  Case c;
  auto log_uniform = [&](double lo, double hi) {
    return std::exp(std::uniform_real_distribution<double>(std::log(lo), std::log(hi))(rng));
  };
  const double bandwidth = log_uniform(1e4, 1e9);  // 80 kbit/s .. 8 Gbit/s
  switch (kind) {
    case LinkKind::shared:
      c.bandwidth = bandwidth;
      break;
    case LinkKind::shared_capped:
      c.bandwidth = bandwidth;
      // A cap that binds sometimes: between a tenth of the link and the whole link.
      c.cap = bandwidth * log_uniform(0.1, 1.0);
      break;
    case LinkKind::unlimited_capped:
      c.cap = bandwidth / 4;
      break;
  }
  const int n = std::uniform_int_distribution<int>(1, 12)(rng);
  // Sizes such that one flow alone takes ~1 us .. ~2 s, and starts staggered over ~1 s at
  // the scale of one transfer, so flows overlap in every way.
  const double alone = log_uniform(1e-6, 2.0);  // seconds per "typical" flow
  for (int i = 0; i < n; ++i) {
    Flow f;
    const double size = bandwidth * alone * log_uniform(0.05, 2.0);
    f.bytes = std::max<std::int64_t>(1, std::llround(size));
    if (std::uniform_int_distribution<int>(0, 19)(rng) == 0) f.bytes = 0;
    const bool together = std::uniform_int_distribution<int>(0, 3)(rng) == 0;
    f.start = together
                  ? 0
                  : std::llround(std::uniform_real_distribution<double>(0, 1.5)(rng) * alone * 1e9);
    c.flows.push_back(f);
  }
  if (abandons) {
    // Abandon one or two flows at a random moment after they start.
    const int k = std::min<int>(n, std::uniform_int_distribution<int>(1, 2)(rng));
    for (int j = 0; j < k; ++j) {
      Flow& f = c.flows[std::uniform_int_distribution<std::size_t>(0, c.flows.size() - 1)(rng)];
      f.abandon = f.start + 1 +
                  std::llround(std::uniform_real_distribution<double>(0, 1.0)(rng) * alone * 1e9);
    }
  }
  return c;
}

std::string describe(const Case& c) {
  std::string s = "bandwidth=" + std::to_string(c.bandwidth) + " cap=" + std::to_string(c.cap);
  for (const Flow& f : c.flows) {
    s += "\n  start=" + std::to_string(f.start) + "ns bytes=" + std::to_string(f.bytes);
    if (f.abandon) s += " abandon=" + std::to_string(*f.abandon) + "ns";
  }
  return s;
}

// Largest |model - reference| over the flows that were not abandoned (ns).
long double max_error(const Case& c, const Observed& got, const Reference& want) {
  long double worst = 0;
  for (std::size_t i = 0; i < c.flows.size(); ++i) {
    if (want.abandoned[i]) continue;
    worst = std::max(worst, std::fabs(static_cast<long double>(got.at[i]) - want.finish[i]));
  }
  return worst;
}

// True when a flow's abandonment and its finish fall within `margin` ns of each other in
// either reference: which one wins is then a matter of rounding, not of the model.
bool ambiguous(const Case& c, long double margin) {
  Case plain = c;
  for (Flow& f : plain.flows)
    f.abandon.reset();
  const Reference r = fluid(plain, true);
  for (std::size_t i = 0; i < c.flows.size(); ++i) {
    if (c.flows[i].abandon &&
        std::fabs(r.finish[i] - static_cast<long double>(*c.flows[i].abandon)) <= margin)
      return true;
  }
  return false;
}

void check_random_cases(LinkKind kind, bool abandons, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  long double worst_tick = 0, worst_exact = 0;
  int checked = 0;
  while (checked < 200) {
    const Case c = random_case(rng, kind, abandons);
    if (abandons && ambiguous(c, 3)) continue;
    ++checked;
    const Observed got = run_link(c);
    const Reference tick = fluid(c, true);
    const Reference exact = fluid(c, false);
    INFO(describe(c));
    for (std::size_t i = 0; i < c.flows.size(); ++i) {
      INFO("flow " << i << ": model " << got.at[i] << " ns, reference " << tick.finish[i]
                   << " ns (whole-ns ticks) / " << exact.finish[i] << " ns (exact)");
      // An abandoned flow leaves exactly when it is interrupted; the others do not.
      REQUIRE(got.interrupted[i] == tick.abandoned[i]);
      if (tick.abandoned[i]) CHECK(got.at[i] == *c.flows[i].abandon);
    }
    const long double e_tick = max_error(c, got, tick);
    const long double e_exact = max_error(c, got, exact);
    CHECK(e_tick <= 1);
    CHECK(e_exact <= 2 * static_cast<long double>(c.flows.size()));
    worst_tick = std::max(worst_tick, e_tick);
    worst_exact = std::max(worst_exact, e_exact);
  }
  UNSCOPED_INFO("worst error: " << static_cast<double>(worst_tick) << " ns against whole-ns "
                                << "ticks, " << static_cast<double>(worst_exact)
                                << " ns against the exact fluid model");
  SUCCEED();
}

}  // namespace

// Why two references. The engine's clock is whole nanoseconds, so the link can only
// retire a flow at the tick at or after its exact finish (Link::arm rounds up); until that
// tick the flow keeps its share. Each such delay (< 1 ns) takes a little bandwidth from the
// flows still active, and what they lose is made up later at whatever rate they then get,
// so against the *exact* fluid model the errors add up over the finishes (measured worst
// over these cases: 5.7 ns with 12 flows). 1 ns against the exact model is therefore
// impossible in general, so the tight check (<= 1 ns; in fact 0 ns in every case here) is
// against the same fluid model with finishes taken at whole-ns ticks, which is the best an
// integer-ns engine can do. Against the exact model we only bound the drift, loosely, by
// 2 ns per flow.
TEST_CASE("link: finish times match a brute-force fluid model on a shared link", "[model][link]") {
  check_random_cases(LinkKind::shared, false, 11);
}

TEST_CASE("link: finish times match the fluid model with a per-transfer cap (max-min)",
          "[model][link]") {
  check_random_cases(LinkKind::shared_capped, false, 12);
}

TEST_CASE("link: with unlimited bandwidth and a cap every flow runs at the cap", "[model][link]") {
  check_random_cases(LinkKind::unlimited_capped, false, 13);
  // And in closed form: 1000 bytes at 4000 B/s take 250 ms whatever else is running.
  Case c;
  c.cap = 4000;
  for (int i = 0; i < 5; ++i)
    c.flows.push_back({i * 100'000'000LL, 1000, {}});
  const Observed got = run_link(c);
  for (int i = 0; i < 5; ++i)
    CHECK(got.at[static_cast<std::size_t>(i)] == i * 100'000'000LL + 250'000'000LL);
}

TEST_CASE("link: with unlimited bandwidth and no cap a transfer takes no time", "[model][link]") {
  Case c;
  c.flows = {{0, 1'000'000, {}}, {5, 1, {}}, {5, 123'456'789, {}}};
  const Observed got = run_link(c);
  CHECK(got.at == std::vector<Ns>{0, 5, 5});
}

TEST_CASE("link: abandoned transfers give their share back at once", "[model][link]") {
  SECTION("random cases, uncapped") {
    check_random_cases(LinkKind::shared, true, 21);
  }
  SECTION("random cases, capped") {
    check_random_cases(LinkKind::shared_capped, true, 22);
  }
  SECTION("closed form") {
    // Two 1 MB flows on 1 MB/s from t=0: each at 0.5 MB/s. B is abandoned at 0.5 s, having
    // received 250 kB; A, with 750 kB left, then runs alone at 1 MB/s: done at 1.25 s.
    // (Had B's share not been freed, A would finish at 2 s.)
    Case c;
    c.bandwidth = 1'000'000;
    c.flows = {{0, 1'000'000, {}}, {0, 1'000'000, 500'000'000LL}};
    const Observed got = run_link(c);
    CHECK(got.interrupted == std::vector<bool>{false, true});
    CHECK(got.at[1] == 500'000'000LL);
    CHECK(std::llabs(got.at[0] - 1'250'000'000LL) <= 1);
  }
  SECTION("abandoning the only flow leaves the link idle and ready") {
    Case c;
    c.bandwidth = 1'000;
    c.flows = {{0, 1'000'000, 1'000'000'000LL}, {2'000'000'000LL, 500, {}}};
    const Observed got = run_link(c);
    CHECK(got.at[0] == 1'000'000'000LL);
    CHECK(std::llabs(got.at[1] - 2'500'000'000LL) <= 1);
  }
}

// The finish test (Link::finish_due) compares a tag with the virtual clock up to a
// tolerance. That tolerance must be a rounding allowance (well under a nanosecond of
// transfer), not 1e-9 of the tag: on a slow link with large flows 1e-9 of the bytes is
// microseconds of transfer, and a flow that still has them to receive is retired early with
// the one whose timer fired.
TEST_CASE("link: a flow that is not done yet is not retired with another", "[model][link]") {
  // 10 MB flows on a 10 kB/s (80 kbit/s) link. A starts at 0; B starts 1 us later, when A
  // is 0.01 bytes ahead. Sharing 5 kB/s, A finishes at ~2000 s; B then has 0.01 bytes left
  // and runs alone at 10 kB/s: it must finish 1 us after A, not with A.
  Case c;
  c.bandwidth = 10'000;
  c.flows = {{0, 10'000'000, {}}, {1'000, 10'000'000, {}}};
  const Observed got = run_link(c);
  const Reference want = fluid(c, true);
  INFO("model: A " << got.at[0] << " ns, B " << got.at[1] << " ns; reference: A "
                   << static_cast<std::int64_t>(want.finish[0]) << " ns, B "
                   << static_cast<std::int64_t>(want.finish[1]) << " ns");
  CHECK(std::fabs(static_cast<long double>(got.at[0]) - want.finish[0]) <= 1);
  CHECK(got.at[1] - got.at[0] == 1'000);
  CHECK(std::fabs(static_cast<long double>(got.at[1]) - want.finish[1]) <= 1);
}

// Not a wall-time assertion: the link's cost shows in the engine events it causes per
// transfer, which must not grow with the number of transfers in flight (a start or finish
// touches a heap, never every active flow, and schedules a bounded number of wake-ups).
TEST_CASE("link: engine events per transfer stay bounded as n grows", "[model][link]") {
  std::vector<double> per_transfer;
  for (int n : {1'000, 10'000, 100'000}) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(n));
    Case c;
    c.bandwidth = 1e9;
    // Sizes around 100 kB; all flows start within the first 10% of the drain time, so most
    // of them are in flight together (n/2 and more).
    const double drain_ns = static_cast<double>(n) * 1e5;  // n x 100 kB at 1 GB/s
    std::lognormal_distribution<double> size(std::log(1e5), 0.5);
    std::uniform_real_distribution<double> start(0, 0.1 * drain_ns);
    for (int i = 0; i < n; ++i)
      c.flows.push_back({std::llround(start(rng)), std::llround(size(rng)), {}});
    const Observed got = run_link(c);
    for (Ns at : got.at)
      REQUIRE(at >= 0);
    per_transfer.push_back(static_cast<double>(got.events) / n);
    INFO("n=" << n << " events=" << got.events);
    // Per transfer: the process starts, waits its start time, resumes from the link; the
    // link arms a timer once per start and once per finish (a timer process: start +
    // timeout), 7 in all. (Were a start or finish O(n), the 10^5 case, with ~10^5 flows in
    // flight, would not finish within the test timeout either.)
    CHECK(per_transfer.back() <= 7.5);
  }
  CHECK(per_transfer.back() <= per_transfer.front() * 1.05);
}
