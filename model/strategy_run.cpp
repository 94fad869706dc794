#include "model/strategy_run.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "model/explain.hpp"
#include "model/retry_policy.hpp"
#include "model/summary.hpp"

namespace model {

StrategyPlan plan_for(const Strategy& s, const Client& c, std::size_t downloads) {
  StrategyPlan p;
  const int n = static_cast<int>(std::max<std::size_t>(downloads, 1));
  switch (s.kind) {
    case Strategy::Kind::sequential:
      p.kind = "sequential";
      p.detail = "one at a time";
      break;
    case Strategy::Kind::pool: {
      const bool threads = s.pool_kind == Strategy::PoolKind::thread;
      p.kind = "pool";
      p.lanes = std::min(s.workers, n);
      // Under a GIL the threads share one slot in turns; processes and threads without a GIL
      // (C++, Go, Java, free-threaded Python) run on the cores.
      p.cpu_slots = threads && c.gil ? 1 : std::max(1, c.cores);
      if (threads && c.gil) p.cpu_quantum = c.switch_interval;
      p.lane_start = threads ? c.thread_start : c.process_start;
      p.in_order = s.consume == Strategy::Consume::in_order;
      p.detail = fmt::format("{} {}{}, {}", s.workers, threads ? "thread" : "process",
                             s.workers == 1 ? "" : (threads ? "s" : "es"),
                             p.in_order ? "in order" : "as completed");
      break;
    }
    case Strategy::Kind::async:
      p.kind = "async";
      p.lanes = s.max_concurrency > 0 ? std::min(s.max_concurrency, n) : n;
      p.detail = s.max_concurrency > 0 ? fmt::format("at most {} at once", s.max_concurrency)
                                       : "all at once";
      break;
  }
  return p;
}

namespace {

struct Run {
  sim::Simulation& sim;
  Transport& transport;
  const Client& client;
  const Jobs& jobs;
  Jobs::Cursor take;                     // the lanes take their jobs from it
  std::optional<Jobs::Cursor> arrivals;  // the arrivals read so far (Summary::max_waiting)
  Time last_arrival{0};
  StrategyPlan plan;
  sim::Resource cpu;
  std::deque<PhaseSpan> spans;  // each download's, kept as it ends (StrategyResult::spans)
  bool all_spans = true;        // else only those of Phase::pool and Phase::cpu
  std::array<TimeSum, kPhaseCount> phase_time{};  // StrategyResult::phase_time
  // Every download is told to the tally once it is settled (ended, and its result consumed),
  // and kept whole only when asked for (keep): by id in `outcomes`, else in `tried` just its
  // status and attempts (low and high byte), what the lower bound needs besides its job.
  Tally tally;
  std::optional<KeptConnections> kept;  // for the lower bound, told each settled download too
  bool keep = true;
  std::vector<Outcome> outcomes;
  std::vector<std::uint16_t> tried;
  // The downloads a lane has taken or the in-order caller waits for, from the oldest not yet
  // settled on (by id - first_pending): what is left when the events run out.
  struct Pending {
    Pending(sim::Simulation& s, bool in_order) {
      if (in_order) done.emplace(s);
    }
    Job job;  // once a lane has taken it
    Outcome o;
    PhaseRecorder* rec = nullptr;  // while it is under way
    bool ended = false, settled = false;
    std::optional<sim::Event<>> done;  // in-order consumption waits on it
  };
  std::deque<Pending> pending;
  std::size_t first_pending = 0;
  Pending& at(std::size_t id) {
    while (first_pending + pending.size() <= id)
      pending.emplace_back(sim, plan.in_order);
    return pending[id - first_pending];
  }
  // Summary::max_waiting, counted as downloads start: the jobs' arrivals in time order.
  WaitCount waiting;
  std::vector<Time> sorted_arrivals;  // when the jobs' are out of order
  // Asked for in order (the same i again, or the next).
  Time arrival(std::size_t i) {
    if (!sorted_arrivals.empty()) return sorted_arrivals[i];
    if (jobs.list() != nullptr) return (*jobs.list())[i].arrival;
    if (!arrivals) arrivals.emplace(jobs.arrivals());
    while (arrivals->position() <= i)
      last_arrival = arrivals->next().arrival;
    return last_arrival;
  }
  void started(Time at) {
    waiting.started(at, jobs.size(), [this](std::size_t i) { return arrival(i); });
  }
  std::size_t next_job = 0;
  bool record_log;
  std::vector<LogEvent> log;
  std::vector<FailedAttempt> failures;
  std::uint64_t seed = 0;
  Progress* progress = nullptr;
  std::size_t finished = 0;

