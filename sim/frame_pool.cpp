#include "sim/frame_pool.hpp"

#include <cstdint>
#include <mutex>
#include <new>

namespace sim::detail {

namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::size_t kBatchBytes = 4 * 1024;  // carved per refill of one class

struct Chunk {
  Chunk* next;
};

struct Registry {
  std::mutex mutex;
  Chunk* chunks = nullptr;                 // every chunk ever made: reachable until exit
  FreeBlock* orphans[kFrameClasses] = {};  // free lists left by threads that ended
};

Registry& registry() {
  static Registry* r = new Registry;  // never destroyed: threads may end after main()
  return *r;
}

FreeBlock* next_of(FreeBlock* b) {
  LOITER_UNPOISON(b, sizeof(FreeBlock));
  FreeBlock* n = b->next;
  LOITER_POISON(b, sizeof(FreeBlock));
  return n;
}

// Hands the free lists of an ending thread to the registry, for other threads to adopt.
struct Reaper {
  bool armed = false;
  ~Reaper() {
    ThreadFramePool& pool = tls_frame_pool;
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    for (std::size_t c = 0; c < kFrameClasses; ++c) {
      FreeBlock* head = pool.free[c];
      if (head == nullptr) continue;
      FreeBlock* tail = head;
      while (FreeBlock* n = next_of(tail))
        tail = n;
      LOITER_UNPOISON(tail, sizeof(FreeBlock));
      tail->next = r.orphans[c];
      LOITER_POISON(tail, sizeof(FreeBlock));
      r.orphans[c] = head;
      pool.free[c] = nullptr;
    }
    pool.bump = pool.bump_end = nullptr;  // the rest of the chunk stays unused
  }
};

thread_local Reaper reaper;

}  // namespace

void* frame_allocate_slow(std::size_t cls) {
  ThreadFramePool& pool = tls_frame_pool;
  if (!pool.registered) {
    pool.registered = true;
    reaper.armed = true;  // constructs it: its destructor runs when this thread ends
  }
  const std::size_t size = cls * kFrameGranule;
  Registry& r = registry();
  {
    std::lock_guard lock(r.mutex);
    if (FreeBlock* head = r.orphans[cls]) {
      r.orphans[cls] = nullptr;
      LOITER_UNPOISON(head, size);
      pool.free[cls] = head->next;
      return head;
    }
  }
  // Carve a batch from the current chunk, 16-aligned at its start.
  std::size_t count = kBatchBytes / size;
  if (count == 0) count = 1;
  auto aligned = (reinterpret_cast<std::uintptr_t>(pool.bump) + 15) & ~std::uintptr_t{15};
  char* start = reinterpret_cast<char*>(aligned);
  if (pool.bump != nullptr && start + count * size > pool.bump_end &&
      start + size <= pool.bump_end) {
    count = static_cast<std::size_t>(pool.bump_end - start) / size;  // the chunk's tail
  }
  if (pool.bump == nullptr || start + count * size > pool.bump_end) {
    auto* chunk = static_cast<char*>(::operator new(kChunkBytes));
    {
      std::lock_guard lock(r.mutex);
      auto* c = reinterpret_cast<Chunk*>(chunk);
      c->next = r.chunks;
      r.chunks = c;
    }
    start = chunk + 16;  // after the Chunk link, 16-aligned
    pool.bump_end = chunk + kChunkBytes;
    LOITER_POISON(start, pool.bump_end - start);
  }
  pool.bump = start + count * size;
  // The first block is returned, the others join the free list.
  for (std::size_t i = count; i-- > 1;) {
    auto* b = reinterpret_cast<FreeBlock*>(start + i * size);
    LOITER_UNPOISON(b, sizeof(FreeBlock));
    b->next = pool.free[cls];
    LOITER_POISON(b, sizeof(FreeBlock));
    pool.free[cls] = b;
  }
  LOITER_UNPOISON(start, size);
  return start;
}

}  // namespace sim::detail
