#include "model/link.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace model {

Link::Link(sim::Simulation& sim, double bandwidth, double per_transfer_cap,
           std::vector<double> group_caps)
    : sim_(&sim), bandwidth_(bandwidth), cap_(per_transfer_cap) {
  // Groups without a cap of their own share the link as one: no groups then.
  if (std::none_of(group_caps.begin(), group_caps.end(), [](double c) { return c > 0; })) return;
  groups_.resize(group_caps.size());
  for (std::size_t g = 0; g < group_caps.size(); ++g)
    groups_[g].cap = std::max(0.0, group_caps[g]);
}

double Link::rate() const {
  if (active_ == 0) return 0;
  const double fair = bandwidth_ > 0 ? bandwidth_ / static_cast<double>(active_) : cap_;
  return cap_ > 0 ? std::min(cap_, fair) : fair;
}

void Link::advance() {
  const sim::Time now = sim_->now();
  if (now > updated_ && active_ > 0) {
    const double dt = sim::to_seconds(now - updated_);
    if (groups_.empty()) {
      virtual_ += rate() * dt;
    } else {
      for (Group& g : groups_)
        if (g.active > 0) g.virtual_bytes += g.rate * dt;
    }
  }
  updated_ = now;
}

void Link::share() {
  constexpr double kNone = std::numeric_limits<double>::infinity();
  const auto limit = [&](std::uint32_t g) {
    const Group& group = groups_[g];
    const double own = group.cap > 0 ? group.cap / static_cast<double>(group.active) : kNone;
    return std::min(cap_ > 0 ? cap_ : kNone, own);
  };
  order_.clear();
  for (std::uint32_t g = 0; g < groups_.size(); ++g)
    if (groups_[g].active > 0) order_.push_back(g);
  std::stable_sort(order_.begin(), order_.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return limit(a) < limit(b); });
  // The most limited first: each takes its limit if it is below the fair share of what is
  // left, and the rest share the remainder.
  double left = bandwidth_ > 0 ? bandwidth_ : kNone;
  auto transfers = static_cast<double>(active_);
  for (const std::uint32_t g : order_) {
    Group& group = groups_[g];
    const double fair = left / transfers;
    group.rate = std::min(limit(g), fair);
    const auto n = static_cast<double>(group.active);
    left = std::max(0.0, left - group.rate * n);
    transfers -= n;
  }
}

namespace {

// The last instant a wake-up can be scheduled at (kTimeMax itself means "never").
constexpr sim::Time kLastInstant = sim::kTimeMax - sim::Duration{1};

}  // namespace

void Link::refuse_past_horizon(double bytes, std::uint32_t group) const {
  double fastest = std::numeric_limits<double>::infinity();
  for (const double limit : {bandwidth_, cap_, groups_.empty() ? 0.0 : groups_[group].cap})
    if (limit > 0) fastest = std::min(fastest, limit);
  const double seconds = bytes / fastest;
  const double left = sim::to_seconds(kLastInstant - sim_->now());
  if (seconds < left) return;
  throw sim::HorizonError(
      fmt::format("a transfer of {:.6g} B at most {:.6g} B/s takes {:.6g} s: from {:.6g} s it "
                  "would end past the simulation's horizon of {:.6g} s (about 292 years)",
                  bytes, fastest, seconds, sim::to_seconds(sim_->now()), sim::kHorizonSeconds));
}

void Link::start(Transfer* t) {
  advance();
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back({});
  }
  slots_[slot].waiter = t;
  slots_[slot].group = t->group;
  t->slot = slot;
  ++active_;
  if (groups_.empty()) {
    tags_.push({virtual_ + t->bytes, seq_++, slot, slots_[slot].generation});
  } else {
    Group& g = groups_[t->group];
    g.tags.push({g.virtual_bytes + t->bytes, seq_++, slot, slots_[slot].generation});
    ++g.active;
    share();
  }
  arm();
}

void Link::abandon(std::uint32_t slot) noexcept {
  advance();
  Slot& s = slots_[slot];
  s.waiter = nullptr;
  ++s.generation;  // its tag is now stale and is skipped when it reaches the top
  free_slots_.push_back(slot);
  --active_;
  if (!groups_.empty()) {
    --groups_[s.group].active;
    share();
  }
  arm();
}

