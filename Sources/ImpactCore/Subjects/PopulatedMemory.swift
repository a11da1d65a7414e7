#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Large zero-filled blocks for the subject tables and the tally's sort buffers.
///
/// On Linux a block of 64 KiB or more is an anonymous mapping, advised to use transparent huge
/// pages (2 MiB, `MADV_HUGEPAGE`: honoured when the system's THP mode is `madvise` or `always`)
/// and populated up front (`MADV_POPULATE_WRITE`, Linux 5.14; else `MAP_POPULATE`'s effect by
/// a write of every page). Why both:
/// - Populated: a fresh block's first touches are page faults, and a first read maps the shared
///   zero page whose copy-on-write on the next write flushes the TLB of every core running the
///   process (perf: ~10 % of the other analysis thread's CPU time once).
/// - Huge pages: a probe of a table of tens of MiB, or a radix sort's scatter into thousands of
///   places, is a cache miss without a TLB miss on top, and 8 MiB fault in 4 steps, not 2,048.
/// Elsewhere (and for small blocks): `calloc`.
enum PopulatedMemory {
    static let mappingThreshold = 1 << 16

    /// `bytes` zero bytes (at least 1), 16-byte aligned. Fatal when memory is exhausted (the
    /// callers' budgets keep them far from it).
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        let bytes = max(bytes, 1)
        #if os(Linux)
        if bytes >= mappingThreshold {
            let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            guard let p, p != MAP_FAILED else { fatalError("PopulatedMemory: out of memory (\(bytes) bytes)") }
            if madvise(p, bytes, 23 /* MADV_POPULATE_WRITE */) != 0 { memset(p, 0, bytes) }
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

    /// Frees a buffer of ``buffer(of:count:)``.
    static func deallocate<T>(_ b: UnsafeMutableBufferPointer<T>) {
        deallocate(UnsafeMutableRawPointer(b.baseAddress!), bytes: b.count * MemoryLayout<T>.stride)
    }
}