  // Attempt timeouts. Every attempt gets the same timeout and attempts start in time order,
  // so their deadlines fall due in the order they were set: one watchdog process walks them
  // (no timer per attempt left behind in the queue when the attempt wins).
  struct Deadline {
    Time at;
    std::uint64_t ticket;
  };
  struct InFlight {
    sim::Process<AttemptResult> attempt;
    bool timed_out = false;
  };
  std::deque<Deadline> deadlines;
  // By ticket - first_ticket: tickets are handed out in order, and the oldest finished ones
  // leave from the front (no hash table on the hot path).
  std::deque<std::optional<InFlight>> in_flight;
  std::uint64_t first_ticket = 0;
  std::uint64_t next_ticket = 0;
  InFlight* flight(std::uint64_t ticket) {
    if (ticket < first_ticket || ticket - first_ticket >= in_flight.size()) return nullptr;
    std::optional<InFlight>& f = in_flight[ticket - first_ticket];
    return f ? &*f : nullptr;
  }
  void landed(std::uint64_t ticket) {
    in_flight[ticket - first_ticket].reset();
    while (!in_flight.empty() && !in_flight.front()) {
      in_flight.pop_front();
      ++first_ticket;
    }
  }
  sim::Store<int> wake_watchdog{sim};
  bool watchdog_parked = false;

  // A list's jobs may arrive out of order (listed times); a generated workload's arrive in
  // order.
  Run(sim::Simulation& s, Transport& t, const Client& c, const Jobs& j, StrategyPlan p, bool rec)
      : sim(s),
        transport(t),
        client(c),
        jobs(j),
        take(j.cursor()),
        plan(std::move(p)),
        cpu(s, static_cast<std::size_t>(std::max(1, plan.cpu_slots))),
        record_log(rec) {
    const auto by_arrival = [](const Job& a, const Job& b) { return a.arrival < b.arrival; };
    if (const std::vector<Job>* list = j.list();
        list != nullptr && !std::is_sorted(list->begin(), list->end(), by_arrival)) {
      sorted_arrivals.reserve(list->size());
      for (const Job& job : *list)
        sorted_arrivals.push_back(job.arrival);
      std::sort(sorted_arrivals.begin(), sorted_arrivals.end());
    }
  }

  // Sizes what a run keeps of its downloads (before the first starts).
  void keep_downloads(bool whole, std::size_t hosts) {
    keep = whole;
    // Past kExactUpTo downloads kept by no one, percentiles come from histograms.
    tally = Tally(plan.lanes, hosts, keep || jobs.size() <= static_cast<std::size_t>(kExactUpTo));
    if (keep)
      outcomes.resize(jobs.size());
    else
      tried.resize(jobs.size());
  }

  // A download is settled: it goes to the tally, and whole to `outcomes` or in brief to
  // `tried`.
  void settle(Outcome& o) {
    tally.add(o);
    if (kept) kept->add(o.id, o.host, o.attempts);
    if (keep) {
      outcomes[o.id] = std::move(o);
      return;
    }
    tried[o.id] = static_cast<std::uint16_t>(static_cast<unsigned>(o.status) |
                                             static_cast<unsigned>(std::min(o.attempts, 255)) << 8);
  }
  void settle(Pending& p) {
    settle(p.o);
    p.settled = true;
    while (!pending.empty() && pending.front().settled) {
      pending.pop_front();
      ++first_pending;
    }
  }

  // `work` on the CPU slots. Under a GIL (a quantum) a thread holds the slot one switch
  // interval at a time and goes to the back of the line when others wait, as CPython hands
  // its GIL over; otherwise (an event loop's callback, a process, a free thread) it runs to
  // the end. The span runs from the wait for the first slice to the last slice: waits for the
  // slot are part of the work's wall time.
  sim::Process<> run_cpu(Duration work, PhaseRecorder& rec) {
    rec.begin(Phase::cpu);
    auto slot = co_await cpu.acquire();
    const Duration quantum = plan.cpu_quantum;
    while (quantum > Duration::zero() && work > quantum) {
      co_await sim.timeout(quantum);
      work -= quantum;
      if (cpu.queued() == 0) continue;
      slot.release();
      slot = co_await cpu.acquire();
    }
    co_await sim.timeout(work);
    rec.end();
  }

