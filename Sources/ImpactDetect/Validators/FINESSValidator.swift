/// Validates a FINESS number (health establishment: EJ legal entity or ET site).
///
/// Behaviour: after trimming (internal spaces allowed), 9 characters: a 2-character department
/// (two digits, `2A`/`2B`, or `9A`–`9F` for overseas), 6 digits, and a Luhn check digit. A numeric
/// number must pass Luhn over its 9 digits; a letter prefix is accepted on shape alone
/// (``ValidationOutcome/unchecked``: the check for those is unknown).
///
/// Contract: `normalized` receives the 9 upper-case characters unless the value is malformed.
/// FINESS is the controller key of a lab when present. Source: regulatory.md §6.6 (Luhn confirmed
/// on 5 real numbers; 2A/2B/9X handling [U]).
public enum FINESSValidator: ValueValidator {
    public static func check(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> ValidationOutcome {
        DepartmentPrefixedNumber.check(value, normalized: &normalized)
    }
}
