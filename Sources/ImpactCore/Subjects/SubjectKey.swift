/// A 64-bit keyed hash of one normalised identifier of a data subject (NIR + birth date,
/// name + birth date, patient id within its controller, …).
///
/// Behaviour: the hash is keyed with a per-run random 128-bit key (``SubjectKeyHasher``), so the
/// keys held in memory cannot be brute-forced back to a NIR without that key, and two runs give
/// different keys for the same person (counts do not depend on the key). 64 bits give a
/// collision probability of about n²/2⁶⁵ (≈ 3·10⁻⁸ for a million identifiers).
/// The value 0 is reserved for "empty" in the open-addressing tables.
public struct SubjectKey: Hashable, Sendable {
    public let rawValue: UInt64
    @inlinable public init(rawValue: UInt64) { self.rawValue = rawValue == 0 ? 1 : rawValue }
}

/// The kinds of identifier a subject key is built from, as the report names them
/// (`identity_basis`). The kind is mixed into the hash (domain separation).
public enum SubjectKeyKind: UInt8, CaseIterable, Sendable {
    /// A NIR (or NIA) with a valid key, together with the birth date when present
    /// (a child's record can carry the insured parent's NIR: regulatory.md §6.1).
    case nationalID = 1
    /// Normalised family name, then given names (separators inside each part removed, the parts
    /// in order, both required) + birth date; a single full-name field gives an order-free key
    /// (two words at least) and, when its capitalised words mark the family name, the ordered
    /// key too.
    case nameAndBirthDate = 2
    /// A patient id (IPP), meaningful only within its controller.
    case patientID = 3
    /// Fallback when no key above is present: a normalised e-mail address.
    case email = 4
    /// Fallback: a phone number in E.164 form.
    case phone = 5

    /// The name used in the report's `identity_basis`.
    public var reportName: String {
        switch self {
        case .nationalID: return "national_id"
        case .nameAndBirthDate: return "name_and_birth_date"
        case .patientID: return "patient_id"
        case .email: return "email_address"
        case .phone: return "phone_number"
        }
    }
}

/// Keyed 64-bit hashing of byte strings, built on 64×64→128-bit multiply mixing
/// (the folded-multiply construction of wyhash). Not a MAC: the case database uses
/// HMAC-SHA256; this is the in-memory key of the distinct-subject tables.
public struct SubjectKeyHasher: Sendable {
    public let k0: UInt64
    public let k1: UInt64

    /// A hasher with a fresh random key.
    public init() {
        var g = SystemRandomNumberGenerator()
        k0 = g.next()
        k1 = g.next() | 1
    }

    /// A hasher with a fixed key (tests, and reproducible parallel runs inside one analysis).
    public init(k0: UInt64, k1: UInt64) {
        self.k0 = k0
        self.k1 = k1 | 1
    }

    @inlinable @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.high ^ r.low
    }

    /// Starts a hash state for `kind`.
    @inlinable public func begin(_ kind: SubjectKeyKind) -> UInt64 {
        SubjectKeyHasher.mix(k0 ^ UInt64(kind.rawValue) &* 0x9E37_79B9_7F4A_7C15, k1)
    }

    /// Absorbs one part (its length is absorbed too, so parts cannot run into each other).
    @inlinable @inline(__always) public func absorb(_ state: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = state
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = SubjectKeyHasher.mix(h ^ w ^ 0xA076_1D64_78BD_642F, k1 ^ 0xE703_7ED1_A0B4_28DB)
            i += 8
        }
        // The last n - i (< 8) bytes as a little-endian number: one overlapping load when the
        // part has 8 bytes or more; else two overlapping 4-byte loads (4…7 bytes) or three
        // byte loads (1…3 bytes), OR-ed at their places (an overlapping byte ORs with itself).
        var tail: UInt64 = 0
        let rest = n - i
        if rest == 0 {
            // Nothing left (an empty part, or a multiple of 8 bytes).
        } else if n >= 8 {
            let last = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
            tail = last >> UInt64(64 - 8 * rest)
        } else if n >= 4 {
            let low = UInt64(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)))
            tail = low | high << UInt64(8 * (n - 4))
        } else {
            let half = n >> 1
            tail = UInt64(bytes[0]) | UInt64(bytes[half]) << UInt64(8 * half) | UInt64(bytes[n - 1]) << UInt64(8 * (n - 1))
        }
        h = SubjectKeyHasher.mix(h ^ tail ^ 0x8EBC_6AF0_9C88_C6E3, k1 ^ UInt64(truncatingIfNeeded: n) &* 0x5899_65CC_7537_4CC3)
        return h
    }

    /// Absorbs one part given as an array.
    @inlinable public func absorb(_ state: UInt64, _ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { absorb(state, $0) }
    }

    /// Absorbs an integer (e.g. a controller index).
    @inlinable public func absorb(_ state: UInt64, _ value: UInt64) -> UInt64 {
        SubjectKeyHasher.mix(state ^ value ^ 0x1D8E_4E27_C47D_124F, k1 ^ 0xA076_1D64_78BD_642F)
    }

    /// Finishes a state into a key.
    @inlinable public func finish(_ state: UInt64) -> SubjectKey {
        SubjectKey(rawValue: SubjectKeyHasher.mix(state ^ k0, 0x9E37_79B9_7F4A_7C15))
    }
}
