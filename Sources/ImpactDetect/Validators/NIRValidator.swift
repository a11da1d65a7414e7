/// The kind of a NIR-shaped number, from its first (sex) digit.
public enum NIRKind: Sendable, Equatable {
    /// Sex digit 1 (male) or 2 (female): a NIR from the civil-status register.
    case regular
    /// Sex digit 7 or 8: a temporary number (NIA of the CNAV, CPAM provisional number).
    case temporary
    /// Sex digit 3 or 4: a foreign-born person being registered (provisional).
    case provisional
}

/// The verdict of ``NIRValidator`` on one cell.
public enum NIROutcome: Sendable, Equatable {
    /// 15 characters, right structure, key = 97 − (N mod 97).
    case valid(NIRKind)
    /// 13 characters with the right structure and no key (exports often keep it in a `CLE`
    /// column): accepted as a NIR, with the key unchecked.
    case keyAbsent
    /// 15 characters with the right structure but a wrong key.
    case invalidKey
    /// Not a NIR.
    case malformed

    /// `valid` or `keyAbsent`: the value is taken as a NIR.
    public var isAccepted: Bool {
        switch self {
        case .valid, .keyAbsent: return true
        case .invalidKey, .malformed: return false
        }
    }
}

/// The fields of a normalised NIR, for cross-checks against birth-date and sex columns.
public struct NIRFields: Sendable, Equatable {
    /// First digit: 1, 3, 7 male; 2, 4, 8 female.
    public var sexDigit: Int
    /// Last two digits of the birth year (0–99; the century is ambiguous).
    public var birthYear: Int
    /// Birth month as written: 1–12, or a pseudo-month (20, 30–42, 50–99) when unknown.
    public var birthMonth: Int
    /// Whether ``birthMonth`` is a real calendar month (1–12).
    public var hasRealBirthMonth: Bool { birthMonth >= 1 && birthMonth <= 12 }
    /// Whether the sex digit says male (1, 3, 7).
    public var isMale: Bool { sexDigit == 1 || sexDigit == 3 || sexDigit == 7 }
}