  void note(LogEvent::Kind k, const Outcome& o) {
    if (record_log) log.push_back({sim.now(), k, o.id, o.lane});
  }

  // One attempt, bounded by the client's timeout.
  sim::Process<AttemptResult> bounded_attempt(const Job& job, PhaseRecorder& rec) {
    if (!client.timeout) {
      AttemptResult r = co_await transport.attempt(job, rec);
      co_return r;
    }
    const std::uint64_t ticket = next_ticket++;
    auto attempt = sim.spawn(transport.attempt(job, rec));
    in_flight.emplace_back(InFlight{attempt});
    const Time deadline = sim::add_saturating(sim.now(), *client.timeout);
    if (deadline == sim::kTimeMax) sim.throw_past_horizon(*client.timeout);
    deadlines.push_back({deadline, ticket});
    if (watchdog_parked) {
      watchdog_parked = false;
      wake_watchdog.put(0);
    }
    bool timed_out = false;
    try {
      AttemptResult r = co_await attempt;
      landed(ticket);
      co_return r;
    } catch (const sim::Interrupted&) {
      timed_out = flight(ticket)->timed_out;
      landed(ticket);
      if (!timed_out) throw;  // this download itself is being stopped
    }
    rec.end();
    AttemptResult r;
    r.status = Status::timeout;
    r.error = fmt::format("no complete answer within {:.3f} s", sim::to_seconds(*client.timeout));
    co_return r;
  }

  // Interrupts each attempt still running at its deadline.
  sim::Process<> watchdog() {
    for (;;) {
      if (deadlines.empty()) {
        watchdog_parked = true;
        co_await wake_watchdog.get();
        continue;
      }
      const Deadline next = deadlines.front();
      if (flight(next.ticket) == nullptr) {  // answered in time
        deadlines.pop_front();
        continue;
      }
      if (sim.now() < next.at) {
        co_await sim.timeout(next.at - sim.now());
        continue;
      }
      deadlines.pop_front();
      InFlight* late = flight(next.ticket);
      late->timed_out = true;
      sim.interrupt(late->attempt, "timeout");
    }
  }

  // `rec` belongs to the lane, so a HorizonError can still name the phase it hit.
  sim::Process<> download(const Job& job, int lane, PhaseRecorder& rec) {
    Pending& p = at(job.id);
    Outcome& o = p.o;
    o.id = job.id;
    o.host = job.host;
    o.name = job.name;
    o.lane = lane;
    o.submitted = job.arrival;
    o.start = sim.now();
    started(o.start);
    p.rec = &rec;
    if (o.start > o.submitted) rec.add(Phase::queued, o.submitted, o.start);
    note(LogEvent::Kind::start, o);

    AttemptResult r;
    for (int attempt = 0;; ++attempt) {
      if (attempt > 0) rec.next_attempt();
      o.attempts = attempt + 1;
      if (const Duration before = cpu_before_work(client, seed, job.id, attempt);
          before > Duration::zero())
        co_await run_cpu(before, rec);
      if (job.sleep) {
        rec.begin(Phase::sleep);
        // Like time.sleep(0), a zero sleep returns at once: the lane goes on without
        // yielding, which is the order the book's Executor.map demo prints.
        if (*job.sleep > Duration::zero()) co_await sim.timeout(*job.sleep);
        rec.end();
        r = AttemptResult{};
        const Duration work = cpu_work(client, seed, job.id, 0, 0);
        if (work > Duration::zero()) co_await run_cpu(work, rec);
        break;
      }
      try {
        r = co_await bounded_attempt(job, rec);
      } catch (const sim::Interrupted&) {
        throw;  // the run itself is being stopped
      } catch (const sim::HorizonError&) {
        throw;  // the run cannot go on: lane() names this download
      } catch (const std::exception& e) {
        // A transport that fails unexpectedly still leaves this download one outcome.
        rec.end();
        r = AttemptResult{};
        r.status = Status::error;
        r.error = e.what();
      }
      const bool failed = r.status == Status::error || r.status == Status::timeout;
      const bool retry = failed && attempt < client.retries && retry_wanted(client.retry_on, r);
      const Duration wait = retry ? retry_wait(client, seed, job.id, attempt, r) : Duration::zero();
      if (failed) {
        if (record_log) {
          log.push_back({sim.now(), LogEvent::Kind::failed, job.id, lane,
                         static_cast<std::uint32_t>(failures.size())});
        }
        failures.push_back({job.id, static_cast<std::uint16_t>(attempt), r.status, r.http_status,
                            retry, sim.now(), wait, r.error});
      }
      if (pays_cpu(client, r)) {
        const Duration work = cpu_work(client, seed, job.id, attempt, r.bytes);
        if (work > Duration::zero()) co_await run_cpu(work, rec);
      }
      if (!retry) break;
      const auto failure = static_cast<std::uint32_t>(failures.size() - 1);
      rec.begin(Phase::backoff);
      co_await sim.timeout(wait);
      rec.end();
      if (record_log) log.push_back({sim.now(), LogEvent::Kind::retry, job.id, lane, failure});
    }
    o.status = r.status;
    o.http_status = r.http_status;
    o.connection = rec.connection();
    o.bytes = r.bytes;
    o.error = std::move(r.error);
    o.end = sim.now();
    // A simulated download that succeeded got its job's bytes: what the lower bound reads of
    // a download not kept.
    if (!keep && o.status == Status::ok && o.bytes != job.bytes)
      throw std::logic_error(
          fmt::format("download {} got {} bytes of its {}", o.id, o.bytes, job.bytes));
    keep_spans(o, rec.spans());
    p.rec = nullptr;
    p.ended = true;
    note(LogEvent::Kind::done, o);
    ++finished;
    if (progress != nullptr) progress->downloads_done(finished, jobs.size());
    if (plan.in_order) {
      p.done->succeed();
    } else {
      o.consumed = o.end;
      note(LogEvent::Kind::consumed, o);
      settle(p);
    }
  }

