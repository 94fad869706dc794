// sim::Store<T>: a FIFO channel between processes. put() never blocks; co_await get()
// waits for an item. Getters are served in the order they came.
#pragma once

#include <deque>
#include <optional>
#include <utility>

#include "sim/task.hpp"

namespace sim {

template <class T>
class Store {
 public:
  explicit Store(Simulation& sim) : sim_(&sim) {}
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  std::size_t size() const { return items_.size(); }
  std::size_t waiting_getters() const { return getters_; }

  void put(T item) {
    if (head_ == nullptr) {
      items_.push_back(std::move(item));
      return;
    }
    Get* g = head_;
    unlink(g);
    g->item.emplace(std::move(item));
    g->root->waiting = nullptr;
    sim_->schedule_now(g->handle);
  }

  struct Get : Waiter {
    Store* store;
    std::optional<T> item;
    Get* next = nullptr;
    Get* prev = nullptr;

    bool await_ready() {
      if (store->items_.empty() || store->head_ != nullptr) return false;
      item.emplace(std::move(store->items_.front()));
      store->items_.pop_front();
      return true;
    }
    template <class P>
    bool await_suspend(std::coroutine_handle<P> h) noexcept {
      if (!begin(h)) return false;
      cancel = [](Waiter* w) noexcept {
        auto* self = static_cast<Get*>(w);
        self->store->unlink(self);
      };
      store->enqueue(this);
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
  void enqueue(Get* g) noexcept {
    g->prev = tail_;
    g->next = nullptr;
    (tail_ != nullptr ? tail_->next : head_) = g;
    tail_ = g;
    ++getters_;
  }
  void unlink(Get* g) noexcept {
    (g->prev != nullptr ? g->prev->next : head_) = g->next;
    (g->next != nullptr ? g->next->prev : tail_) = g->prev;
    --getters_;
  }

  Simulation* sim_;
  std::deque<T> items_;
  std::size_t getters_ = 0;
  Get* head_ = nullptr;
  Get* tail_ = nullptr;
};

}  // namespace sim
