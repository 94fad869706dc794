// Connection threads that make the accept loop wait (see server_accept.hpp).
#include "live/server_accept.hpp"

namespace live {

AcceptingPool::AcceptingPool(int threads) {
  idle_ = 0;
  for (int i = 0; i < threads; ++i)
    threads_.emplace_back([this] { work(); });
}

AcceptingPool::~AcceptingPool() {
  shutdown();
}

void AcceptingPool::enqueue(std::function<void()> fn) {
  std::unique_lock lock(mutex_);
  // A job waiting for a thread counts against the idle ones already.
  thread_free_.wait(lock, [&] { return shutting_down_ || idle_ > static_cast<int>(jobs_.size()); });
  jobs_.push_back(std::move(fn));
  lock.unlock();
  job_ready_.notify_one();
}

void AcceptingPool::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (shutting_down_ && threads_.empty()) return;
    shutting_down_ = true;
  }
  job_ready_.notify_all();
  thread_free_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void AcceptingPool::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ++idle_;
    thread_free_.notify_one();
    job_ready_.wait(lock, [&] { return shutting_down_ || !jobs_.empty(); });
    if (jobs_.empty()) {
      --idle_;
      return;  // shutting down with nothing left
    }
    --idle_;
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

}  // namespace live
