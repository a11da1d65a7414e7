/// Where a scan of UTF-8 bytes stopped.
enum UTF8ScanStop: Equatable {
    /// All input bytes are valid.
    case end
    /// The next character does not fit in the allowed output length.
    case limit
    /// The input ends inside a character that could still be completed by more input.
    case incomplete
    /// An invalid sequence; its maximal valid prefix is `length` bytes (replaced by one U+FFFD).
    case invalid(length: Int)
}

#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif

/// UTF-8 well-formedness checks on raw bytes, per The Unicode Standard §3.9 Table 3-7
/// (no overlongs, no surrogates, nothing above U+10FFFF). ASCII is checked 16 bytes at a time
/// (SSE2 on x86-64), else 8; a two-byte sequence (accented Latin letters) is checked inline.
enum UTF8Validation {
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Length of the valid prefix of `bytes[0..<count]` that is at most `limit` bytes long and
    /// ends on a character boundary, and why the scan stopped there.
    @inline(__always)
    static func scan(_ bytes: UnsafePointer<UInt8>, count: Int, limit: Int) -> (valid: Int, stop: UTF8ScanStop) {
        let cap = min(count, limit)
        var i = 0
        while i < cap {
            #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
            while i + 16 <= cap {
                let bits = _mm_movemask_epi8(UnsafeRawPointer(bytes + i).loadUnaligned(as: __m128i.self))
                if bits != 0 { i += Int(bits.trailingZeroBitCount); break }
                i += 16
            }
            #endif
            while i + 8 <= cap {
                let word = UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self)
                if word & highBits != 0 { break }
                i += 8
            }
            if i >= cap { break }
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            if lead &- 0xC2 < 0x1E, i + 2 <= cap, bytes[i + 1] & 0xC0 == 0x80 {
                // C2–DF then a continuation byte: a whole two-byte character within the limit.
                i += 2
                continue
            }
            var length = 0
            var low: UInt8 = 0x80, high: UInt8 = 0xBF   // range of the second byte
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return (i, .invalid(length: 1))
            }
            var k = 1
            while k < length {
                if i + k >= count { return (i, .incomplete) }
                let b = bytes[i + k]
                let ok = k == 1 ? (b >= low && b <= high) : (b >= 0x80 && b <= 0xBF)
                if !ok { return (i, .invalid(length: k)) }
                k += 1
            }
            if i + length > cap { return (i, .limit) }
            i += length
        }
        return (i, i >= count ? .end : .limit)
    }

    /// Whether `bytes` is valid UTF-8; with `allowIncompleteTail`, a sequence cut by the end
    /// of the buffer counts as valid (the buffer is a prefix of a longer input).
    static func isValid(_ bytes: UnsafeRawBufferPointer, allowIncompleteTail: Bool) -> Bool {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        let (_, stop) = scan(base, count: bytes.count, limit: bytes.count)
        switch stop {
        case .end: return true
        case .incomplete: return allowIncompleteTail
        case .limit, .invalid: return false
        }
    }
}
