#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry moved out of memory by a ``SubjectLinker``: a 64-bit key and a 32-bit value.
///
/// For the key table: a ``SubjectKey``'s raw value (a keyed hash) and its node number. For the
/// observations: `node << 20 | controller` and the categories bits. Never an identifier.
public struct SubjectSpillEntry: Sendable, Equatable {
    public var key: UInt64
    public var value: UInt32

    @inlinable public init(key: UInt64, value: UInt32) {
        self.key = key
        self.value = value
    }
}

/// Storage outside memory for the distinct-subject tables of a ``SubjectLinker`` that
/// outgrew its ``SubjectMemoryBudget`` (implemented by `ImpactStore` over a temporary SQLite
/// database).
///
/// Behaviour expected: keys are stored once (a key stored again keeps its node: node numbers
/// never change); observations are appended (the same `(node, controller)` may come several
/// times: the linker ORs their masks); ``sortObservations(adding:regroup:_:)`` is an external
/// sort. Only keyed hashes, node numbers, controller indices and category bits reach it.
///
/// Contract: used from one thread. Errors are thrown with kinds and SQLite's messages only,
/// never a stored value. The store deletes its storage when it is deinitialised (or earlier).
/// None of its methods may be called from inside a `body` closure it is running.
public protocol SubjectSpillStore: AnyObject {
    /// Stores key → node entries, given in ascending order of `Int64(bitPattern: key)`; a key
    /// already stored is left as it is.
    func storeKeys(_ entries: UnsafeBufferPointer<SubjectSpillEntry>) throws
    /// The node of a stored key, or nil.
    func node(ofKey key: UInt64) throws -> UInt32?
    /// Appends observations: `node << 20 | controller` → categories bits.
    func storeObservations(_ entries: UnsafeBufferPointer<SubjectSpillEntry>) throws
    /// Calls `body` with every stored key and its node (in no particular order).
    func forEachKey(_ body: (UInt64, UInt32) throws -> Void) throws
    /// Sorts `entries` together with every stored observation mapped through `regroup`
    /// (which turns `node << 20 | controller` into `group << 20 | controller`), and calls
    /// `body` with each of them in ascending key order (equal keys adjacent, not merged).
    func sortObservations(adding entries: UnsafeBufferPointer<SubjectSpillEntry>, regroup: (UInt64) -> UInt64,
                          _ body: (UInt64, UInt32) throws -> Void) throws
    /// Bytes the store occupies on disk.
    var storedBytes: Int { get }
}

/// How much memory the distinct-subject tables of a ``SubjectLinker`` may take, and where they
/// go beyond it (`impact --memory-limit`).
///
/// Behaviour: the budget covers the key table, the observation table and (after the first
/// spill) the filter of spilled keys — the structures that grow with distinct subjects. When
/// the next growth of a table would pass it, the tables are moved to the store that `makeSpill`
/// creates (once, at the first spill) and emptied; counts stay exact (see ``SubjectLinker``).
public struct SubjectMemoryBudget: Sendable {
    /// The budget in bytes.
    public var bytes: Int
    /// Creates the spill store, at the first spill only.
    public var makeSpill: @Sendable () throws -> any SubjectSpillStore
    /// Called after each spill with the figures so far (counts and sizes, never a value).
    public var onSpill: (@Sendable (SubjectSpillStatistics) -> Void)?

    public init(bytes: Int, makeSpill: @escaping @Sendable () throws -> any SubjectSpillStore,
                onSpill: (@Sendable (SubjectSpillStatistics) -> Void)? = nil) {
        self.bytes = bytes
        self.makeSpill = makeSpill
        self.onSpill = onSpill
    }
}

/// What a ``SubjectLinker`` moved out of memory: counts and sizes.
public struct SubjectSpillStatistics: Sendable, Equatable {
    /// Times the tables were moved to the spill store.
    public var spills = 0
    /// Key and observation entries written (a key written again after being read back counts again).
    public var keysWritten = 0
    public var observationsWritten = 0
    /// Keys absent from memory looked up in the store (the filter let them through), and found.
    public var lookups = 0
    public var lookupHits = 0
    /// Records linked when the first spill happened.
    public var recordsAtFirstSpill = 0
    /// Size of the store on disk after the last spill.
    public var storedBytes = 0

    public init() {}
}

/// A blocked Bloom filter of the keys moved to the spill store: a key it does not hold was
/// never spilled, so most genuinely new keys cost no look-up in the store.
///
/// Layout: 64-byte blocks (one cache line); a key sets 6 bits of one block, the block chosen by
/// a multiplicative hash of the key and the bits by 9-bit slices of the key itself (keys are
/// keyed hashes: uniform). About 2 % false positives at 16 bits per key; never a false negative.
final class SpilledKeyFilter {
    private let words: UnsafeMutablePointer<UInt64>
    private let blocks: UInt64
    /// Bytes held.
    let bytes: Int

    /// A filter of about `bytes` bytes (at least one block).
    init(bytes: Int) {
        let b = max(1, bytes / 64)
        blocks = UInt64(b)
        self.bytes = b * 64
        guard let p = calloc(b * 8, 8) else { fatalError("SpilledKeyFilter: out of memory (\(b * 64) bytes)") }
        words = p.assumingMemoryBound(to: UInt64.self)
    }

    deinit { free(words) }

    @inline(__always) private func block(_ key: UInt64) -> Int {
        let h = (key &* 0x9E37_79B9_7F4A_7C15) >> 32
        return Int(truncatingIfNeeded: (h &* blocks) >> 32) &* 8
    }

    func insert(_ key: UInt64) {
        let b = block(key)
        var k = key
        for _ in 0..<6 {
            let bit = Int(truncatingIfNeeded: k & 511)
            words[b &+ bit >> 6] |= 1 << UInt64(bit & 63)
            k >>= 9
        }
    }

    @inline(__always) func mayContain(_ key: UInt64) -> Bool {
        let b = block(key)
        var k = key
        for _ in 0..<6 {
            let bit = Int(truncatingIfNeeded: k & 511)
            if words[b &+ bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
            k >>= 9
        }
        return true
    }
}
