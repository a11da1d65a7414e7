#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImpactDetect

/// The controllers (GDPR Art. 4(7)) found in a leak: each lab, keyed by its FINESS (or the
/// value of the controller column), with the name most often written beside it.
///
/// Behaviour: `index(id:name:)` is called once per record with the normalised bytes of the
/// controller id (empty when the record has none) and of the controller name; records with
/// neither go to the controller `unknown`. When the data has no id column, the folded name is
/// the key and the first spelling met is the name shown. A record with a name but no id goes
/// to the controller whose id was written beside that name (folded) elsewhere, when exactly one
/// was and it was met first (rows of a lab whose FINESS is missing on some rows are not a second
/// controller); else to a controller of that name. Per-record cost: one keyed hash and one table
/// probe; a `String` is built only the first time an id or a name is met.
public final class ControllerRegistry {
    public struct Entry: Sendable {
        public var id: String
        /// How the controller is looked up: 1 by id bytes, 2 by folded name, 3 `unknown`; and the bytes.
        public var lookupKind: Int = 3
        public var lookupKey: [UInt8] = []
        public var records = 0
        /// Name spellings met, with how many records carried each (at most 16 kept).
        public var names: [(name: String, count: Int)] = []
        fileprivate var nameHashes: [UInt64] = []

        /// The most frequent name, or nil.
        public var name: String? { names.max { $0.count < $1.count || ($0.count == $1.count && $0.name > $1.name) }?.name }
    }

    public private(set) var entries: [Entry] = []
    private var indexOfKey = UInt64Table(capacity: 64)
    private let hasher = SubjectKeyHasher(k0: 0x243F_6A88_85A3_08D3, k1: 0x1319_8A2E_0370_7344)
    /// Folded name (hash) → the id-keyed controller written beside it, or -1 when several were.
    private var idControllerOfName: [UInt64: Int] = [:]
    /// Controllers keyed by name whose name is also written beside an id (index → that id's
    /// controller): shown as a warning, since their records could not be attributed.
    public private(set) var nameAlsoBesideID: [Int: Int] = [:]
    public static let unknownID = "unknown"

    public init() {}

    public var count: Int { entries.count }

