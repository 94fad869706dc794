// Process frames come from a per-thread pool of size classes (8-byte steps up to 4 KiB):
// a frame is allocated once per process, but a model starts up to a million of them, and
// glibc's malloc adds a header and rounds to 16 bytes. Freed blocks go back to a free list
// of their class; no header is needed because coroutine frames are freed with their size.
//
// Why per-thread state: operator new of a promise cannot see the Simulation the process
// will be spawned into (a frame exists before spawn()), so a per-simulation pool is not
// possible. A simulation runs on one thread, so a thread-local free list needs no locking.
// The only shared state is a mutex-guarded registry touched once per 64 KiB chunk: it
// keeps every chunk reachable (no LeakSanitizer report, no dangling block when a frame is
// freed on another thread than the one that made it: the block simply joins that thread's
// list) and adopts the free lists of threads that exit. Chunks are never returned to the
// system: the pool's size is the peak number of frames alive at once.
#pragma once

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define LOITER_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define LOITER_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define LOITER_POISON(p, n) ((void)(p), (void)(n))
#define LOITER_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace sim::detail {

inline constexpr std::size_t kFrameGranule = 8;
inline constexpr std::size_t kMaxPooledFrame = 4096;
inline constexpr std::size_t kFrameClasses = kMaxPooledFrame / kFrameGranule + 1;

struct FreeBlock {
  FreeBlock* next;
};

// Trivially destructible, so it stays usable during exit (static destructors may still
// free frames after the thread-local destructors ran).
struct ThreadFramePool {
  FreeBlock* free[kFrameClasses];
  char* bump;
  char* bump_end;
  bool registered;
};

inline constinit thread_local ThreadFramePool tls_frame_pool{};

void* frame_allocate_slow(std::size_t cls);

// Blocks of class c are c * 8 bytes. A block whose size is an odd multiple of 8 may be only
// 8-aligned: no object of that size can need 16 (sizes are multiples of alignment).
inline void* frame_allocate(std::size_t n) {
  if (n > kMaxPooledFrame) return ::operator new(n);
  const std::size_t cls = (n + kFrameGranule - 1) / kFrameGranule;
  ThreadFramePool& pool = tls_frame_pool;
  FreeBlock* b = pool.free[cls];
  if (b == nullptr) return frame_allocate_slow(cls);
  LOITER_UNPOISON(b, cls * kFrameGranule);
  pool.free[cls] = b->next;
  return b;
}

inline void frame_deallocate(void* p, std::size_t n) noexcept {
  if (n > kMaxPooledFrame) {
    ::operator delete(p, n);
    return;
  }
  const std::size_t cls = (n + kFrameGranule - 1) / kFrameGranule;
  ThreadFramePool& pool = tls_frame_pool;
  auto* b = static_cast<FreeBlock*>(p);
  b->next = pool.free[cls];
  pool.free[cls] = b;
  LOITER_POISON(b, cls * kFrameGranule);
}

}  // namespace sim::detail
