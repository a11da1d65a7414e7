// Memory hints Swift cannot spell: clang's `__builtin_prefetch`, which `_mm_prefetch` is a
// macro over (macros are not imported). Header-only: each call inlines to one PREFETCHT0.
#ifndef IMPACT_MEMORY_HINTS_H
#define IMPACT_MEMORY_HINTS_H

/// Asks the CPU to bring the cache line holding `p` into every cache level, without waiting
/// for it and without faulting on any address (a hint: no effect on results).
static inline __attribute__((always_inline)) void impact_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 3);
}

#endif
