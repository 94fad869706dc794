// sim::Resource: N identical slots (workers, servers, connections) handed out in FIFO
// order. co_await acquire() yields a Slot that gives the slot back when it goes out of
// scope, also when an exception unwinds the process.
#pragma once

#include <cassert>
#include <cstddef>
#include <utility>

#include "sim/task.hpp"

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
  std::size_t queued() const { return queued_; }

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

  struct Request : Waiter {
    Resource* resource;
    Request* next = nullptr;
    Request* prev = nullptr;

    bool await_ready() noexcept {
      if (resource->in_use_ < resource->capacity_ && resource->head_ == nullptr) {
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
        self->resource->unlink(self);
      };
      resource->enqueue(this);
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
  void enqueue(Request* r) noexcept {
    r->prev = tail_;
    r->next = nullptr;
    (tail_ != nullptr ? tail_->next : head_) = r;
    tail_ = r;
    ++queued_;
  }
  void unlink(Request* r) noexcept {
    (r->prev != nullptr ? r->prev->next : head_) = r->next;
    (r->next != nullptr ? r->next->prev : tail_) = r->prev;
    --queued_;
  }
  void give_back() noexcept {
    if (head_ == nullptr) {
      --in_use_;
      return;
    }
    Request* r = head_;
    unlink(r);  // the slot passes straight to it: in_use_ stays
    r->root->waiting = nullptr;
    sim_->schedule_now(r->handle);
  }

  Simulation* sim_;
  std::size_t capacity_;
  std::size_t in_use_ = 0;
  std::size_t queued_ = 0;
  Request* head_ = nullptr;
  Request* tail_ = nullptr;
};

}  // namespace sim
