// Engine semantics: FIFO ties, joins, conditions, exceptions, resources, stores,
// interrupts, run_until, determinism.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "sim/sim.hpp"

using namespace std::chrono_literals;
using sim::Process;
using sim::Simulation;
using sim::Time;

namespace {

Process<> tick(Simulation& s, std::vector<std::string>& log, std::string name, sim::Duration d) {
  co_await s.timeout(d);
  log.push_back(name + "@" + std::to_string(s.now().count()));
}

Process<int> value_after(Simulation& s, sim::Duration d, int v) {
  co_await s.timeout(d);
  co_return v;
}

Process<int> thrower(Simulation& s, sim::Duration d) {
  co_await s.timeout(d);
  throw std::runtime_error("boom");
  co_return 0;
}

}  // namespace

TEST_CASE("events at equal times run in the order they were scheduled", "[sim]") {
  Simulation s;
  std::vector<std::string> log;
  for (const char* n : {"a", "b", "c", "d"})
    s.spawn(tick(s, log, n, 1s));
  s.spawn(tick(s, log, "zero", 0s));
  s.run();
  CHECK(log == std::vector<std::string>{"zero@0", "a@1000000000", "b@1000000000", "c@1000000000",
                                        "d@1000000000"});
  CHECK(s.events() == 10);  // 5 starts + 5 timeouts
}

TEST_CASE("joining a process yields its value, also after it finished", "[sim]") {
  Simulation s;
  auto p = s.spawn(value_after(s, 2s, 7));
  std::vector<int> got;
  std::vector<Time> when;
  auto joiner = [&](sim::Duration wait) -> Process<> {
    co_await s.timeout(wait);
    const int v = co_await p;
    got.push_back(v);
    when.push_back(s.now());
  };
  s.spawn(joiner(1s));
  s.spawn(joiner(3s));  // joins a finished process: no wait
  s.run();
  CHECK(got == std::vector<int>{7, 7});
  CHECK(when == std::vector<Time>{2s, 3s});
}

TEST_CASE("a subroutine runs inline and returns its value", "[sim]") {
  Simulation s;
  int got = 0;
  auto parent = [&]() -> Process<> {
    const int a = co_await value_after(s, 1s, 20);
    const int b = co_await value_after(s, 2s, 22);
    got = a + b;
  };
  s.spawn(parent());
  s.run();
  CHECK(got == 42);
  CHECK(s.now() == 3s);
}

TEST_CASE("all_of waits for every one, any_of for the first", "[sim]") {
  Simulation s;
  Time all_done{-1}, any_done{-1};
  std::size_t first = 99;
  auto waiter = [&]() -> Process<> {
    auto a = s.spawn(value_after(s, 3s, 1));
    auto b = s.spawn(value_after(s, 1s, 2));
    sim::Event<int> ev(s);
    auto trigger = [&]() -> Process<> {
      co_await s.timeout(2s);
      ev.succeed(5);
    };
    s.spawn(trigger());
    first = co_await sim::any_of(a, b, ev);
    any_done = s.now();
    co_await sim::all_of(a, b, ev);
    all_done = s.now();
    CHECK(ev.value() == 5);
  };
  s.spawn(waiter());
  s.run();
  CHECK(first == 1);
  CHECK(any_done == 1s);
  CHECK(all_done == 3s);
}

TEST_CASE("an event wakes every waiter with its value, or its failure", "[sim]") {
  Simulation s;
  sim::Event<std::string> ev(s);
  std::vector<std::string> got;
  auto w = [&]() -> Process<> {
    std::string v = co_await ev;
    got.push_back(v + "@" + std::to_string(s.now().count()));
  };
  s.spawn(w());
  s.spawn(w());
  auto t = [&]() -> Process<> {
    co_await s.timeout(5ns);
    ev.succeed("hi");
  };
  s.spawn(t());
  s.run();
  CHECK(got == std::vector<std::string>{"hi@5", "hi@5"});
  CHECK_THROWS_AS(ev.succeed("again"), std::logic_error);

  Simulation s2;
  sim::Event<int> bad(s2);
  std::string caught;
  auto w2 = [&]() -> Process<> {
    try {
      co_await bad;
    } catch (const std::exception& e) {
      caught = e.what();
    }
  };
  s2.spawn(w2());
  bad.fail(std::make_exception_ptr(std::runtime_error("no luck")));
  s2.run();
  CHECK(caught == "no luck");
}

TEST_CASE("exceptions travel up a join chain", "[sim]") {
  Simulation s;
  std::string caught;
  auto middle = [&]() -> Process<int> {
    auto inner = s.spawn(thrower(s, 1s));
    const int v = co_await inner;
    co_return v + 1;
  };
  auto top = [&]() -> Process<> {
    try {
      co_await middle();
    } catch (const std::runtime_error& e) {
      caught = e.what();
    }
  };
  s.spawn(top());
  s.run();
  CHECK(caught == "boom");
}

TEST_CASE("a failing process nobody joins ends run() with its name", "[sim]") {
  Simulation s;
  s.spawn(thrower(s, 1s), "download CN");
  try {
    s.run();
    FAIL("run() should have thrown");
  } catch (const sim::ProcessError& e) {
    CHECK(e.process() == "download CN");
    CHECK(std::string(e.what()) == "process 'download CN' failed: boom");
  }
  CHECK(s.now() == 1s);
}

