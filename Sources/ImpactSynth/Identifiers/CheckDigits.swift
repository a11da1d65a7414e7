/// The check algorithms of the identifiers the generator writes, implemented here from their
/// specifications so that the ground truth never depends on `impact`'s own validators.
///
/// Source: ../shared/domain/regulatory.md §6.1 (NIR key `97 − (N mod 97)`, 2A → 19, 2B → 18),
/// §6.4 (RPPS: 11 digits, Luhn), §6.6 (FINESS: 9 characters, Luhn over the first 8).
public enum CheckDigits {
    /// The NIR key of a 13-character body (ASCII digits, with `2A`/`2B` allowed at positions
    /// 6–7): `97 − (N mod 97)` where N is the body read as a number after replacing 2A by 19
    /// and 2B by 18. Returns nil when the body is not 13 valid characters.
    public static func nirKey<C: Collection>(body: C) -> Int? where C.Element == UInt8 {
        guard body.count == 13 else { return nil }
        var n: UInt64 = 0
        var i = 0
        var previous: UInt8 = 0
        for b in body {
            var digit: UInt64
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digit = UInt64(b - UInt8(ascii: "0"))
            case UInt8(ascii: "A"), UInt8(ascii: "B"):
                // Only "2A"/"2B" at the department position (indices 5–6).
                guard i == 6, previous == UInt8(ascii: "2") else { return nil }
                // Replace the pair "2A" by "19" and "2B" by "18": undo the "2" already added.
                n = (n - 2) + 1
                digit = b == UInt8(ascii: "A") ? 9 : 8
            default:
                return nil
            }
            n = n * 10 + digit
            previous = b
            i += 1
        }
        return 97 - Int(n % 97)
    }

    /// True when `nir` is 15 characters whose last two digits are the key of the first 13.
    public static func isValidNIR<C: Collection>(_ nir: C) -> Bool where C.Element == UInt8 {
        guard nir.count == 15 else { return false }
        let bytes = Array(nir)
        guard let key = nirKey(body: bytes[0..<13]) else { return false }
        let d1 = Int(bytes[13]) - 48
        let d2 = Int(bytes[14]) - 48
        guard (0...9).contains(d1), (0...9).contains(d2) else { return false }
        return d1 * 10 + d2 == key
    }

    /// The Luhn check digit (0–9) to append to `digits` (ASCII).
    public static func luhnDigit<C: Collection>(for digits: C) -> UInt8 where C.Element == UInt8 {
        var sum = 0
        // The digit to append sits at position 0 from the right: the payload's rightmost digit is
        // doubled.
        var double = true
        for b in digits.reversed() {
            var d = Int(b) - 48
            if double { d *= 2; if d > 9 { d -= 9 } }
            sum += d
            double.toggle()
        }
        return UInt8((10 - sum % 10) % 10)
    }

    /// True when the ASCII digits pass the Luhn check (last digit is the check digit).
    public static func isLuhnValid<C: Collection>(_ digits: C) -> Bool where C.Element == UInt8 {
        var sum = 0
        var double = false
        for b in digits.reversed() {
            guard b >= 48, b <= 57 else { return false }
            var d = Int(b) - 48
            if double { d *= 2; if d > 9 { d -= 9 } }
            sum += d
            double.toggle()
        }
        return !digits.isEmpty && sum % 10 == 0
    }
}
