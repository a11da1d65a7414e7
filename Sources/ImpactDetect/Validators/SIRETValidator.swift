/// Validates a SIRET (French establishment number: SIREN + 5-digit NIC).
///
/// Behaviour: after trimming, 14 ASCII digits (spaces and NBSP allowed between them) passing
/// Luhn over all 14. La Poste exception: a SIRET starting with `356000000` other than the head
/// office `35600000000048` does not satisfy Luhn; for those the sum of the digits must be a
/// multiple of 5.
///
/// Contract: `normalized` receives the 14 digits for `valid` and `invalidKey`.
/// Source: regulatory.md §6.7 [C]; python-stdnum `fr.siret`.
public enum SIRETValidator: ValueValidator {
    public static func check(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> ValidationOutcome {
        guard CompanyNumber.digits(value, count: 14, into: &normalized) else { return .malformed }
        if isLaPosteEstablishment(normalized) {
            let sum = normalized.reduce(0) { $0 + Int($1 - 0x30) }
            return sum % 5 == 0 ? .valid : .invalidKey
        }
        return LuhnCheck.isValid(normalized) ? .valid : .invalidKey
    }

    /// `356000000…` but not the head office `35600000000048`.
    static func isLaPosteEstablishment(_ d: [UInt8]) -> Bool {
        // 3 5 6 0 0 0 0 0 0
        guard d[0] == 0x33, d[1] == 0x35, d[2] == 0x36 else { return false }
        for i in 3..<9 where d[i] != 0x30 { return false }
        // head office 35600000000048
        let headOffice = d[9] == 0x30 && d[10] == 0x30 && d[11] == 0x30 && d[12] == 0x34 && d[13] == 0x38
        return !headOffice
    }
}