TEST_CASE("a resource slot is released on scope exit, also on exception", "[sim]") {
  Simulation s;
  sim::Resource r(s, 1);
  std::vector<Time> got_at;
  auto user = [&](bool fail) -> Process<> {
    auto slot = co_await r.acquire();
    got_at.push_back(s.now());
    co_await s.timeout(1s);
    if (fail) throw std::runtime_error("failed while holding");
  };
  auto guarded = [&]() -> Process<> {
    try {
      co_await user(true);
    } catch (const std::runtime_error&) {
    }
  };
  s.spawn(guarded());
  s.spawn(user(false));
  s.spawn(user(false));
  s.run();
  CHECK(got_at == std::vector<Time>{0s, 1s, 2s});
  CHECK(r.in_use() == 0);
  CHECK(r.queued() == 0);
}

TEST_CASE("a store hands items to getters in FIFO order", "[sim]") {
  Simulation s;
  sim::Store<int> st(s);
  std::vector<std::string> log;
  auto getter = [&](std::string name) -> Process<> {
    const int v = co_await st.get();
    log.push_back(name + ":" + std::to_string(v) + "@" + std::to_string(s.now().count()));
  };
  s.spawn(getter("g1"));
  s.spawn(getter("g2"));
  auto putter = [&]() -> Process<> {
    co_await s.timeout(3ns);
    st.put(1);
    st.put(2);
    st.put(3);
  };
  s.spawn(putter());
  s.run();
  CHECK(log == std::vector<std::string>{"g1:1@3", "g2:2@3"});
  CHECK(st.size() == 1);
}

TEST_CASE("interrupting a waiting process unwinds it cleanly", "[sim]") {
  Simulation s;
  sim::Resource r(s, 1);
  std::vector<std::string> log;
  auto sleeper = [&]() -> Process<> {
    auto slot = co_await r.acquire();
    try {
      co_await s.timeout(10s);
      log.push_back("slept");
    } catch (const sim::Interrupted& e) {
      log.push_back("interrupted(" + e.cause() + ")@" + std::to_string(s.now().count()));
    }
  };
  auto queued = [&]() -> Process<> {
    try {
      auto slot = co_await r.acquire();
      log.push_back("got slot@" + std::to_string(s.now().count()));
    } catch (const sim::Interrupted&) {
      log.push_back("never");
    }
  };
  auto a = s.spawn(sleeper());
  auto b = s.spawn(queued());
  auto boss = [&]() -> Process<> {
    co_await s.timeout(2ns);
    CHECK(s.interrupt(a, "deadline"));
  };
  s.spawn(boss());
  s.run();
  CHECK(log == std::vector<std::string>{"interrupted(deadline)@2", "got slot@2"});
  CHECK(s.now() == 2ns);        // the 10 s timeout was withdrawn, not left behind
  CHECK_FALSE(s.interrupt(a));  // finished
  (void)b;
}

TEST_CASE("interrupting a process queued for a resource removes it from the queue", "[sim]") {
  Simulation s;
  sim::Resource r(s, 1);
  std::vector<std::string> log;
  auto holder = [&]() -> Process<> {
    auto slot = co_await r.acquire();
    co_await s.timeout(5s);
  };
  auto waiter = [&](std::string name) -> Process<> {
    try {
      auto slot = co_await r.acquire();
      log.push_back(name + "@" + std::to_string(s.now().count()));
    } catch (const sim::Interrupted&) {
      log.push_back(name + " gave up@" + std::to_string(s.now().count()));
    }
  };
  s.spawn(holder());
  auto w1 = s.spawn(waiter("w1"));
  s.spawn(waiter("w2"));
  auto boss = [&]() -> Process<> {
    co_await s.timeout(1s);
    s.interrupt(w1);
  };
  s.spawn(boss());
  s.run();
  CHECK(log == std::vector<std::string>{"w1 gave up@1000000000", "w2@5000000000"});
}

TEST_CASE("run_until stops at the given time with later events left", "[sim]") {
  Simulation s;
  std::vector<std::string> log;
  s.spawn(tick(s, log, "a", 1s));
  s.spawn(tick(s, log, "b", 2s));
  s.spawn(tick(s, log, "c", 3s));
  s.run_until(2s);
  CHECK(log == std::vector<std::string>{"a@1000000000"});
  CHECK(s.now() == 2s);
  CHECK_FALSE(s.idle());
  s.run();
  CHECK(log.size() == 3);
  CHECK(s.now() == 3s);
}

TEST_CASE("the same program gives the same event log twice", "[sim]") {
  auto once = [] {
    Simulation s;
    sim::Resource r(s, 2);
    std::vector<std::string> log;
    auto job = [&](int i) -> Process<> {
      auto slot = co_await r.acquire();
      log.push_back(std::to_string(i) + "+" + std::to_string(s.now().count()));
      co_await s.timeout(std::chrono::nanoseconds((i * 7919) % 13 + 1));
      log.push_back(std::to_string(i) + "-" + std::to_string(s.now().count()));
    };
    for (int i = 0; i < 50; ++i)
      s.spawn(job(i));
    s.run();
    return log;
  };
  const auto a = once();
  CHECK(a.size() == 100);
  CHECK(a == once());
}

TEST_CASE("a simulation destroyed mid-run frees its unfinished processes", "[sim]") {
  std::vector<std::string> log;
  {
    Simulation s;
    sim::Resource r(s, 1);
    auto holder = [&]() -> Process<> {
      auto slot = co_await r.acquire();
      co_await s.timeout(1h);
    };
    s.spawn(holder());
    s.spawn(holder());
    s.spawn(tick(s, log, "late", 2h));
    s.run_until(1s);
    CHECK(r.queued() == 1);
  }
  CHECK(log.empty());  // under AddressSanitizer this also proves nothing leaked
}
