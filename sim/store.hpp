// sim::Store<T>: a FIFO channel between processes. put() never blocks; co_await get()
// waits for an item. Getters are served in the order they came.
#pragma once

#include <deque>
#include <optional>
#include <utility>

#include "sim/task.hpp"
#include "sim/waiter_queue.hpp"

namespace sim {

template <class T>
class Store {
 public:
  explicit Store(Simulation& sim) : sim_(&sim) {}
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  std::size_t size() const { return items_.size(); }
  std::size_t waiting_getters() const { return getters_.size(); }

  void put(T item) {
    if (getters_.empty()) {
      items_.push_back(std::move(item));
      return;
    }
    Get* g = getters_.pop_front();
    g->item.emplace(std::move(item));
    g->root->waiting = nullptr;
    sim_->schedule_now(g->handle);
  }

  struct Get : Waiter, WaiterQueue<Get>::Link {
    Store* store;
    std::optional<T> item;

    bool await_ready() {
      if (store->items_.empty() || !store->getters_.empty()) return false;
      item.emplace(std::move(store->items_.front()));
      store->items_.pop_front();
      return true;
    }
    template <class P>
    bool await_suspend(std::coroutine_handle<P> h) noexcept {
      if (!begin(h)) return false;
      cancel = [](Waiter* w) noexcept {
        auto* self = static_cast<Get*>(w);
        self->store->getters_.remove(self);
      };
      store->getters_.push_back(this);
      return true;
    }
    T await_resume() {
      check();
      return std::move(*item);
    }
  };

  Get get() {
    Get g;
    g.store = this;
    return g;
  }

 private:
  Simulation* sim_;
  std::deque<T> items_;
  WaiterQueue<Get> getters_;
};

}  // namespace sim
