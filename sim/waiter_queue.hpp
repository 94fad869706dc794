// An intrusive FIFO of waiters living in coroutine frames (no allocation), with O(1)
// removal from the middle for interrupts. Node types derive from WaiterQueue<Node>::Link.
#pragma once

#include <cstddef>

namespace sim {

template <class Node>
class WaiterQueue {
 public:
  struct Link {
    Node* next = nullptr;
    Node* prev = nullptr;
  };

  bool empty() const { return head_ == nullptr; }
  std::size_t size() const { return size_; }
  Node* front() const { return head_; }

  void push_back(Node* n) noexcept {
    n->prev = tail_;
    n->next = nullptr;
    (tail_ != nullptr ? tail_->next : head_) = n;
    tail_ = n;
    ++size_;
  }
  void remove(Node* n) noexcept {
    (n->prev != nullptr ? n->prev->next : head_) = n->next;
    (n->next != nullptr ? n->next->prev : tail_) = n->prev;
    --size_;
  }
  Node* pop_front() noexcept {
    Node* n = head_;
    remove(n);
    return n;
  }

 private:
  Node* head_ = nullptr;
  Node* tail_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace sim
