#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImpactDetect

/// What the checks of the classification sample found in one value: the ``FieldEvidence``
/// counters it adds one to, the year of a date, the lexicon hits.
///
/// Behaviour: ``CellInspector/verdict(of:)`` computes it from the value's bytes alone (no other
/// state), so a value met again can add the same verdict without being inspected again
/// (``VerdictCache``). ``apply(to:)`` adds it to a field's evidence, with `values` counted.
struct CellVerdict {
    /// The counters of ``FieldEvidence`` a value adds one to, one bit each.
    struct Marks: OptionSet {
        let rawValue: UInt32
        static let numeric = Marks(rawValue: 1 << 0)
        static let nirValid = Marks(rawValue: 1 << 1)
        static let nirTemporary = Marks(rawValue: 1 << 2)
        static let nirKeyAbsent = Marks(rawValue: 1 << 3)
        static let nirInvalidKey = Marks(rawValue: 1 << 4)
        static let rppsValid = Marks(rawValue: 1 << 5)
        static let rppsInvalidKey = Marks(rawValue: 1 << 6)
        static let finessValid = Marks(rawValue: 1 << 7)
        static let finessInvalidKey = Marks(rawValue: 1 << 8)
        static let adeliValid = Marks(rawValue: 1 << 9)
        static let sirenValid = Marks(rawValue: 1 << 10)
        static let siretValid = Marks(rawValue: 1 << 11)
        static let phone = Marks(rawValue: 1 << 12)
        static let date = Marks(rawValue: 1 << 13)
        static let postalCode = Marks(rawValue: 1 << 14)
        static let ibanValid = Marks(rawValue: 1 << 15)
        static let ibanInvalidKey = Marks(rawValue: 1 << 16)
        static let email = Marks(rawValue: 1 << 17)
        static let nameShaped = Marks(rawValue: 1 << 18)
        static let multiWord = Marks(rawValue: 1 << 19)
        static let firstNameShaped = Marks(rawValue: 1 << 20)
        static let lastNameShaped = Marks(rawValue: 1 << 21)
        static let containsFirstName = Marks(rawValue: 1 << 22)
        static let streetShaped = Marks(rawValue: 1 << 23)
        static let labShaped = Marks(rawValue: 1 << 24)
        static let titled = Marks(rawValue: 1 << 25)
    }

    var marks: Marks = []
    /// The date's year, with ``Marks/date``.
    var year = 0
    var hits = LexiconHits()

    /// Adds the verdict of one value to `e`.
    func apply(to e: inout FieldEvidence) {
        e.values += 1
        var m = marks.rawValue
        while m != 0 {
            switch m.trailingZeroBitCount {
            case 0: e.numeric += 1
            case 1: e.nirValid += 1
            case 2: e.nirTemporary += 1
            case 3: e.nirKeyAbsent += 1
            case 4: e.nirInvalidKey += 1
            case 5: e.rppsValid += 1
            case 6: e.rppsInvalidKey += 1
            case 7: e.finessValid += 1
            case 8: e.finessInvalidKey += 1
            case 9: e.adeliValid += 1
            case 10: e.sirenValid += 1
            case 11: e.siretValid += 1
            case 12: e.phone += 1
            case 13:
                e.date += 1
                e.minYear = min(e.minYear, year)
                e.maxYear = max(e.maxYear, year)
            case 14: e.postalCode += 1
            case 15: e.ibanValid += 1
            case 16: e.ibanInvalidKey += 1
            case 17: e.email += 1
            case 18: e.nameShaped += 1
            case 19: e.multiWord += 1
            case 20: e.firstNameShaped += 1
            case 21: e.lastNameShaped += 1
            case 22: e.containsFirstName += 1
            case 23: e.streetShaped += 1
            case 24: e.labShaped += 1
            case 25: e.titled += 1
            default: preconditionFailure("CellVerdict: unknown mark")
            }
            m &= m &- 1
        }
        if hits.categories.rawValue != 0 { e.noteTerms(hits) }  // noteTerms ignores hits without categories
    }
}

