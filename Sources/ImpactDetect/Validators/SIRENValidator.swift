/// Validates a SIREN (French company number).
///
/// Behaviour: after trimming, 9 ASCII digits (spaces and NBSP allowed between them, as in
/// `732 829 320`) passing Luhn.
///
/// Contract: `normalized` receives the 9 digits for `valid` and `invalidKey`.
/// Source: regulatory.md §6.7 [C]; INSEE.
public enum SIRENValidator: ValueValidator {
    public static func check(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> ValidationOutcome {
        guard CompanyNumber.digits(value, count: 9, into: &normalized) else { return .malformed }
        return LuhnCheck.isValid(normalized) ? .valid : .invalidKey
    }
}

/// Digits-only identifiers with spaces allowed (SIREN, SIRET).
enum CompanyNumber {
    static func digits(_ value: UnsafeRawBufferPointer, count: Int, into out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        let r = ValueBytes.trimmed(value)
        if r.count < count || r.count > count * 3 { return false }
        guard ValueBytes.compact(value, r, into: &out, allowDots: false, allowDashes: false),
              out.count == count, out.allSatisfy(ValueBytes.isDigit) else {
            out.removeAll(keepingCapacity: true)
            return false
        }
        return true
    }
}
