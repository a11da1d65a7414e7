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
    public static func checkCompact(_ value: UnsafeRawBufferPointer) -> ValidationOutcome? {
        guard value.count == 11, value[0] == 0x31, value[1] == 0x30 else { return nil }
        // One pass: the Luhn sum is nil when a byte is not a digit.
        guard let sum = LuhnCheck.sum(value, doubleFirst: false) else { return nil }
        return sum % 10 == 0 ? .valid : .invalidKey
    }
}