/// Validates the French NIR ("numéro de sécurité sociale") and NIA/temporary numbers.
///
/// Behaviour: removes spaces, dots, dashes, NBSP; upper-cases `2a`/`2b`. The result must be 13
/// characters (no key → ``NIROutcome/keyAbsent``) or 15 (key checked): `S AA MM DD CCC OOO KK` with
/// - S in {1, 2, 3, 4, 7, 8} (1/2 regular, 3/4 provisional, 7/8 temporary: ``NIRKind``);
/// - MM in 01–12, 20, 30–42 or 50–99 (pseudo-months for an unknown month);
/// - DD in 01–99 or 2A/2B (Corsica); department 97 must be 971–978 and 98 must be 984–989
///   (3-digit overseas departments; the commune code then has 2 digits);
/// - order number OOO ≠ 000;
/// - key KK = 97 − (N mod 97), N the 13 characters as a number with 2A → 19, 2B → 18.
///
/// Contract: `normalized` receives the 13 or 15 upper-case characters, keeping the 2A/2B letters
/// (the 19/18 substitution is for the key only), for every outcome but `malformed`.
/// A value that passes Luhn but fails the key is `invalidKey`, not a NIR.
/// Source: regulatory.md §6.1 (INSEE NIR layout, key), §6.2 (NIA, 7/8); case 017, case 018.
public enum NIRValidator: ValueValidator {
    public static func check(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> NIROutcome {
        if value.count == 15, let outcome = checkCompact15(value, normalized: &normalized) { return outcome }
        normalized.removeAll(keepingCapacity: true)
        let r = ValueBytes.trimmed(value)
        if r.count < 13 || r.count > 40 { return .malformed }
        guard ValueBytes.compact(value, r, into: &normalized) else {
            normalized.removeAll(keepingCapacity: true)
            return .malformed
        }
        let n = normalized.count
        guard n == 13 || n == 15, let kind = structure(normalized) else {
            normalized.removeAll(keepingCapacity: true)
            return .malformed
        }
        if n == 13 { return .keyAbsent }
        let k1 = Int(normalized[13]) &- 0x30, k2 = Int(normalized[14]) &- 0x30
        guard k1 >= 0, k1 <= 9, k2 >= 0, k2 <= 9 else {
            normalized.removeAll(keepingCapacity: true)
            return .malformed
        }
        return k1 * 10 + k2 == expectedKey(normalized) ? .valid(kind) : .invalidKey
    }

    /// ``check(_:normalized:)`` for the common compact form without the array: when `value` is
    /// exactly 15 characters with no separator, no space and no lower-case letter, its outcome
    /// (its normalized form is `value` itself); nil for anything else, which ``check(_:normalized:)``
    /// handles. For hot loops that keep the normalized bytes elsewhere.
    ///
    /// Fifteen digits (all but Corsican NIRs) are read as two overlapping words of eight
    /// characters (``DecimalWord``): characters 0…7 and 7…14, which also give the 13-digit number
    /// and the key without a loop.
    public static func checkCompact(_ value: UnsafeRawBufferPointer) -> NIROutcome? {
        guard value.count == 15 else { return nil }
        let raw = value.baseAddress!
        let c = raw.assumingMemoryBound(to: UInt8.self)
        let head = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
        let tail = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 7, as: UInt64.self))
        if DecimalWord.isEightDigits(head) && DecimalWord.isEightDigits(tail) {
            guard let kind = rules(at: c) else { return .malformed }
            let first = DecimalWord.value(ofEightDigits: head)    // characters 0…7
            let last = DecimalWord.value(ofEightDigits: tail)     // characters 7…14
            // Characters 0…6 (first / 10) then 7…12 (last / 100): the 13-digit number.
            let number = first / 10 &* 1_000_000 &+ last / 100
            return Int(last % 100) == 97 - Int(number % 97) ? .valid(kind) : .invalidKey
        }
        for i in 0..<15 where !(ValueBytes.isDigit(c[i]) || (i == 6 && (c[i] == 0x41 || c[i] == 0x42))) { return nil }
        guard let kind = structure(at: c) else { return .malformed }
        let k = Int(c[13] &- 0x30) * 10 + Int(c[14] &- 0x30)
        return k == expectedKey(at: c) ? .valid(kind) : .invalidKey
    }

    /// The fast path for the common form: exactly 15 characters with no separator, no space and
    /// no lower-case letter (so trimming and compacting would change nothing). Returns nil for
    /// anything else, which the general path then handles; same outcome and `normalized` as the
    /// general path.
    @inline(__always)
    static func checkCompact15(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> NIROutcome? {
        guard let outcome = checkCompact(value) else { return nil }
        normalized.removeAll(keepingCapacity: true)
        if outcome != .malformed { normalized.append(contentsOf: UnsafeBufferPointer(start: value.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 15)) }
        return outcome
    }

    /// The key (1–97) of the first 13 characters of a normalised NIR (`2A` → 19, `2B` → 18),
    /// for joining a separate `CLE` column; nil when they do not have the NIR structure.
    public static func key(ofNormalized nir: [UInt8]) -> Int? {
        guard nir.count == 13 || nir.count == 15, structure(nir) != nil else { return nil }
        return expectedKey(nir)
    }

    /// Birth year, month and sex digit of a normalised NIR (13 or 15 characters as written into
    /// `normalized` by ``check(_:normalized:)``); nil when the structure is wrong.
    public static func fields(of normalized: [UInt8]) -> NIRFields? {
        guard normalized.count == 13 || normalized.count == 15, structure(normalized) != nil else { return nil }
        func d(_ i: Int) -> Int { Int(normalized[i]) - 0x30 }
        return NIRFields(sexDigit: d(0), birthYear: d(1) * 10 + d(2), birthMonth: d(3) * 10 + d(4))
    }

    /// Checks positions 0–12 of an upper-cased, separator-free candidate; returns the kind.
    @inlinable
    static func structure(_ c: [UInt8]) -> NIRKind? {
        c.withUnsafeBufferPointer { structure(at: $0.baseAddress!) }
    }

    /// ``structure(_:)`` over 13 readable bytes at `c`.
    @inlinable
    static func structure(at c: UnsafePointer<UInt8>) -> NIRKind? {
        @inline(__always) func isDigit(_ i: Int) -> Bool { c[i] &- 0x30 <= 9 }
        // Digits everywhere but the department, which may be 2A/2B (Corsica).
        for i in 1..<5 where !isDigit(i) { return nil }
        for i in 7..<13 where !isDigit(i) { return nil }
        guard (isDigit(5) && isDigit(6)) || (c[5] == 0x32 && (c[6] == 0x41 || c[6] == 0x42)) else { return nil }
        return rules(at: c)
    }

    /// The layout rules of ``structure(at:)`` once its characters are known to be digits (the
    /// department 2A/2B aside): the kind by the first digit, the month, the department (with the
    /// overseas 97x/98x ranges) and a serial number other than 000.
    @inlinable @inline(__always)
    static func rules(at c: UnsafePointer<UInt8>) -> NIRKind? {
        @inline(__always) func digit(_ i: Int) -> Int { Int(c[i] &- 0x30) }
        let kind: NIRKind
        switch c[0] {
        case 0x31, 0x32: kind = .regular
        case 0x33, 0x34: kind = .provisional
        case 0x37, 0x38: kind = .temporary
        default: return nil
        }
        let month = digit(3) * 10 + digit(4)
        guard (1...12).contains(month) || month == 20 || (30...42).contains(month) || month >= 50 else {
            return nil
        }
        // Department: 2 digits, or 2A/2B (Corsica).
        if !(c[5] == 0x32 && (c[6] == 0x41 || c[6] == 0x42)) {
            let dept = digit(5) * 10 + digit(6)
            if dept == 0 { return nil }
            if dept == 97 {
                guard (1...8).contains(digit(7)) else { return nil }
            } else if dept == 98 {
                guard (4...9).contains(digit(7)) else { return nil }
            }
        }
        if c[10] == 0x30 && c[11] == 0x30 && c[12] == 0x30 { return nil }
        return kind
    }

    /// 97 − (N mod 97) over the first 13 characters, with 2A → 19 and 2B → 18.
    @inlinable
    static func expectedKey(_ c: [UInt8]) -> Int {
        c.withUnsafeBufferPointer { expectedKey(at: $0.baseAddress!) }
    }

    /// ``expectedKey(_:)`` over 13 readable bytes at `c`.
    @inlinable
    static func expectedKey(at c: UnsafePointer<UInt8>) -> Int {
        // The 13 characters as a number, the letters of 2A/2B read as 0x41 - 0x30 = 17 and
        // 0x42 - 0x30 = 18, then corrected: 2A → 19 and 2B → 18 (the "2" at 10^7 becomes "1",
        // the letter at 10^6 becomes 9 or 8). Wrapping arithmetic: 13 digits fit in 64 bits.
        var n: UInt64 = 0
        for i in 0..<13 { n = n &* 10 &+ UInt64(c[i] &- 0x30) }
        if c[6] == 0x41 { n = n &- 10_000_000 &- 8 * 1_000_000 }
        else if c[6] == 0x42 { n = n &- 10_000_000 &- 10 * 1_000_000 }
        return 97 - Int(n % 97)
    }
}
