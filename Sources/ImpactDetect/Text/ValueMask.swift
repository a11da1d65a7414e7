/// Reduces a value of the leak to its shape, so that a report can show *why* a field was
/// classified (`9 99 99 99 999 999 99` under a NIR column) without showing the value
/// (`impact --keep-masked-examples`; issue 4 §3).
///
/// Behaviour (``mask(_:into:)``), on UTF-8 input, one input character at a time:
/// - letters become `X` (upper or title case) or `x` (lower case, and letters of scripts
///   without case): ASCII and accented letters alike (`É` → `X`, `ç` → `x`, `中` → `x`);
/// - digits and other numbers (`٣`, `²`, `½`, `Ⅻ`) become `9`;
/// - combining marks are dropped (a decomposed `e` + U+0301 masks like `é`: one `x`);
/// - space separators (NBSP, U+2028, U+2029 included) become a space;
/// - control characters (TAB, CR, LF, NUL, C1), private-use and unassigned code points and
///   invalid UTF-8 bytes become `?`; format characters (bidi overrides and isolates, soft
///   hyphen, zero-width space, BOM) are dropped, except ZWJ (U+200D), kept inside emoji;
/// - everything else is kept: ASCII punctuation (`-` `.` `@` `/` `(` `=` …), other punctuation
///   and symbols (`°`, `€`, `’`, emoji), except letters and digits written as symbols
///   (circled `Ⓓ`, squared `🄳` → `X`; parenthesised `⒜`, regional indicators `🇩` → `?`);
/// - at most ``maxCharacters`` characters are written; when more would follow, `…` ends the
///   result. An empty value gives an empty result.
///
/// So `2 85 07 75 123 456 78` → `9 99 99 99 999 999 99`, `jean.dupont@mail.fr` →
/// `xxxx.xxxxxx@xxxx.xx`, `Müller-Lüdenscheidt` → `Xxxxxx-Xxxxxxxxxxxx`.
///
/// Why it leaks nothing useful: every letter and digit — all that names, identifiers, dates,
/// addresses and diagnoses are made of — is replaced; what remains is a length (capped at 32)
/// and the places of spaces and punctuation, a shape that thousands of people share
/// (`Xxxx Xxxxxx` is every 4-letter given name followed by a 6-letter family name). A mask
/// cannot be reversed, is not linked to a record, a controller or another field, and check
/// digits are gone with the digits, so no identifier can be rebuilt from it.
///
/// Contract: pure; no allocation in ``mask(_:into:)`` (the caller owns both buffers). The
/// result is valid UTF-8 without control characters, of at most ``capacity`` bytes. It may
/// still start with `=`, `+`, `-` or `@` (the shape of a formula is kept): renderers
/// neutralise it like every other text of the report (``OutputSafety``, in ImpactReporting).
public enum ValueMask {
    /// Characters written at most before `…`.
    public static let maxCharacters = 32
    /// The largest result in bytes: ``maxCharacters`` characters of up to 4 bytes, then `…`.
    public static let capacity = maxCharacters * 4 + 3

