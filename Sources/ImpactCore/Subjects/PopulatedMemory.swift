#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMemoryHints

/// Large zero-filled blocks for the subject tables (``UInt64Table``), with all their pages
/// mapped writable at once.
///
/// Not `calloc` (nor `malloc` + `memset`, which the compiler turns into `calloc`) for large
/// blocks: a large `calloc` block maps the shared zero page, so the first read of a table slot
/// (every probe reads before it writes) maps it and the first write then replaces it, a
/// copy-on-write fault that flushes the TLB of every core running the process: an interrupt to
/// the other thread of a two-thread analysis (measured with perf: ~10 % of its CPU time in
/// `smp_call_function_many_cond`). On Linux a block of 64 KiB or more is therefore an anonymous
/// mapping populated up front (`MAP_POPULATE`); smaller blocks and other systems use `calloc`.
/// Transparent huge pages (`MADV_HUGEPAGE`) were tried: with the usual `defrag=madvise`
/// setting the kernel compacts memory synchronously, and an 8 MiB buffer took 12–35 ms
/// instead of a steady 14 ms to sort.
enum PopulatedMemory {
    static let mappingThreshold = 1 << 16

    /// `bytes` zero bytes (at least 1), 16-byte aligned. Fatal when memory is exhausted (the
    /// callers' budgets keep them far from it).
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        let bytes = max(bytes, 1)
        #if os(Linux)
        if bytes >= mappingThreshold {
            let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0)
            guard let p, p != MAP_FAILED else { fatalError("PopulatedMemory: out of memory (\(bytes) bytes)") }
            return p
        }
        #endif
        guard let p = calloc(bytes, 1) else { fatalError("PopulatedMemory: out of memory (\(bytes) bytes)") }
        return p
    }

    /// Frees a block of ``allocate(bytes:)`` (the same `bytes`).
    static func deallocate(_ p: UnsafeMutableRawPointer, bytes: Int) {
        let bytes = max(bytes, 1)
        #if os(Linux)
        if bytes >= mappingThreshold {
            munmap(p, bytes)
            return
        }
        #endif
        free(p)
    }

    /// Gives the memory freed so far back to the system where the allocator keeps it
    /// (glibc's `malloc_trim`): the record batches of a finished analysis, before the tally
    /// allocates its sort buffers (32 bytes per observation), so that the peak resident memory
    /// is the larger of the two phases, not their sum (18 MB given back on the 2M-record
    /// benchmark, in about 1 ms).
    static func returnFreedMemory() {
        impact_return_freed_memory()
    }
}
