/// Validates an ADELI number (health professionals registered before RPPS).
///
/// Behaviour: after trimming (internal spaces allowed), 9 characters: a 2-character department
/// of registration (two digits, `2A`/`2B` for Corsica, or `9A`–`9F` for overseas), then 7 digits.
/// A numeric number must pass Luhn over its 9 digits; one with a letter prefix is accepted on
/// shape alone (``ValidationOutcome/unchecked``: no check is known for it).
///
/// Contract: `normalized` receives the 9 upper-case characters unless the value is malformed.
/// Source: regulatory.md §6.5 ([S] structure, [U] Luhn).
public enum ADELIValidator: ValueValidator {
    public static func check(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> ValidationOutcome {
        DepartmentPrefixedNumber.check(value, normalized: &normalized)
    }
}

/// Shared shape of ADELI and FINESS: `(\d{2}|2[AB]|9[A-F])\d{7}`, Luhn when numeric.
enum DepartmentPrefixedNumber {
    static func check(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> ValidationOutcome {
        normalized.removeAll(keepingCapacity: true)
        let r = ValueBytes.trimmed(value)
        if r.count < 9 || r.count > 20 { return .malformed }
        guard ValueBytes.compact(value, r, into: &normalized, allowDots: false, allowDashes: false),
              normalized.count == 9 else {
            normalized.removeAll(keepingCapacity: true)
            return .malformed
        }
        for i in 2..<9 where !ValueBytes.isDigit(normalized[i]) {
            normalized.removeAll(keepingCapacity: true)
            return .malformed
        }
        let a = normalized[0], b = normalized[1]
        if ValueBytes.isDigit(a) && ValueBytes.isDigit(b) {
            return LuhnCheck.isValid(normalized) ? .valid : .invalidKey
        }
        let corsica = a == 0x32 && (b == 0x41 || b == 0x42)
        let overseas = a == 0x39 && b >= 0x41 && b <= 0x46
        if corsica || overseas { return .unchecked }
        normalized.removeAll(keepingCapacity: true)
        return .malformed
    }
}
