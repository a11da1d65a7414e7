/// The Luhn (mod 10) check digit, shared by RPPS, ADELI, FINESS, SIREN, SIRET and LOINC.
///
/// Behaviour: from the rightmost digit leftwards, every second digit is doubled (minus 9 when the
/// double exceeds 9); the number is valid when the sum is a multiple of 10.
///
/// Contract: input is ASCII digits only; any other byte makes `isValid` false and
/// `checkDigit` nil. Source: ISO/IEC 7812-1 Annex B; regulatory.md §6.4–6.7, §6.13.
public enum LuhnCheck {
    /// Whether the ASCII digits in `digits` (check digit last) pass the Luhn check.
    /// An empty buffer is not valid.
    @inlinable
    public static func isValid(_ digits: UnsafeRawBufferPointer) -> Bool {
        guard let s = sum(digits, doubleFirst: false) else { return false }
        return s % 10 == 0
    }

    /// Whether the ASCII digits of `digits` pass the Luhn check (tests, one-off use).
    public static func isValid(_ digits: String) -> Bool {
        var s = digits
        return s.withUTF8 { isValid(UnsafeRawBufferPointer($0)) }
    }

    /// Whether the ASCII digits in `digits` pass the Luhn check.
    @inlinable
    public static func isValid(_ digits: [UInt8]) -> Bool {
        digits.withUnsafeBytes { isValid($0) }
    }

    /// The check digit (0–9) to append to the ASCII digits in `payload`, or nil when `payload`
    /// is empty or holds a non-digit.
    @inlinable
    public static func checkDigit(_ payload: UnsafeRawBufferPointer) -> UInt8? {
        guard let s = sum(payload, doubleFirst: true) else { return nil }
        return UInt8((10 - s % 10) % 10)
    }

    /// The check digit for the ASCII digits of `payload` (tests, one-off use).
    public static func checkDigit(_ payload: String) -> UInt8? {
        var s = payload
        return s.withUTF8 { checkDigit(UnsafeRawBufferPointer($0)) }
    }

    /// Sum of the Luhn-transformed digits; `doubleFirst` doubles the rightmost digit
    /// (used when the check digit is not yet present).
    @inlinable
    static func sum(_ digits: UnsafeRawBufferPointer, doubleFirst: Bool) -> Int? {
        if digits.isEmpty { return nil }
        var total = 0
        var double = doubleFirst
        var i = digits.count
        while i > 0 {
            i -= 1
            let d = Int(digits[i]) &- 0x30
            if d < 0 || d > 9 { return nil }
            if double {
                let dd = d * 2
                total += dd > 9 ? dd - 9 : dd
            } else {
                total += d
            }
            double.toggle()
        }
        return total
    }
}
