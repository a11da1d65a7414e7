/// Validates a French postal code.
///
/// Behaviour: after trimming, exactly 5 ASCII digits in 01000–98999 (metropolitan departments
/// 01–95 incl. Corsica 20xxx, overseas 97xxx, Monaco and TOM 98xxx). A 4-digit value (a leading
/// zero lost to a spreadsheet) is `malformed`: it cannot be told from any other number.
///
/// Contract: `normalized` receives the 5 digits with the leading zero kept (`01000`, case 020).
/// Never `invalidKey`. Source: La Poste; regulatory.md §7.1 (CP, CODE_POSTAL).
public enum PostalCodeValidator: ValueValidator {
    public static func check(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> ValidationOutcome {
        normalized.removeAll(keepingCapacity: true)
        let r = ValueBytes.trimmed(value)
        guard r.count == 5 else { return .malformed }
        var n = 0
        for i in r {
            let b = value[i]
            guard ValueBytes.isDigit(b) else { return .malformed }
            n = n * 10 + Int(b - 0x30)
        }
        guard n >= 1000, n <= 98999 else { return .malformed }
        for i in r { normalized.append(value[i]) }
        return .valid
    }
}
