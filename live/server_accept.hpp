// The test server's connection threads when a backlog is asked for: httplib's accept loop (one
// thread) hands each accepted connection to a thread here, and waits while every thread is
// busy, so connections beyond them wait in the kernel's accept queue (listen()'s backlog) and
// overflow it as they would in front of a server with no spare thread, instead of piling up
// unbounded inside httplib's own queue.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

namespace live {

class AcceptingPool : public httplib::TaskQueue {
 public:
  explicit AcceptingPool(int threads);
  ~AcceptingPool() override;
  AcceptingPool(const AcceptingPool&) = delete;
  AcceptingPool& operator=(const AcceptingPool&) = delete;

  // Called by the accept loop: waits for a free thread, then hands `fn` to it.
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable job_ready_, thread_free_;
  std::deque<std::function<void()>> jobs_;
  int idle_ = 0;
  bool shutting_down_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace live