    /// Masks the UTF-8 bytes `value` into `out` (at least ``capacity`` bytes) and returns the
    /// number of bytes written. Bytes of `out` after them are left as they were.
    public static func mask(_ value: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Int {
        precondition(out.count >= capacity, "ValueMask: output smaller than ValueMask.capacity")
        var w = 0
        var written = 0  // characters
        var i = 0
        let n = value.count
        @inline(__always) func put(_ b: UInt8) { out[w] = b; w += 1 }
        while i < n {
            let b = value[i]
            // What this character becomes: one ASCII byte, a kept scalar, or nothing.
            var ascii: UInt8 = 0
            var kept: Unicode.Scalar?
            if b < 0x80 {
                i += 1
                switch b {
                case 0x41...0x5A: ascii = UInt8(ascii: "X")
                case 0x61...0x7A: ascii = UInt8(ascii: "x")
                case 0x30...0x39: ascii = UInt8(ascii: "9")
                case 0..<0x20, 0x7F: ascii = UInt8(ascii: "?")
                default: ascii = b
                }
            } else {
                let (scalar, length) = decode(value, at: i)
                i += length
                if let scalar {
                    switch shape(of: scalar) {
                    case .byte(let c): ascii = c
                    case .kept: kept = scalar
                    case .dropped: continue
                    }
                } else {
                    ascii = UInt8(ascii: "?")
                }
            }
            if written == maxCharacters {
                // A 33rd character: the value is longer than what is shown.
                put(0xE2); put(0x80); put(0xA6)  // …
                return w
            }
            written += 1
            if let kept {
                for u in UTF8.encode(kept)! { put(u) }
            } else {
                put(ascii)
            }
        }
        return w
    }

    /// ``mask(_:into:)`` of a string's UTF-8 (tests, and callers outside a hot path).
    public static func mask(_ value: String) -> String {
        var v = value
        return v.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 1) { out in
                let k = mask(UnsafeRawBufferPointer(utf8), into: out)
                return String(decoding: UnsafeRawBufferPointer(rebasing: out[0..<k]), as: UTF8.self)
            }
        }
    }

    enum Shape { case byte(UInt8), kept, dropped }

    /// The mask of a non-ASCII scalar (see the type's doc).
    static func shape(of u: Unicode.Scalar) -> Shape {
        switch u.properties.generalCategory {
        case .uppercaseLetter, .titlecaseLetter: return .byte(UInt8(ascii: "X"))
        case .lowercaseLetter, .modifierLetter, .otherLetter: return .byte(UInt8(ascii: "x"))
        case .decimalNumber, .letterNumber, .otherNumber: return .byte(UInt8(ascii: "9"))
        case .nonspacingMark, .spacingMark, .enclosingMark: return .dropped
        case .spaceSeparator, .lineSeparator, .paragraphSeparator: return .byte(UInt8(ascii: " "))
        case .control, .surrogate, .privateUse, .unassigned: return .byte(UInt8(ascii: "?"))
        case .format: return u.value == 0x200D ? .kept : .dropped
        case .otherSymbol:
            // Letters and digits written as symbols (circled Ⓓ ⓤ, parenthesised ⒜, squared 🄳,
            // regional indicators 🇩) would spell a name: masked like letters (review).
            if u.properties.isUppercase { return .byte(UInt8(ascii: "X")) }
            if u.properties.isLowercase { return .byte(UInt8(ascii: "x")) }
            if (0x2460...0x24FF).contains(u.value) || (0x1F100...0x1F1FF).contains(u.value) {
                return .byte(UInt8(ascii: "?"))
            }
            return .kept
        default: return .kept
        }
    }

    /// The scalar starting at `value[i]` (a byte ≥ 0x80) and the bytes it takes; nil and 1 for
    /// an invalid sequence (overlong, surrogate, beyond U+10FFFF, truncated, stray
    /// continuation byte), which then masks as one `?` per invalid byte.
    static func decode(_ value: UnsafeRawBufferPointer, at i: Int) -> (Unicode.Scalar?, Int) {
        let b0 = value[i]
        let n = value.count
        @inline(__always) func cont(_ k: Int) -> UInt32? {
            guard i + k < n else { return nil }
            let c = value[i + k]
            return c & 0xC0 == 0x80 ? UInt32(c & 0x3F) : nil
        }
        var v: UInt32, length: Int, minimum: UInt32
        switch b0 {
        case 0xC2...0xDF: v = UInt32(b0 & 0x1F); length = 2; minimum = 0x80
        case 0xE0...0xEF: v = UInt32(b0 & 0x0F); length = 3; minimum = 0x800
        case 0xF0...0xF4: v = UInt32(b0 & 0x07); length = 4; minimum = 0x10000
        default: return (nil, 1)
        }
        for k in 1..<length {
            guard let c = cont(k) else { return (nil, 1) }
            v = v << 6 | c
        }
        guard v >= minimum, let s = Unicode.Scalar(v) else { return (nil, 1) }
        return (s, length)
    }
}