    /// Adds a controller of an earlier run of a case (its records count carries over) and
    /// returns its index. Call before the first record.
    public func preload(id: String, name: String?, records: Int, lookupKind: Int, lookupKey: [UInt8]) -> Int {
        let h = lookupKey.withUnsafeBytes { kb in
            hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.patientID), UInt64(lookupKind)), kb)).rawValue
        }
        let (v, inserted) = indexOfKey.getOrInsert(h) { UInt32(entries.count) }
        if inserted {
            var e = Entry(id: id, lookupKind: lookupKind, lookupKey: lookupKey)
            if let name {
                if lookupKind == 1 { noteIDController(Int(v), spelling: name) }
                e.names = [(name, records)]
                var n = name
                e.nameHashes = [n.withUTF8 { hasher.finish(hasher.absorb(hasher.begin(.email), UnsafeRawBufferPointer($0))).rawValue }]
            }
            entries.append(e)
        }
        entries[Int(v)].records += records
        return Int(v)
    }

    /// The index of the controller identified by `id` (or by `name` when `id` is empty).
    /// - Parameters:
    ///   - id: the normalised controller id (e.g. a FINESS), possibly empty.
    ///   - name: the controller's name as written, possibly empty.
    public func index(id: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer, foldedName: UnsafeRawBufferPointer) -> Int {
        // An id met before (at most 16 bytes: FINESS, SIRET…) from the id cache, without the
        // keyed hash and the table probe: an id's controller never changes once registered.
        if id.count > 0 && id.count <= 16 {
            let (low, high) = Self.words(id)
            let slot = Int(truncatingIfNeeded: (low &* 0x9E37_79B9_7F4A_7C15 ^ high) >> 58)
            let cached = idCache[slot]
            if cached.count == id.count && cached.low == low && cached.high == high {
                count(record: cached.controller, name: name)
                return cached.controller
            }
            let i = lookUp(id: id, name: name, foldedName: foldedName)
            idCache[slot] = (id.count, low, high, i)
            count(record: i, name: name)
            return i
        }
        let i = lookUp(id: id, name: name, foldedName: foldedName)
        count(record: i, name: name)
        return i
    }

    /// Ids of up to 16 bytes seen last, by a hash of their bytes (64 slots): their length, their
    /// bytes as two little-endian words (zero-padded) and their controller.
    private var idCache = [(count: Int, low: UInt64, high: UInt64, controller: Int)](repeating: (0, 0, 0, 0), count: 64)

    /// The first 8 and the next (up to) 8 bytes of `v` (1…16 bytes) as little-endian words,
    /// zero-padded.
    @inline(__always) private static func words(_ v: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        let n = v.count
        if n >= 8 {
            // Bytes 8..<n: the last eight, shifted down past the ones the first word holds.
            let low = UInt64(littleEndian: v.loadUnaligned(as: UInt64.self))
            let high = n > 8 ? UInt64(littleEndian: v.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) >> UInt64(8 * (16 - n)) : 0
            return (low, high)
        }
        var low: UInt64 = 0
        for k in 0..<n { low |= UInt64(v[k]) << UInt64(8 * k) }
        return (low, 0)
    }

    /// The controller of `id` (or of the folded name), registered when met for the first time.
    private func lookUp(id: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer, foldedName: UnsafeRawBufferPointer) -> Int {
        let keyBytes: UnsafeRawBufferPointer
        let kind: UInt64
        if id.count > 0 { keyBytes = id; kind = 1 } else if foldedName.count > 0 { keyBytes = foldedName; kind = 2 } else { keyBytes = id; kind = 3 }
        let h = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.patientID), kind), keyBytes)).rawValue
        // A name met for the first time without an id goes to the controller whose id was
        // written beside it, when exactly one was (one probe: the alias is what gets inserted).
        var aliased = false
        let (v, inserted) = indexOfKey.getOrInsert(h) {
            if kind == 2 {
                let nameHash = hasher.finish(hasher.absorb(hasher.begin(.email), foldedName)).rawValue
                if let owner = idControllerOfName[nameHash], owner >= 0 {
                    aliased = true
                    return UInt32(owner)
                }
            }
            return UInt32(entries.count)
        }
        let i = Int(v)
        if inserted && !aliased {
            let idString: String
            switch kind {
            case 1: idString = String(decoding: id, as: UTF8.self)
            case 2: idString = String(decoding: name, as: UTF8.self)
            default: idString = ControllerRegistry.unknownID
            }
            entries.append(Entry(id: idString, lookupKind: Int(kind), lookupKey: Array(keyBytes)))
        }
        return i
    }

    /// Counts a record of controller `i` and the spelling of its name.
    @inline(__always) private func count(record i: Int, name: UnsafeRawBufferPointer) {
        entries[i].records += 1
        if name.count > 0 {
            // Most records of a controller carry the spelling its previous record carried: a
            // byte comparison then finds it, without a hash.
            if i < lastSpelling.count, lastSpelling[i].slot >= 0, lastSpelling[i].bytes.count == name.count,
               lastSpelling[i].bytes.withUnsafeBytes({ memcmp($0.baseAddress!, name.baseAddress!, name.count) == 0 }) {
                entries[i].names[lastSpelling[i].slot].count += 1
                return
            }
            let nh = hasher.finish(hasher.absorb(hasher.begin(.email), name)).rawValue
            if let j = entries[i].nameHashes.firstIndex(of: nh) {
                entries[i].names[j].count += 1
                rememberSpelling(name, slot: j, of: i)
            } else if entries[i].nameHashes.count < 16 {
                rememberSpelling(name, slot: entries[i].names.count, of: i)
                entries[i].nameHashes.append(nh)
                let spelling = String(decoding: name, as: UTF8.self)
                entries[i].names.append((spelling, 1))
                if entries[i].lookupKind == 1 { noteIDController(i, spelling: spelling) }
            }
        }
    }

    /// Per controller: the spelling its last record carried (bytes) and where it is counted in
    /// `names` (-1: none yet).
    private var lastSpelling: [(bytes: [UInt8], slot: Int)] = []

    private func rememberSpelling(_ name: UnsafeRawBufferPointer, slot: Int, of i: Int) {
        while lastSpelling.count <= i { lastSpelling.append(([], -1)) }
        lastSpelling[i] = (Array(name), slot)
    }

    /// Registers the controller of `id` (the normalised id, as ``index(id:name:foldedName:)``
    /// takes it) as written beside `name`, without counting a record: called on the
    /// classification sample before it is analysed, so that records naming that controller
    /// without its id go to it even when they come first.
    public func register(id: UnsafeRawBufferPointer, besideName name: UnsafeRawBufferPointer) {
        guard id.count > 0, name.count > 0 else { return }
        let h = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.patientID), 1), id)).rawValue
        let (v, inserted) = indexOfKey.getOrInsert(h) { UInt32(entries.count) }
        if inserted { entries.append(Entry(id: String(decoding: id, as: UTF8.self), lookupKind: 1, lookupKey: Array(id))) }
        let i = Int(v)
        let nh = hasher.finish(hasher.absorb(hasher.begin(.email), name)).rawValue
        guard !entries[i].nameHashes.contains(nh), entries[i].nameHashes.count < 16 else { return }
        let spelling = String(decoding: name, as: UTF8.self)
        entries[i].nameHashes.append(nh)
        entries[i].names.append((spelling, 0))
        noteIDController(i, spelling: spelling)
    }

    /// Notes that the id-keyed controller `i` is written beside `spelling`; a controller keyed
    /// by that name already is noted in ``nameAlsoBesideID``.
    private func noteIDController(_ i: Int, spelling: String) {
        let folded = Array(TextFold.fold(spelling).utf8)
        let nameHash = folded.withUnsafeBytes { hasher.finish(hasher.absorb(hasher.begin(.email), $0)).rawValue }
        if let owner = idControllerOfName[nameHash] {
            if owner != i { idControllerOfName[nameHash] = -1 }
        } else {
            idControllerOfName[nameHash] = i
        }
        let nameKey = folded.withUnsafeBytes {
            hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.patientID), 2), $0)).rawValue
        }
        if let j = indexOfKey.get(nameKey), Int(j) != i, entries[Int(j)].lookupKind == 2 {
            nameAlsoBesideID[Int(j)] = i
        }
    }
}
