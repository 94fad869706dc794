// sim::Resource: N identical slots (workers, servers, connections) handed out in FIFO
// order. co_await acquire() yields a Slot that gives the slot back when it goes out of
// scope, also when an exception unwinds the process.
#pragma once

#include <cassert>
#include <cstddef>
#include <utility>

#include "sim/task.hpp"
#include "sim/waiter_queue.hpp"

namespace sim {

class Resource {
 public:
  Resource(Simulation& sim, std::size_t capacity) : sim_(&sim), capacity_(capacity) {
    assert(capacity > 0);
  }
  Resource(const Resource&) = delete;
  Resource& operator=(const Resource&) = delete;

  std::size_t capacity() const { return capacity_; }
  std::size_t in_use() const { return in_use_; }
  std::size_t queued() const { return queue_.size(); }

  class Slot {
   public:
    Slot() = default;
    Slot(Resource* r, Simulation* sim) : resource_(r), sim_(sim) {}
    Slot(Slot&& o) noexcept
        : resource_(std::exchange(o.resource_, nullptr)), sim_(std::exchange(o.sim_, nullptr)) {}
    Slot& operator=(Slot&& o) noexcept {
      if (this != &o) {
        release();
        resource_ = std::exchange(o.resource_, nullptr);
        sim_ = std::exchange(o.sim_, nullptr);
      }
      return *this;
    }
    ~Slot() { release(); }
    bool held() const { return resource_ != nullptr; }
    // Gives the slot back now (the next in line gets it).
    void release() noexcept {
      Resource* r = std::exchange(resource_, nullptr);
      if (r != nullptr && !sim_->shutting_down()) r->give_back();
    }

   private:
    Resource* resource_ = nullptr;
    Simulation* sim_ = nullptr;
  };

  struct Request : Waiter, WaiterQueue<Request>::Link {
    Resource* resource;

    bool await_ready() noexcept {
      if (resource->in_use_ < resource->capacity_ && resource->queue_.empty()) {
        ++resource->in_use_;
        return true;
      }
      return false;
    }
    template <class P>
    bool await_suspend(std::coroutine_handle<P> h) noexcept {
      if (!begin(h)) return false;
      cancel = [](Waiter* w) noexcept {
        auto* self = static_cast<Request*>(w);
        self->resource->queue_.remove(self);
      };
      resource->queue_.push_back(this);
      return true;
    }
    Slot await_resume() {
      check();
      return Slot(resource, resource->sim_);
    }
  };

  Request acquire() {
    Request r;
    r.resource = this;
    return r;
  }

 private:
  void give_back() noexcept {
    if (queue_.empty()) {
      --in_use_;
      return;
    }
    Request* r = queue_.pop_front();  // the slot passes straight to it: in_use_ stays
    r->root->waiting = nullptr;
    sim_->schedule_now(r->handle);
  }

  Simulation* sim_;
  std::size_t capacity_;
  std::size_t in_use_ = 0;
  WaiterQueue<Request> queue_;
};

}  // namespace sim
