/// The verdict of a value validator on one cell.
///
/// `valid` and `invalidKey` both mean the value has the identifier's shape; only `valid` passed the
/// check (key, checksum, calendar). `malformed` means the shape is wrong, so the value is not this
/// kind of identifier at all.
///
/// Contract: a validator never returns `invalidKey` for an identifier kind without a check
/// (e-mail, phone, postal code); it returns `unchecked` only where the source (regulatory.md §6)
/// says no check algorithm is known for a form that is otherwise accepted (FINESS and ADELI with
/// a 2A/2B/9X prefix).
public enum ValidationOutcome: Sendable, Equatable {
    /// Right shape, check passed.
    case valid
    /// Right shape, but the check (key, checksum, calendar date) failed.
    case invalidKey
    /// Not this kind of identifier.
    case malformed
    /// Right shape; no check algorithm is known for this form, so it is accepted on shape alone.
    case unchecked

    /// `valid` or `unchecked`: the value is taken as an identifier of this kind.
    @inlinable public var isAccepted: Bool { self == .valid || self == .unchecked }
}

/// A validator of one kind of value (identifier, contact, date), working on UTF-8 bytes.
///
/// Behaviour: `check` reads `value` (one cell, UTF-8), tolerates leading and trailing white space,
/// and writes the canonical form (used to hash identities) into `normalized` when the shape is
/// right; `normalized` is emptied first and stays empty when the value is malformed. It does not
/// allocate when `normalized` already has capacity.
///
/// Contract: pure, thread-safe, no `String` on the hot path; it never logs the value.
public protocol ValueValidator {
    associatedtype Outcome: Sendable & Equatable
    static func check(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> Outcome
}

extension ValueValidator {
    /// Convenience for tests and one-off checks: validates a `String` (UTF-8).
    public static func check(_ s: String) -> Outcome {
        var out: [UInt8] = []
        return check(s, normalized: &out)
    }

    /// Convenience for tests: validates a `String` and returns the canonical form as a `String`.
    public static func normalize(_ s: String) -> (outcome: Outcome, normalized: String) {
        var out: [UInt8] = []
        let o = check(s, normalized: &out)
        return (o, String(decoding: out, as: UTF8.self))
    }

    /// Convenience: validates a `String`, writing the canonical form into `normalized`.
    public static func check(_ s: String, normalized: inout [UInt8]) -> Outcome {
        var copy = s
        return copy.withUTF8 { check(UnsafeRawBufferPointer($0), normalized: &normalized) }
    }
}

/// Byte helpers shared by the validators (ASCII classes, trimming).
@usableFromInline
enum ValueBytes {
    /// The range of `value` without leading and trailing white space (ASCII space, tab, CR, LF,
    /// and the UTF-8 no-break spaces U+00A0 and U+202F).
    @inlinable
    static func trimmed(_ value: UnsafeRawBufferPointer) -> Range<Int> {
        var lo = 0
        var hi = value.count
        while lo < hi {
            let w = spaceWidth(value, at: lo)
            if w == 0 { break }
            lo += w
        }
        while hi > lo {
            let b = value[hi - 1]
            if b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A { hi -= 1; continue }
            // U+00A0 = C2 A0; U+202F = E2 80 AF
            if b == 0xA0, hi - 2 >= lo, value[hi - 2] == 0xC2 { hi -= 2; continue }
            if b == 0xAF, hi - 3 >= lo, value[hi - 3] == 0xE2, value[hi - 2] == 0x80 { hi -= 3; continue }
            break
        }
        return lo..<hi
    }

    /// Width in bytes of the white-space character at `i` (0 when it is not white space).
    /// White space: ASCII space, tab, CR, LF, U+00A0 (NBSP), U+202F (narrow NBSP).
    @inlinable
    static func spaceWidth(_ value: UnsafeRawBufferPointer, at i: Int) -> Int {
        let b = value[i]
        if b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A { return 1 }
        if b == 0xC2, i + 1 < value.count, value[i + 1] == 0xA0 { return 2 }
        if b == 0xE2, i + 2 < value.count, value[i + 1] == 0x80, value[i + 2] == 0xAF { return 3 }
        return 0
    }

    @inlinable static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inlinable static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inlinable static func isLower(_ b: UInt8) -> Bool { b &- 0x61 < 26 }
    @inlinable static func upper(_ b: UInt8) -> UInt8 { isLower(b) ? b - 0x20 : b }
    @inlinable static func lower(_ b: UInt8) -> UInt8 { isUpper(b) ? b + 0x20 : b }

    /// Appends the digits and letters of `value[range]` to `out`, skipping the separators
    /// (space, `.`, `-`, tab, NBSP, narrow NBSP) and upper-casing ASCII letters.
    /// Returns false on any other byte.
    @inlinable
    static func compact(_ value: UnsafeRawBufferPointer, _ range: Range<Int>, into out: inout [UInt8],
                        allowDots: Bool = true, allowDashes: Bool = true) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            let b = value[i]
            if isDigit(b) || isUpper(b) { out.append(b); i += 1; continue }
            if isLower(b) { out.append(b - 0x20); i += 1; continue }
            if b == 0x2E && allowDots { i += 1; continue }
            if b == 0x2D && allowDashes { i += 1; continue }
            let w = spaceWidth(value, at: i)
            if w == 0 { return false }
            i += w
        }
        return true
    }
}
