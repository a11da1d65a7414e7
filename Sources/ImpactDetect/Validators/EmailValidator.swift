/// Validates an e-mail address (a pragmatic subset of RFC 5322 `addr-spec`).
///
/// Behaviour: after trimming, `local@domain` with exactly one `@`:
/// - local part: 1–64 bytes of `atext` (`A–Z a–z 0–9 ! # $ % & ' * + / = ? ^ _ \` { | } ~ -`),
///   dots between atoms (no leading, trailing or doubled dot), and UTF-8 bytes ≥ 0x80 (RFC 6531);
///   no quoted local parts, comments or IP-literal domains;
/// - domain: at least two dot-separated labels of letters, digits and inner hyphens (1–63 bytes
///   each), the last (TLD) at least 2 letters, or an IDNA `xn--` label; 253 bytes at most.
///
/// Contract: `normalized` receives the address lower-cased (ASCII letters; identity matching
/// treats `Alice.Dupuis@Exemple.fr` and `alice.dupuis@exemple.fr` as one address, case 020).
/// Never `invalidKey` (there is no check digit). Source: RFC 5322 §3.4.1, RFC 5321 §4.5.3.1.
public enum EmailValidator: ValueValidator {
    public static func check(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> ValidationOutcome {
        normalized.removeAll(keepingCapacity: true)
        let r = ValueBytes.trimmed(value)
        if r.count < 6 || r.count > 254 { return .malformed }
        var at = -1
        for i in r where value[i] == 0x40 {
            if at >= 0 { return .malformed }
            at = i
        }
        guard at > r.lowerBound, at - r.lowerBound <= 64, at + 1 < r.upperBound else { return .malformed }
        guard localPartOK(value, r.lowerBound..<at), domainOK(value, (at + 1)..<r.upperBound) else {
            return .malformed
        }
        normalized.reserveCapacity(r.count)
        for i in r { normalized.append(ValueBytes.lower(value[i])) }
        return .valid
    }

    static func localPartOK(_ v: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        var previousDot = true  // no leading dot
        for i in r {
            let b = v[i]
            if b == 0x2E {
                if previousDot { return false }
                previousDot = true
                continue
            }
            previousDot = false
            if b >= 0x80 { continue }
            if ValueBytes.isDigit(b) || ValueBytes.isUpper(b) || ValueBytes.isLower(b) { continue }
            switch b {
            case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2F, 0x3D, 0x3F,
                 0x5E, 0x5F, 0x60, 0x7B, 0x7C, 0x7D, 0x7E:
                continue
            default:
                return false
            }
        }
        return !previousDot  // no trailing dot
    }

    static func domainOK(_ v: UnsafeRawBufferPointer, _ r: Range<Int>) -> Bool {
        if r.count > 253 { return false }
        var labels = 0
        var labelStart = r.lowerBound
        var i = r.lowerBound
        while i <= r.upperBound {
            if i == r.upperBound || v[i] == 0x2E {
                let len = i - labelStart
                if len < 1 || len > 63 { return false }
                if v[labelStart] == 0x2D || v[i - 1] == 0x2D { return false }
                labels += 1
                if i == r.upperBound {
                    // TLD: letters only (≥ 2), or an IDNA label.
                    let idna = len > 4 && ValueBytes.lower(v[labelStart]) == 0x78
                        && ValueBytes.lower(v[labelStart + 1]) == 0x6E
                        && v[labelStart + 2] == 0x2D && v[labelStart + 3] == 0x2D
                    if !idna {
                        if len < 2 { return false }
                        for j in labelStart..<i {
                            let b = v[j]
                            if !(ValueBytes.isUpper(b) || ValueBytes.isLower(b)) { return false }
                        }
                    }
                }
                labelStart = i + 1
            } else {
                let b = v[i]
                if !(ValueBytes.isDigit(b) || ValueBytes.isUpper(b) || ValueBytes.isLower(b) || b == 0x2D) {
                    return false
                }
            }
            i += 1
        }
        return labels >= 2
    }
}
