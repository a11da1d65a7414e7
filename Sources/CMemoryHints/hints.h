// Memory hints Swift cannot spell: clang's `__builtin_prefetch`, which `_mm_prefetch` is a
// macro over (macros are not imported), and glibc's `malloc_trim` (not in Swift's Glibc
// module). Header-only: each prefetch inlines to one PREFETCHT0.
#ifndef IMPACT_MEMORY_HINTS_H
#define IMPACT_MEMORY_HINTS_H

/// Asks the CPU to bring the cache line holding `p` into every cache level, without waiting
/// for it and without faulting on any address (a hint: no effect on results).
static inline __attribute__((always_inline)) void impact_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 3);
}

#include <stdlib.h>   /* defines __GLIBC__ on glibc */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/// Gives the heap memory freed so far back to the system (glibc's `malloc_trim(0)`); a no-op
/// on other C libraries. Returns nothing: a hint, with no effect on results.
static inline void impact_return_freed_memory(void) {
#if defined(__GLIBC__)
    (void)malloc_trim(0);
#endif
}

#endif
