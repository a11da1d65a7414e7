/// Validates a phone number and normalises it to E.164 (`+33612345678`).
///
/// Behaviour: after trimming, digits with separators (space, `.`, `-`, NBSP, parentheses) in one
/// of these forms:
/// - French national: `0` + a digit 1–9 + 8 digits (`06 12 34 56 78`, `01.45.67.89.10`);
/// - French international: `+33` or `0033` + 9 digits, a written trunk zero tolerated
///   (`+33 6 12…`, `+33 (0)6 12…`, `+330612…`);
/// - other international: `+` and 8–15 digits (country code first, not 0), or `00` and 10–15
///   digits (shorter `00…` values are taken for order numbers).
///
/// Overseas departments: a national number starting 0590/0690 (Guadeloupe, St-Martin,
/// St-Barthélemy), 0594/0694 (Guyane), 0596/0696 (Martinique), 0262/0692/0693 (Réunion) or
/// 0269/0639 (Mayotte) belongs to the country code +590, +594, +596 or +262, which is how it is
/// dialled from abroad (ITU-T E.164 assignments): `0596 12 34 56` → `+596596123456`. The same
/// number written `+33 596…` is mapped to the same form, so one line never counts as two.
///
/// Contract: `normalized` receives `+` and the digits for `valid`. Anything else is `malformed`
/// (never `invalidKey`: phones carry no check digit): ISO dates (`2026-06-07`), 7+-digit order
/// numbers without a leading 0 or `+`, postal codes, values with letters.
/// Source: ARCEP numbering plan; regulatory.md §6.8; case 020.
public enum PhoneValidator: ValueValidator {
    public static func check(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> ValidationOutcome {
        normalized.removeAll(keepingCapacity: true)
        let r = ValueBytes.trimmed(value)
        if r.count < 8 || r.count > 40 { return .malformed }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits -> ValidationOutcome in
            var n = 0
            var plus = false
            var i = r.lowerBound
            if value[i] == 0x2B { plus = true; i += 1 }
            var sawDigit = false
            while i < r.upperBound {
                let b = value[i]
                if ValueBytes.isDigit(b) {
                    if n == 24 { return .malformed }
                    digits[n] = b - 0x30
                    n += 1
                    sawDigit = true
                    i += 1
                    continue
                }
                // "(0)" trunk prefix after a country code: dropped.
                if b == 0x28, plus || (n >= 2 && digits[0] == 0 && digits[1] == 0),
                   i + 2 < r.upperBound, value[i + 1] == 0x30, value[i + 2] == 0x29, sawDigit {
                    i += 3
                    continue
                }
                if b == 0x2E || b == 0x2D || b == 0x28 || b == 0x29 { i += 1; continue }
                let w = ValueBytes.spaceWidth(value, at: i)
                if w == 0 { return .malformed }
                i += w
            }
            if !ValueBytes.isDigit(value[r.upperBound - 1]) { return .malformed }

            // Split into international (country code + subscriber digits) or national.
            var start = 0
            var international = plus
            if !plus {
                if n >= 2 && digits[0] == 0 && digits[1] == 0 {
                    international = true
                    start = 2
                    if n - start < 10 { return .malformed }
                } else {
                    // National: 0 + [1-9] + 8 digits.
                    guard n == 10, digits[0] == 0, digits[1] != 0 else { return .malformed }
                    return writeFrench(digits, from: 1, into: &normalized)
                }
            }
            precondition(international)
            let count = n - start
            guard count >= 8, count <= 15, digits[start] != 0 else { return .malformed }
            // French numbering plan: +33 (and the overseas codes) followed by 9 digits.
            if let ccLength = frenchPlanCountryCode(digits, from: start, count: count) {
                var sub = start + ccLength
                var subCount = n - sub
                if subCount == 10 && digits[sub] == 0 { sub += 1; subCount -= 1 }
                guard subCount == 9, digits[sub] != 0 else { return .malformed }
                if ccLength == 2 { return writeFrench(digits, from: sub, into: &normalized) }
                normalized.append(0x2B)
                for k in start..<(start + ccLength) { normalized.append(digits[k] + 0x30) }
                for k in sub..<n { normalized.append(digits[k] + 0x30) }
                return .valid
            }
            normalized.append(0x2B)
            for k in start..<n { normalized.append(digits[k] + 0x30) }
            return .valid
        }
    }

    /// Length of the country code when it is 33, 590, 594, 596 or 262 (French numbering plan).
    static func frenchPlanCountryCode(_ d: UnsafeMutableBufferPointer<UInt8>, from s: Int, count: Int) -> Int? {
        if count >= 2 && d[s] == 3 && d[s + 1] == 3 { return 2 }
        guard count >= 3 else { return nil }
        let cc = Int(d[s]) * 100 + Int(d[s + 1]) * 10 + Int(d[s + 2])
        switch cc {
        case 590, 594, 596, 262: return 3
        default: return nil
        }
    }

    /// Writes the E.164 form of the 9 French subscriber digits at `d[from...]` (national number
    /// without its trunk 0), choosing the overseas country code when the prefix is one.
    static func writeFrench(_ d: UnsafeMutableBufferPointer<UInt8>, from s: Int, into out: inout [UInt8]) -> ValidationOutcome {
        let p = Int(d[s]) * 100 + Int(d[s + 1]) * 10 + Int(d[s + 2])
        let cc: (UInt8, UInt8, UInt8)?
        switch p {
        case 590, 690: cc = (5, 9, 0)
        case 594, 694: cc = (5, 9, 4)
        case 596, 696: cc = (5, 9, 6)
        case 262, 692, 693, 269, 639: cc = (2, 6, 2)
        default: cc = nil
        }
        out.append(0x2B)
        if let cc {
            out.append(cc.0 + 0x30); out.append(cc.1 + 0x30); out.append(cc.2 + 0x30)
        } else {
            out.append(0x33); out.append(0x33)
        }
        for k in s..<(s + 9) { out.append(d[k] + 0x30) }
        return .valid
    }
}