void Link::finish_due() {
  advance();
  if (!groups_.empty()) {
    finish_due_grouped();
    return;
  }
  // Tolerance for rounding: the timer fired at the nanosecond at or after the finish.
  while (!tags_.empty()) {
    const Tag top = tags_.top();
    Slot& s = slots_[top.slot];
    if (s.generation != top.generation) {
      tags_.pop();
      continue;
    }
    // Slack: a picosecond of transfer, or float rounding of the tag, whichever is larger.
    const double slack =
        std::max(rate() * 1e-12, 4 * std::numeric_limits<double>::epsilon() * top.finish);
    if (top.finish > virtual_ + slack) break;
    tags_.pop();
    Transfer* t = s.waiter;
    s.waiter = nullptr;
    ++s.generation;
    free_slots_.push_back(top.slot);
    --active_;
    t->root->waiting = nullptr;
    sim_->schedule_now(t->handle);
  }
  if (active_ == 0) virtual_ = 0, tags_ = {};
  arm();
}

void Link::finish_due_grouped() {
  for (Group& g : groups_) {
    while (!g.tags.empty()) {
      const Tag top = g.tags.top();
      Slot& s = slots_[top.slot];
      if (s.generation != top.generation) {
        g.tags.pop();
        continue;
      }
      const double slack =
          std::max(g.rate * 1e-12, 4 * std::numeric_limits<double>::epsilon() * top.finish);
      if (top.finish > g.virtual_bytes + slack) break;
      g.tags.pop();
      Transfer* t = s.waiter;
      s.waiter = nullptr;
      ++s.generation;
      free_slots_.push_back(top.slot);
      --active_;
      --g.active;
      t->root->waiting = nullptr;
      sim_->schedule_now(t->handle);
    }
    if (g.active == 0) g.virtual_bytes = 0, g.tags = {};
  }
  share();
  arm();
}

double Link::next_finish_seconds() {
  if (groups_.empty()) {
    while (!tags_.empty() && slots_[tags_.top().slot].generation != tags_.top().generation)
      tags_.pop();
    if (active_ == 0 || tags_.empty()) return -1;
    return std::max(0.0, (tags_.top().finish - virtual_) / rate());
  }
  double soonest = -1;
  for (Group& g : groups_) {
    while (!g.tags.empty() && slots_[g.tags.top().slot].generation != g.tags.top().generation)
      g.tags.pop();
    if (g.active == 0 || g.tags.empty()) continue;
    const double seconds = std::max(0.0, (g.tags.top().finish - g.virtual_bytes) / g.rate);
    if (soonest < 0 || seconds < soonest) soonest = seconds;
  }
  return soonest;
}

void Link::arm() {
  const double seconds = next_finish_seconds();
  if (seconds < 0) {
    due_ = sim::kTimeMax;  // a timer still asleep wakes to nothing and parks
    return;
  }
  const double ns = std::ceil(seconds * 1e9);
  const sim::Time now = sim_->now();
  // Checked in double: a finish past the last instant (or NaN) is not cast to int64.
  past_horizon_ = !(ns < static_cast<double>((kLastInstant - now).count()));
  due_ = past_horizon_ ? kLastInstant : now + sim::Duration{static_cast<std::int64_t>(ns)};
  if (due_ >= wake_) return;  // the timer wakes first and sleeps on until due_
  if (!timer_spawned_) {
    timer_spawned_ = true;
    wake_ = now;  // it runs at once (after the events due now) and looks at due_
    sim_->spawn(timer(this));
  } else if (wake_ == sim::kTimeMax) {  // parked, or running wake()
    wake_ = due_;
    sim_->schedule_at(due_, timer_);
  } else {
    sim_->spawn(early(this, due_ - now));
  }
}

void Link::wake() {
  wake_ = sim::kTimeMax;
  const sim::Time now = sim_->now();
  if (now >= due_ && past_horizon_) {
    throw sim::HorizonError(fmt::format(
        "{} transfer(s) sharing the link would end past the simulation's horizon of {:.6g} s "
        "(about 292 years)",
        active_, sim::kHorizonSeconds));
  }
  if (now >= due_) {
    finish_due();  // re-arms: schedules this process again if there is a next finish
  } else if (due_ != sim::kTimeMax) {
    wake_ = due_;
    sim_->schedule_at(due_, timer_);
  }
}

sim::Process<> Link::timer(Link* link) {
  co_await TimerStop{link, false};
  for (;;) {
    link->wake();
    co_await TimerStop{link, true};
  }
}

sim::Process<> Link::early(Link* link, sim::Duration d) {
  co_await link->sim_->timeout(d);
  if (link->sim_->now() >= link->due_ && !link->past_horizon_) link->finish_due();
}

}  // namespace model
