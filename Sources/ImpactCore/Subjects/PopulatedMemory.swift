#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMemoryHints

/// Large zero-filled blocks for the subject tables (``UInt64Table``) and the tally's sort
/// buffers, with all their pages mapped writable at once.
///
/// Not `calloc` (nor `malloc` + `memset`, which the compiler turns into `calloc`) for large
/// blocks: a large `calloc` block maps the shared zero page, so the first read of a table slot
/// (every probe reads before it writes) maps it and the first write then replaces it, a
/// copy-on-write fault that flushes the TLB of every core running the process: an interrupt to
/// the other thread of a two-thread analysis (measured with perf: ~10 % of its CPU time in
/// `smp_call_function_many_cond`). A fresh sort buffer would take one fault per 4 KiB page
/// instead of one populating call. On Linux a block of 64 KiB or more is therefore an anonymous
/// mapping populated up front (`MAP_POPULATE`); smaller blocks and other systems use `calloc`.
/// Transparent huge pages (`MADV_HUGEPAGE`) were tried for the sort buffers: with the usual
/// `defrag=madvise` setting the kernel compacts memory synchronously, and the tally's sort took
/// 12–35 ms instead of a steady 14 ms.
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

    /// A zeroed buffer of `count` elements of a trivial type (see ``allocate(bytes:)``).
    static func buffer<T: BitwiseCopyable>(of: T.Type, count: Int) -> UnsafeMutableBufferPointer<T> {
        let p = allocate(bytes: count * MemoryLayout<T>.stride)
        return UnsafeMutableBufferPointer(start: p.bindMemory(to: T.self, capacity: count), count: count)
    }

    /// Gives the memory freed so far back to the system where the allocator keeps it
    /// (glibc's `malloc_trim`): the record batches of a finished analysis, before the tally
    /// allocates its sort buffers, so that the peak resident memory is the larger of the two
    /// phases, not their sum (18 MB given back on the 2M-record benchmark, in about 1 ms).
    static func returnFreedMemory() {
        impact_return_freed_memory()
    }

    /// Frees a buffer of ``buffer(of:count:)``.
    static func deallocate<T>(_ b: UnsafeMutableBufferPointer<T>) {
        deallocate(UnsafeMutableRawPointer(b.baseAddress!), bytes: b.count * MemoryLayout<T>.stride)
    }
}