  // The events ran out: whatever has not ended waits for something that never comes (a
  // stalled answer with no timeout, or a lane such a download holds). Each gets its own
  // outcome, ended now; a result the caller never got counts as consumed now, when the run
  // can go no further.
  void settle_unfinished() {
    const Time now = sim.now();
    // The downloads that never started start now (or when they arrive), in time order.
    std::vector<Time> late_starts;
    for (std::size_t id = first_pending; id < jobs.size(); ++id) {
      Pending* p = id - first_pending < pending.size() ? &pending[id - first_pending] : nullptr;
      // Those no lane took are read from where the lanes left off.
      const Job& job = id < next_job ? p->job : take.next();
      if (p != nullptr && p->settled) continue;
      Outcome never;
      Outcome& o = p != nullptr ? p->o : never;
      if (p == nullptr || !p->ended) {
        o.id = job.id;
        o.host = job.host;
        o.name = job.name;
        o.status = Status::stalled;
        if (PhaseRecorder* rec = p != nullptr ? p->rec : nullptr) {
          rec->end();  // the phase it was stuck in lasts until now
          keep_spans(o, rec->spans());
          o.connection = rec->connection();
          o.error = "no answer, and no timeout to end the wait";
        } else {
          o.lane = -1;
          o.submitted = job.arrival;
          o.start = std::max(now, job.arrival);
          late_starts.push_back(o.start);
          std::vector<PhaseSpan> queued;
          if (o.start > o.submitted)
            queued.push_back({job.id, 0, Phase::queued, o.submitted, o.start});
          keep_spans(o, queued);
          o.error = "never started: every lane was held by a stalled download";
        }
        o.end = std::max(now, o.start);
      }
      o.consumed = std::max(now, o.end);
      settle(o);
    }
    pending.clear();
    std::sort(late_starts.begin(), late_starts.end());
    for (Time t : late_starts)
      started(t);
  }

  // A download's spans join the run's as it ends (all of them, or those the report's
  // summaries read), and their time the totals by phase.
  void keep_spans(Outcome& o, const std::vector<PhaseSpan>& mine) {
    o.span_begin = static_cast<std::uint32_t>(spans.size());
    HostTally& host = tally.hosts[o.host < tally.hosts.size() ? o.host : 0];
    for (const PhaseSpan& p : mine) {
      phase_time[static_cast<int>(p.phase)].add(p.end - p.start);
      if (p.phase == Phase::pool) host.pool_wait += p.end - p.start;
      if (all_spans || p.phase == Phase::pool || p.phase == Phase::cpu) spans.push_back(p);
    }
    o.span_count = static_cast<std::uint32_t>(spans.size() - o.span_begin);
  }

