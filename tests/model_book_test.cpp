// The book's flags run, reproduced by the model from scenarios/flags20.toml: the figures
// (16.08 s sequential, ~1.1 s with 20 threads, ~1.0 s with asyncio) and why they come
// out that way; and every bundled scenario simulates with one outcome per download.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "model/scenario_load.hpp"
#include "model/simulate.hpp"

namespace {

double seconds(sim::Duration d) {
  return sim::to_seconds(d);
}

const model::RunRecord& run_named(const std::vector<model::RunRecord>& runs,
                                  const std::string& name) {
  auto it = std::find_if(runs.begin(), runs.end(),
                         [&](const model::RunRecord& r) { return r.result.name == name; });
  REQUIRE(it != runs.end());
  return *it;
}

// Time spent in each phase, summed over all downloads of a run.
std::array<sim::Duration, model::kPhaseCount> phase_totals(const model::StrategyResult& r) {
  std::array<sim::Duration, model::kPhaseCount> total{};
  for (const model::PhaseSpan& s : r.spans)
    total[static_cast<std::size_t>(s.phase)] += s.end - s.start;
  return total;
}

sim::Duration phase(const std::array<sim::Duration, model::kPhaseCount>& t, model::Phase p) {
  return t[static_cast<std::size_t>(p)];
}

}  // namespace

TEST_CASE("book: the flags run takes ~16 s sequential, ~1.1 s with 20 threads, ~1 s async",
          "[model][book]") {
  const model::Scenario s = model::load_scenario(LOITER_SOURCE_DIR "/scenarios/flags20.toml");
  const auto runs = model::simulate(s, {});
  const double seq = seconds(run_named(runs, "sequential").result.summary.makespan);
  const double threads = seconds(run_named(runs, "threads-20").result.summary.makespan);
  const double async = seconds(run_named(runs, "async").result.summary.makespan);
  INFO("sequential " << seq << " s, threads-20 " << threads << " s, async " << async << " s");
  CHECK(seq == Approx(16.08).epsilon(0.15));
  CHECK(threads == Approx(1.1).epsilon(0.15));
  CHECK(async == Approx(1.0).epsilon(0.15));
  // The shape: concurrency wins by an order of magnitude, async at least as well as threads.
  CHECK(seq / threads > 10);
  CHECK(async <= threads * 1.0001);
}

TEST_CASE("book: sequential flags wait on the network, they do not move bytes", "[model][book]") {
  const model::Scenario s = model::load_scenario(LOITER_SOURCE_DIR "/scenarios/flags20.toml");
  model::SimulateOptions only;
  only.only = {"sequential"};
  const auto runs = model::simulate(s, only);
  const model::StrategyResult& r = runs.at(0).result;
  REQUIRE(r.downloads.size() == 20);
  for (const auto& o : r.downloads)
    REQUIRE(o.status == model::Status::ok);

  // The transfer phase opens with the first byte's half RTT back, then the body crosses the
  // link, alone (sequential): bytes at the link's body rate (1448 of each 1514 bytes on the
  // wire), plus, when the flag outgrows TCP's first window (10 x 1448 B; no flag needs a third
  // round: the next window is 28,960 B more), the stall until the first segment's ACK is back:
  // 1448 B / rate + RTT - 10 x 1448 B / rate. The request phase is the other half RTT, so each
  // download's RTT is read off it.
  REQUIRE(s.network.bandwidth > 0);
  const double rate = s.network.bandwidth * 1448 / 1514;
  double body = 0;
  int second_rounds = 0;
  std::vector<double> request(r.downloads.size()), transfer(r.downloads.size());
  for (const auto& p : r.spans) {
    if (p.phase == model::Phase::request) request[p.download] += seconds(p.end - p.start);
    if (p.phase == model::Phase::transfer) transfer[p.download] += seconds(p.end - p.start);
  }
  for (const auto& o : r.downloads) {
    const double rtt = 2 * request[o.id];
    const bool second = o.bytes > 14480;
    second_rounds += second ? 1 : 0;
    const double stall = 1448 / rate + rtt - 14480 / rate;
    const double own = static_cast<double>(o.bytes) / rate + (second ? stall : 0.0);
    body += own;
    INFO(o.name << ": " << o.bytes << " B, RTT " << rtt);
    CHECK(transfer[o.id] == Approx(rtt / 2 + own).margin(2e-9));
  }
  CHECK(second_rounds == 7);  // US, PK, MX, PH, ET, IR, CD

  const auto t = phase_totals(r);
  const double makespan = seconds(r.summary.makespan);
  const double transfer_phase = seconds(phase(t, model::Phase::transfer));
  const double first_byte = transfer_phase - body;
  const double waiting = seconds(phase(t, model::Phase::connect)) +
                         seconds(phase(t, model::Phase::request)) +
                         seconds(phase(t, model::Phase::server_queue)) +
                         seconds(phase(t, model::Phase::service)) + first_byte;
  INFO("makespan " << makespan << " s: connect " << seconds(phase(t, model::Phase::connect))
                   << ", request " << seconds(phase(t, model::Phase::request)) << ", service "
                   << seconds(phase(t, model::Phase::service)) << ", first byte " << first_byte
                   << ", body " << body << " s");
  // Nothing else happens in a sequential run: the phases tile the makespan.
  CHECK(waiting + body == Approx(makespan).epsilon(1e-6));
  // The first-byte wait is half an RTT per download: positive, and like the request's.
  CHECK(first_byte == Approx(seconds(phase(t, model::Phase::request))).epsilon(0.01));
  CHECK(waiting > 0.8 * makespan);
  // Bytes on the link are a small part; slow start's extra round trips a larger one.
  double bytes = 0;
  for (const auto& o : r.downloads)
    bytes += static_cast<double>(o.bytes);
  CHECK(bytes / rate < 0.05 * makespan);
}

