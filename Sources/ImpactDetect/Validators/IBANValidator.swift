/// Validates an IBAN (ISO 13616), any country.
///
/// Behaviour: after trimming, spaces, NBSP and dashes between characters are removed and letters
/// upper-cased. The result is a 2-letter country code, 2 check digits and an alphanumeric BBAN,
/// 15–34 characters in all; for the countries of the IBAN registry listed in
/// ``registryLength(_:_:)`` (FR: 27) the length must match exactly. Check: move the first 4
/// characters to the end, map A=10 … Z=35, and the number mod 97 must be 1.
///
/// Contract: `normalized` receives the compact upper-case IBAN for `valid` and `invalidKey`.
/// Source: ISO 13616-1; regulatory.md §6.9 (worked example `FR76 3000 6000 0112 3456 7890 189`).
public enum IBANValidator: ValueValidator {
    public static func check(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> ValidationOutcome {
        normalized.removeAll(keepingCapacity: true)
        let r = ValueBytes.trimmed(value)
        if r.count < 15 || r.count > 70 { return .malformed }
        guard ValueBytes.compact(value, r, into: &normalized, allowDots: false, allowDashes: true) else {
            normalized.removeAll(keepingCapacity: true)
            return .malformed
        }
        let n = normalized.count
        guard n >= 15, n <= 34,
              ValueBytes.isUpper(normalized[0]), ValueBytes.isUpper(normalized[1]),
              ValueBytes.isDigit(normalized[2]), ValueBytes.isDigit(normalized[3]) else {
            normalized.removeAll(keepingCapacity: true)
            return .malformed
        }
        if let expected = registryLength(normalized[0], normalized[1]), expected != n {
            normalized.removeAll(keepingCapacity: true)
            return .malformed
        }
        // mod 97 over BBAN + country + check digits, letters as two digits.
        var rem = 0
        for k in 0..<n {
            let b = normalized[(k + 4) % n]
            if ValueBytes.isDigit(b) {
                rem = (rem * 10 + Int(b - 0x30)) % 97
            } else {
                rem = (rem * 100 + Int(b - 0x41 + 10)) % 97
            }
        }
        return rem == 1 ? .valid : .invalidKey
    }

    /// The IBAN length the registry fixes for a country (letters as ASCII upper case), or nil for
    /// a country not listed here (then only 15–34 is required).
    static func registryLength(_ a: UInt8, _ b: UInt8) -> Int? {
        switch UInt16(a) << 8 | UInt16(b) {
        case 0x4E4F /* NO */:
            return 15
        case 0x4245 /* BE */:
            return 16
        case 0x444B /* DK */, 0x4649 /* FI */, 0x464F /* FO */, 0x474C /* GL */, 0x4E4C /* NL */:
            return 18
        case 0x4D4B /* MK */, 0x5349 /* SI */:
            return 19
        case 0x4154 /* AT */, 0x4241 /* BA */, 0x4545 /* EE */, 0x4B5A /* KZ */, 0x4C54 /* LT */, 0x4C55 /* LU */, 0x584B /* XK */:
            return 20
        case 0x4348 /* CH */, 0x4852 /* HR */, 0x4C49 /* LI */, 0x4C56 /* LV */:
            return 21
        case 0x4247 /* BG */, 0x4248 /* BH */, 0x4352 /* CR */, 0x4445 /* DE */, 0x4742 /* GB */, 0x4745 /* GE */, 0x4945 /* IE */, 0x4D45 /* ME */, 0x5253 /* RS */, 0x5641 /* VA */:
            return 22
        case 0x4145 /* AE */, 0x4749 /* GI */, 0x494C /* IL */, 0x4951 /* IQ */, 0x544C /* TL */:
            return 23
        case 0x4144 /* AD */, 0x435A /* CZ */, 0x4553 /* ES */, 0x4D44 /* MD */, 0x504B /* PK */, 0x524F /* RO */, 0x5341 /* SA */, 0x5345 /* SE */, 0x534B /* SK */, 0x544E /* TN */, 0x5647 /* VG */:
            return 24
        case 0x5054 /* PT */, 0x5354 /* ST */:
            return 25
        case 0x4953 /* IS */, 0x5452 /* TR */:
            return 26
        case 0x4652 /* FR */, 0x4752 /* GR */, 0x4954 /* IT */, 0x4D43 /* MC */, 0x4D52 /* MR */, 0x534D /* SM */:
            return 27
        case 0x414C /* AL */, 0x415A /* AZ */, 0x4259 /* BY */, 0x4359 /* CY */, 0x444F /* DO */, 0x4754 /* GT */, 0x4855 /* HU */, 0x4C42 /* LB */, 0x504C /* PL */, 0x5356 /* SV */:
            return 28
        case 0x4252 /* BR */, 0x4547 /* EG */, 0x5053 /* PS */, 0x5141 /* QA */, 0x5541 /* UA */:
            return 29
        case 0x4A4F /* JO */, 0x4B57 /* KW */, 0x4D55 /* MU */:
            return 30
        case 0x4D54 /* MT */, 0x5343 /* SC */:
            return 31
        case 0x4C43 /* LC */:
            return 32
        default:
            return nil
        }
    }
}
