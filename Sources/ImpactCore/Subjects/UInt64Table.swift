#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMemoryHints

/// An open-addressing hash table from non-zero `UInt64` keys to `UInt32` values
/// (linear probing, power-of-two capacity, load factor ≤ 3/4). Used for subject-key → node,
/// (node, controller) → categories and the controller and prescriber look-ups.
///
/// Layout: one block of 12-byte slots, the key and its value side by side, so a probe touches
/// one cache line (the tables of a large leak do not fit in the caches: each probe of a new key
/// is a memory access). 12 bytes per slot and at least 16 bytes per entry (25 on average over
/// the growth cycle); no per-entry allocation. Growing doubles the block: for that moment the
/// old and the new block are both held.
///
/// Key 0 is reserved for empty slots: callers pass keys that are never 0
/// (``SubjectKey`` guarantees it; packed keys add 1).
struct UInt64Table: ~Copyable {
    private var slots: UnsafeMutableRawPointer
    private(set) var count = 0
    private var mask: Int
    /// Entries allowed before the next growth (3/4 of the capacity).
    private(set) var limit: Int

    static let stride = 12

    init(capacity: Int = 1024) {
        var c = 16
        while c * 3 / 4 < capacity { c <<= 1 }
        slots = Self.allocate(c)
        mask = c - 1
        limit = c * 3 / 4
    }

    deinit { Self.deallocate(slots, capacity: mask + 1) }

    /// Zeroed slots, every page mapped writable at once (see ``PopulatedMemory``).
    private static func allocate(_ c: Int) -> UnsafeMutableRawPointer {
        PopulatedMemory.allocate(bytes: c * stride)
    }

    private static func deallocate(_ p: UnsafeMutableRawPointer, capacity c: Int) {
        PopulatedMemory.deallocate(p, bytes: c * stride)
    }

    /// Number of slots.
    var capacity: Int { mask + 1 }

    @inline(__always) private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    @inline(__always) private func key(at i: Int) -> UInt64 {
        slots.loadUnaligned(fromByteOffset: i &* Self.stride, as: UInt64.self)
    }

    @inline(__always) private func value(at i: Int) -> UInt32 {
        slots.loadUnaligned(fromByteOffset: i &* Self.stride &+ 8, as: UInt32.self)
    }

    @inline(__always) private func store(_ key: UInt64, _ value: UInt32, at i: Int) {
        slots.storeBytes(of: key, toByteOffset: i &* Self.stride, as: UInt64.self)
        slots.storeBytes(of: value, toByteOffset: i &* Self.stride &+ 8, as: UInt32.self)
    }

    /// Hints the CPU to load the first slot `key` probes: issued for keys that will be probed a
    /// few records later, so that the cache misses of many keys overlap instead of stalling
    /// one by one. Changes nothing.
    @inline(__always) func prefetch(_ key: UInt64) {
        impact_prefetch(slots + slot(key) &* Self.stride)
    }

    /// The value for `key`, or nil.
    func get(_ key: UInt64) -> UInt32? {
        var i = slot(key)
        while true {
            let k = self.key(at: i)
            if k == key { return value(at: i) }
            if k == 0 { return nil }
            i = (i &+ 1) & mask
        }
    }

    /// Returns the value for `key`, inserting `make()` first if absent. `inserted` tells which.
    @inline(__always)
    mutating func getOrInsert(_ key: UInt64, _ make: () -> UInt32) -> (value: UInt32, inserted: Bool) {
        var i = slot(key)
        while true {
            let k = self.key(at: i)
            if k == key { return (value(at: i), false) }
            if k == 0 {
                let v = make()
                store(key, v, at: i)
                count += 1
                if count > limit { grow() }
                return (v, true)
            }
            i = (i &+ 1) & mask
        }
    }

    /// ORs `bits` into the value of `key` (inserting it with `bits` if absent).
    @inline(__always)
    mutating func formUnion(_ key: UInt64, _ bits: UInt32) {
        var i = slot(key)
        while true {
            let k = self.key(at: i)
            if k == key {
                store(key, value(at: i) | bits, at: i)
                return
            }
            if k == 0 {
                store(key, bits, at: i)
                count += 1
                if count > limit { grow() }
                return
            }
            i = (i &+ 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots, oldCapacity = mask + 1
        let c = oldCapacity * 2
        slots = Self.allocate(c)
        mask = c - 1
        limit = c * 3 / 4
        for j in 0..<oldCapacity {
            let k = old.loadUnaligned(fromByteOffset: j * Self.stride, as: UInt64.self)
            if k == 0 { continue }
            var i = slot(k)
            while key(at: i) != 0 { i = (i &+ 1) & mask }
            store(k, old.loadUnaligned(fromByteOffset: j * Self.stride + 8, as: UInt32.self), at: i)
        }
        Self.deallocate(old, capacity: oldCapacity)
    }

    /// Calls `body` for every entry, in slot order.
    func forEach(_ body: (UInt64, UInt32) throws -> Void) rethrows {
        try forEach(slots: 0..<(mask + 1), body)
    }

    /// Calls `body` for every entry in the slots `range` (a part of `0..<capacity`), in slot
    /// order: disjoint ranges can be read by different threads while nothing writes.
    func forEach(slots range: Range<Int>, _ body: (UInt64, UInt32) throws -> Void) rethrows {
        for i in range {
            let k = key(at: i)
            if k != 0 { try body(k, value(at: i)) }
        }
    }

    /// Bytes held by the table.
    var memoryBytes: Int { (mask + 1) * Self.stride }
}