TEST_CASE("book: 20 threads take as long as the slowest flag, not as long as the bytes",
          "[model][book]") {
  const model::Scenario s = model::load_scenario(LOITER_SOURCE_DIR "/scenarios/flags20.toml");
  const auto runs = model::simulate(s, {});
  const model::StrategyResult& seq = run_named(runs, "sequential").result;
  const model::StrategyResult& threads = run_named(runs, "threads-20").result;

  // A download's latency with nothing else going on: its duration in the sequential run
  // (every strategy of a run draws the same RTTs and service times for the same flag).
  sim::Duration slowest{0};
  for (const auto& o : seq.downloads)
    slowest = std::max(slowest, o.end - o.start);
  double bytes = 0;
  for (const auto& o : threads.downloads)
    bytes += static_cast<double>(o.bytes);
  const double bandwidth_bound = bytes / s.network.bandwidth;
  const double makespan = seconds(threads.summary.makespan);
  INFO("threads-20 makespan " << makespan << " s, slowest flag alone " << seconds(slowest)
                              << " s, all bytes over the link " << bandwidth_bound << " s");
  CHECK(makespan >= seconds(slowest));
  CHECK(makespan <= 1.2 * seconds(slowest));
  CHECK(bandwidth_bound < 0.25 * makespan);
  // Every flag starts as soon as its thread has started: no one queues behind another flag.
  for (const auto& o : threads.downloads)
    CHECK(o.start == s.client.thread_start * (o.lane + 1));
}

TEST_CASE("book: every bundled scenario simulates with one outcome per download", "[model][book]") {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(LOITER_SOURCE_DIR "/scenarios")) {
    if (e.path().extension() == ".toml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 5);
  for (const auto& path : files) {
    model::Scenario s = model::load_scenario(path.string());
    // million.toml is too big for a debug test: the same scenario with 10^4 downloads.
    if (s.workload.kind == model::Workload::Kind::generated && s.workload.count > 10'000)
      s.workload.count = 10'000;
    const std::size_t n = s.workload.download_count();
    REQUIRE(n > 0);
    const auto runs = model::simulate(s, {});
    REQUIRE(runs.size() == s.strategies.size());
    for (const auto& run : runs) {
      const model::StrategyResult& r = run.result;
      INFO(path.filename().string() << ": strategy " << r.name);
      REQUIRE(r.downloads.size() == n);
      std::vector<int> seen(n, 0);
      std::array<std::int64_t, model::kStatusCount> counts{};
      for (const auto& o : r.downloads) {
        REQUIRE(o.id < n);
        ++seen[o.id];
        ++counts[static_cast<std::size_t>(o.status)];
        CHECK(o.attempts >= 1);
        CHECK(o.submitted <= o.start);
        CHECK(o.start <= o.end);
        CHECK(o.end <= o.consumed);
        CHECK(o.end <= r.summary.makespan);
      }
      CHECK(std::all_of(seen.begin(), seen.end(), [](int k) { return k == 1; }));
      CHECK(counts == r.summary.counts);
      std::int64_t total = 0;
      for (std::int64_t c : counts)
        total += c;
      CHECK(total == static_cast<std::int64_t>(n));
      CHECK(r.summary.makespan >= r.summary.lower_bound);
    }
  }
}
