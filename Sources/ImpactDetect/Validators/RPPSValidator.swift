/// Validates an RPPS number (Répertoire partagé des professionnels de santé).
///
/// Behaviour: after trimming, the value is 11 ASCII digits starting with `10`, the last a Luhn
/// check digit over the whole number. An IdNat_PS (`8` + RPPS, 12 digits, as on CPS cards and
/// e-prescriptions) is accepted and normalised to the 11-digit RPPS. Internal spaces are allowed.
///
/// Contract: `normalized` receives the 11 digits for `valid` and `invalidKey`.
/// This is a health professional's identifier (personal data of the prescriber, not Art. 9).
/// Source: regulatory.md §6.4 (structure [C], Luhn [S]).
public enum RPPSValidator: ValueValidator {
    public static func check(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> ValidationOutcome {
        normalized.removeAll(keepingCapacity: true)
        let r = ValueBytes.trimmed(value)
        if r.count < 11 || r.count > 24 { return .malformed }
        guard ValueBytes.compact(value, r, into: &normalized, allowDots: false, allowDashes: false),
              normalized.allSatisfy(ValueBytes.isDigit) else {
            normalized.removeAll(keepingCapacity: true)
            return .malformed
        }
        if normalized.count == 12 && normalized[0] == 0x38 { normalized.removeFirst() }
        guard normalized.count == 11, normalized[0] == 0x31, normalized[1] == 0x30 else {
            normalized.removeAll(keepingCapacity: true)
            return .malformed
        }
        return LuhnCheck.isValid(normalized) ? .valid : .invalidKey
    }

    /// ``check(_:normalized:)`` for the common compact form without the array: when `value` is
    /// exactly 11 digits starting with `10` (its normalized form is `value` itself), `valid` or
    /// `invalidKey`; nil for anything else, which ``check(_:normalized:)`` handles.
    ///
    /// The 11 characters are read as two overlapping words of eight (characters 0…7 and 3…10,
    /// ``DecimalWord``), which give the digit test and the Luhn sum without a loop (see
    /// ``luhnSum(_:)``).
    public static func checkCompact(_ value: UnsafeRawBufferPointer) -> ValidationOutcome? {
        guard value.count == 11, value[0] == 0x31, value[1] == 0x30 else { return nil }
        let head = UInt64(littleEndian: value.loadUnaligned(as: UInt64.self))
        let tail = UInt64(littleEndian: value.loadUnaligned(fromByteOffset: 3, as: UInt64.self))
        guard DecimalWord.isEightDigits(head) && DecimalWord.isEightDigits(tail) else { return nil }
        return luhnSum(head: head, tail: tail) % 10 == 0 ? .valid : .invalidKey
    }

    /// The Luhn sum of 11 digits given as the words of characters 0…7 (`head`) and 3…10
    /// (`tail`), one digit per byte lane: the check digit (character 10) is not doubled, so
    /// characters 9, 7, 5, 3 and 1 are. A doubled digit d adds 2d − 9 when d ≥ 5 (d + 3 has bit 3
    /// set exactly then), else 2d; every lane stays under 19 and the eight lanes are added by
    /// one multiply. `tail` gives characters 8…10 only (its lanes 5…7).
    @inline(__always)
    static func luhnSum(head: UInt64, tail: UInt64) -> Int {
        let lowNibbles: UInt64 = 0x0F0F_0F0F_0F0F_0F0F, ones: UInt64 = 0x0101_0101_0101_0101
        @inline(__always) func lanes(_ digits: UInt64, doubled: UInt64) -> Int {
            let twice = digits & doubled
            let nines = ((twice &+ 3 &* ones) >> 3) & ones & doubled
            let sum = (digits &+ twice &- 9 &* nines) &* ones
            return Int(sum >> 56)
        }
        return lanes(head & lowNibbles, doubled: 0xFF00_FF00_FF00_FF00)
            + lanes(tail & lowNibbles & 0xFFFF_FF00_0000_0000, doubled: 0x00FF_0000_0000_0000)
    }
}