/// The verdicts of values already inspected in the classification sample, found by their exact
/// bytes: a value met again (a lab name, a unit, a status, a frequent given name or postal code)
/// adds the kept ``CellVerdict`` instead of being inspected again.
///
/// Behaviour: open addressing over a 64-bit hash of the bytes; the hash only picks the slot and
/// skips unequal entries early, an entry is used only when its bytes equal the value's. Values
/// longer than ``maxLength`` bytes are not kept; once ``capacity`` values are kept no more are
/// added (the values met first, which include the frequent ones, stay).
///
/// Contract: exact (a verdict is a function of the bytes); memory at most `capacity ×
/// maxLength` bytes of values plus one verdict (about 70 bytes) and two slots per value.
struct VerdictCache {
    let capacity: Int
    let maxLength: Int
    /// Bits of ``hash(_:)`` kept (all but in tests, which keep 2 so that unequal values share
    /// hashes and only the byte comparison tells them apart).
    let hashMask: UInt64
    /// Entry index + 1 per slot (0: empty); the slot count is a power of two ≥ 2 × capacity.
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    /// Start of each entry's bytes in ``bytes``; entry k's bytes end where entry k + 1's start.
    private var starts: [Int32] = [0]
    private var bytes: [UInt8] = []
    private(set) var verdicts: [CellVerdict] = []

    init(capacity: Int = 8192, maxLength: Int = 64, hashMask: UInt64 = ~0) {
        precondition(capacity >= 1 && capacity < Int(Int32.max) / 2, "VerdictCache: bad capacity")
        self.capacity = capacity
        self.maxLength = maxLength
        self.hashMask = hashMask
        var n = 2
        while n < capacity * 2 { n <<= 1 }
        slots = [Int32](repeating: 0, count: n)
    }

    /// Values kept.
    var count: Int { verdicts.count }

    /// A hash of the value's bytes (8 at a time), its length mixed in, masked by ``hashMask``.
    @inline(__always) func hash(_ v: UnsafeRawBufferPointer) -> UInt64 {
        let n = v.count
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i + 8 <= n {
            h = (h ^ v.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            // The last bytes in one or two loads (overlapping what was read, or each other).
            let tail: UInt64
            if n >= 8 {
                tail = v.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            } else if n >= 4 {
                tail = UInt64(v.loadUnaligned(as: UInt32.self)) << 32 | UInt64(v.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            } else {
                tail = UInt64(v[0]) << 16 | UInt64(v[n >> 1]) << 8 | UInt64(v[n - 1])
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
            h ^= h >> 29
        }
        return h & hashMask
    }

    /// The index in ``verdicts`` of the value with the bytes of `v` (hash `h`), or nil.
    @inline(__always) func find(_ v: UnsafeRawBufferPointer, hash h: UInt64) -> Int? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[i]) - 1
            if e < 0 { return nil }
            if hashes[e] == h && equal(e, v) { return e }
            i = (i + 1) & mask
        }
    }

    /// Whether entry `e` holds exactly the bytes of `v`.
    @inline(__always) private func equal(_ e: Int, _ v: UnsafeRawBufferPointer) -> Bool {
        let start = Int(starts[e]), length = Int(starts[e + 1]) - start
        guard length == v.count else { return false }
        if length == 0 { return true }
        return bytes.withUnsafeBytes { memcmp($0.baseAddress! + start, v.baseAddress!, length) == 0 }
    }

    /// Keeps `verdict` for the bytes of `v` (hash `h`, not kept yet), unless `v` is longer than
    /// ``maxLength`` or ``capacity`` values are kept.
    mutating func add(_ v: UnsafeRawBufferPointer, hash h: UInt64, verdict: CellVerdict) {
        guard v.count <= maxLength, verdicts.count < capacity else { return }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = Int32(verdicts.count + 1)
        hashes.append(h)
        bytes.append(contentsOf: v)
        starts.append(Int32(bytes.count))
        verdicts.append(verdict)
    }
}
