// The client's downlink: its bandwidth is shared fairly by the transfers active at each
// moment (processor sharing; a per-transfer cap gives max-min fairness). Every transfer
// progresses at the same rate, so one "virtual bytes" clock and a heap of finish tags make a
// start or finish cost O(log n), with no pass over the active transfers.
//
// With groups (a crawl's hosts, each with the most its server sends over all its
// connections) the shares are max-min fair over both limits: a group whose cap divided among
// its transfers is below the fair share gives each of them that much, and the rest of the
// link is shared by the others (water-filling). Each group has its own virtual clock and heap;
// a start or finish costs O(groups log groups) then.
#pragma once

#include <cstdint>
#include <queue>
#include <vector>

#include "sim/sim.hpp"

namespace model {

class Link {
 public:
  // bandwidth and per_transfer_cap in bytes per second; 0 means unlimited. `group_caps`: each
  // group's cap on its transfers together, bytes per second (0: none); none: one group.
  Link(sim::Simulation& sim, double bandwidth, double per_transfer_cap,
       std::vector<double> group_caps = {});
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  std::size_t active() const { return active_; }

  // co_await transfer(bytes): resumes when the bytes have crossed the link.
  struct Transfer : sim::Waiter {
    Link* link;
    double bytes;
    std::uint32_t slot = 0;
    std::uint32_t group = 0;
    bool await_ready() const noexcept { return bytes <= 0 || link->instant(group); }
    template <class P>
    bool await_suspend(std::coroutine_handle<P> h) {
      if (!begin(h)) return false;
      cancel = [](sim::Waiter* w) noexcept {
        auto* t = static_cast<Transfer*>(w);
        t->link->abandon(t->slot);
      };
      link->start(this);
      return true;
    }
    void await_resume() { check(); }
  };
  // Throws sim::HorizonError when even alone on the link the bytes would arrive past the
  // simulation's horizon (sim/time.hpp).
  // `group`: the transfer's group (ignored without groups).
  Transfer transfer(std::int64_t bytes, std::uint32_t group = 0) {
    if (groups_.empty()) group = 0;
    if (bytes > 0 && !instant(group)) refuse_past_horizon(static_cast<double>(bytes), group);
    Transfer t;
    t.link = this;
    t.bytes = static_cast<double>(bytes);
    t.group = group;
    return t;
  }

 private:
  struct Tag {
    double finish;      // virtual bytes at which the transfer is done
    std::uint64_t seq;  // FIFO among equal tags
    std::uint32_t slot;
    std::uint32_t generation;
    bool operator>(const Tag& o) const {
      return finish > o.finish || (finish == o.finish && seq > o.seq);
    }
  };
  struct Slot {
    Transfer* waiter = nullptr;
    std::uint32_t generation = 0;
    std::uint32_t group = 0;
  };

  bool instant(std::uint32_t group) const {
    return bandwidth_ <= 0 && cap_ <= 0 && (groups_.empty() || groups_[group].cap <= 0);
  }
  void refuse_past_horizon(double bytes, std::uint32_t group) const;
  double rate() const;  // bytes/s each active transfer gets now (one group)
  void advance();       // brings virtual_ (each group's) up to the simulation's now
  void start(Transfer* t);
  void abandon(std::uint32_t slot) noexcept;
  void finish_due();
  // Sets due_ to the earliest finish and makes sure a wake-up happens then.
  void arm();
  void wake();  // the timer process runs

  // The link's timer is one long-lived process: arm() schedules it directly while it is
  // parked; a timer asleep until before due_ wakes and sleeps on until due_ (a start that
  // moves the earliest finish later costs nothing at once); only when due_ moves before the
  // timer's wake-up does a one-shot process (early()) fire at due_ in its place.
  static sim::Process<> timer(Link* link);
  static sim::Process<> early(Link* link, sim::Duration d);
  // The timer process waits here, unscheduled, until arm() or wake() schedules it. With
  // `park` false it only records its handle and runs on.
  struct TimerStop {
    Link* link;
    bool park;
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) noexcept {
      link->timer_ = h;
      return park;
    }
    void await_resume() const noexcept {}
  };

  sim::Simulation* sim_;
  double bandwidth_;
  double cap_;
  double virtual_ = 0;  // bytes each transfer active since time zero would have received
  sim::Time updated_{0};
  std::size_t active_ = 0;
  std::uint64_t seq_ = 0;
  sim::Time due_ = sim::kTimeMax;   // when finish_due() must run next (kTimeMax: never)
  bool past_horizon_ = false;       // the next finish falls past the horizon: due_ is the
                                    // last instant, and reaching it is a HorizonError
  sim::Time wake_ = sim::kTimeMax;  // when the timer process is scheduled (kTimeMax: it
                                    // is parked or running)
  std::coroutine_handle<> timer_;   // the timer process, once it has run
  bool timer_spawned_ = false;
  std::priority_queue<Tag, std::vector<Tag>, std::greater<Tag>> tags_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;

  // With groups: each its own clock, finish tags and share (tags_ and virtual_ unused).
  struct Group {
    double cap = 0;   // bytes/s for all its transfers; 0 = none
    double rate = 0;  // bytes/s each of its transfers gets now
    double virtual_bytes = 0;
    std::size_t active = 0;
    std::priority_queue<Tag, std::vector<Tag>, std::greater<Tag>> tags;
  };
  void share();  // water-filling: each group's rate
  void finish_due_grouped();
  // From now to the next finish, seconds; -1 when nothing is active. Drops stale tags.
  double next_finish_seconds();
  std::vector<Group> groups_;
  std::vector<std::uint32_t> order_;  // groups by the share their own limits allow, scratch
};

}  // namespace model