  sim::Process<> lane(int index) {
    // The interpreter and the client start once, before the first lane exists: a run-level
    // offset, seen as the queued time of the downloads that arrive meanwhile.
    if (client.startup > Duration::zero()) co_await sim.timeout(client.startup);
    if (plan.lane_start > Duration::zero())
      co_await sim.timeout(sim::scale_saturating(plan.lane_start, index + 1));
    PhaseRecorder rec(sim, 0);
    while (next_job < jobs.size()) {
      Pending& p = at(next_job++);
      p.job = take.next();
      const Job& job = p.job;
      // A free lane takes the next download in submission order, waiting for it to arrive.
      if (job.arrival > sim.now()) co_await sim.timeout(job.arrival - sim.now());
      rec.reset(job.id);
      try {
        co_await download(job, index, rec);
      } catch (const sim::HorizonError& e) {
        const auto phase = rec.open();
        throw sim::HorizonError(
            fmt::format("download '{}' (attempt {}, {}): {}", job.name, rec.attempt() + 1,
                        phase ? to_string(*phase) : "between phases", e.what()));
      }
    }
  }

  sim::Process<> consumer() {
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      Pending& p = at(i);
      co_await *p.done;
      p.o.consumed = sim.now();
      note(LogEvent::Kind::consumed, p.o);
      settle(p);
    }
  }
};

}  // namespace

RunRecord run_strategy(sim::Simulation& sim, Transport& transport, const Scenario& scenario,
                       const Strategy& strategy, const std::vector<Job>& jobs, std::uint64_t seed,
                       bool record_log, Progress* progress, bool all_spans) {
  return run_strategy(sim, transport, scenario, strategy, Jobs(jobs), seed, record_log, progress,
                      all_spans);
}

RunRecord run_strategy(sim::Simulation& sim, Transport& transport, const Scenario& scenario,
                       const Strategy& strategy, const Jobs& jobs, std::uint64_t seed,
                       bool record_log, Progress* progress, bool all_spans) {
  const Client& client = scenario.client_of(strategy);
  Run run(sim, transport, client, jobs, plan_for(strategy, client, jobs.size()), record_log);
  run.seed = seed;
  run.all_spans = all_spans;
  run.progress = progress;
  run.keep_downloads(all_spans || record_log || transport.live(), scenario.host_count());
  run.kept.emplace(scenario, client, seed);
  for (int i = 0; i < run.plan.lanes; ++i)
    sim.spawn(run.lane(i), fmt::format("lane {}", i));
  if (run.plan.in_order) sim.spawn(run.consumer(), "consumer");
  if (client.timeout) sim.spawn(run.watchdog(), "timeouts");
  sim.run();
  run.settle_unfinished();

  RunRecord rec;
  StrategyResult& r = rec.result;
  r.name = strategy.name;
  r.kind = run.plan.kind;
  r.detail = run.plan.detail;
  r.lanes = run.plan.lanes;
  r.live = transport.live();
  r.events = sim.events();
  r.downloads = std::move(run.outcomes);
  // The lower bound reads every download in id order: whole, or its job and how it went.
  const EachSettled each = [&](const std::function<void(const Settled&)>& f) {
    if (run.keep) {
      for (const Outcome& o : r.downloads)
        f({o.id, o.host, o.bytes, o.submitted, o.status, o.attempts});
      return;
    }
    Jobs::Cursor read = jobs.cursor(false);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const Job& job = read.next();
      const unsigned t = run.tried[i];
      f({job.id, job.host, job.bytes, job.arrival, static_cast<Status>(t & 0xffu),
         static_cast<int>(t >> 8)});
    }
  };
  run.tally.finish();
  r.summary = summarize(run.tally, run.waiting.most(jobs.size()),
                        lower_bound(scenario, client, run.plan, run.tally, *run.kept, each, seed));
  r.tally = std::move(run.tally);
  r.spans = std::move(run.spans);
  r.all_spans = all_spans;
  r.phase_time = run.phase_time;
  r.failed_attempts = std::move(run.failures);
  r.explanation = explain(scenario, client, run.plan, r);
  rec.log = std::move(run.log);
  return rec;
}

}  // namespace model
