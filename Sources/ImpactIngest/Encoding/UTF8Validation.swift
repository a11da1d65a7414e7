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
/// (no overlongs, no surrogates, nothing above U+10FFFF). On x86-64, 64 bytes at a time (SSE2):
/// a block of ASCII and two-byte characters passes on three byte masks (no branch per
/// character: the accented letters of French text had the loop mispredict; perf: 5.2 % ->
/// 4.0 % of the benchmark's samples); any other block with high bytes is checked one
/// character at a time, two- and three-byte characters without leaving the block loop. Near
/// the end of the input, and on other architectures, ASCII is checked 16 (SSE2) or 8 bytes at
/// a time and a two-byte sequence (accented Latin letters) inline; everything else one
/// character at a time.
enum UTF8Validation {
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Length of the valid prefix of `bytes[0..<count]` that is at most `limit` bytes long and
    /// ends on a character boundary, and why the scan stopped there.
    @inline(__always)
    static func scan(_ bytes: UnsafePointer<UInt8>, count: Int, limit: Int) -> (valid: Int, stop: UTF8ScanStop) {
        let cap = min(count, limit)
        var i = 0
        #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
        let lastBlock = cap &- 67
        let continuationLimit = _mm_set1_epi8(-64), leadLow = _mm_set1_epi8(-63), leadHigh = _mm_set1_epi8(-32)
        #endif
        while i < cap {
            #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
            // 64 bytes at a time: the mask of their high bytes (four movemasks), then each
            // character of two bytes (C2–DF 80–BF) or three (E0–EF, minus overlongs and
            // surrogates) in turn, from one 32-bit load at its lead; anything else stops the
            // block at that character, for the code below. A character starting at byte 63 can
            // end at byte 65, and the load reads byte 66: a block needs bytes i...i+66.
            while i <= lastBlock {
                let p = UnsafeRawPointer(bytes + i)
                let v0 = p.loadUnaligned(as: __m128i.self), v1 = p.loadUnaligned(fromByteOffset: 16, as: __m128i.self)
                let v2 = p.loadUnaligned(fromByteOffset: 32, as: __m128i.self), v3 = p.loadUnaligned(fromByteOffset: 48, as: __m128i.self)
                @inline(__always) func mask(_ f: (__m128i) -> __m128i) -> UInt64 {
                    UInt64(truncatingIfNeeded: _mm_movemask_epi8(f(v0))) | UInt64(truncatingIfNeeded: _mm_movemask_epi8(f(v1))) &<< 16
                        | UInt64(truncatingIfNeeded: _mm_movemask_epi8(f(v2))) &<< 32
                        | UInt64(truncatingIfNeeded: _mm_movemask_epi8(f(v3))) &<< 48
                }
                var high = mask { $0 }
                if high == 0 {
                    i &+= 64
                    continue
                }
                // ASCII and two-byte characters only (accented Latin letters, the usual case):
                // checked with two more masks, without a branch per character. Signed bytes:
                // continuations 80–BF are below -64, two-byte leads C2–DF between -63 and -32.
                // The block passes when its high bytes are exactly those, each continuation
                // follows a lead and no lead is the block's last byte (its continuation would
                // be in the next block).
                let continuation = mask { _mm_cmplt_epi8($0, continuationLimit) }
                let lead = mask { _mm_and_si128(_mm_cmpgt_epi8($0, leadLow), _mm_cmplt_epi8($0, leadHigh)) }
                if lead | continuation == high && lead &<< 1 == continuation && lead >> 63 == 0 {
                    i &+= 64
                    continue
                }
                var at = 0
                repeat {
                    at = high.trailingZeroBitCount
                    // Little-endian: the lead is the low byte.
                    let w = p.loadUnaligned(fromByteOffset: at, as: UInt32.self)
                    if (w & 0xC0FF) &- 0x80C2 < 0x1E {
                        // C2–DF then 80–BF.
                        high ^= 3 &<< UInt64(at)   // past bit 63, the shift drops the bits
                    } else if w & 0xC0_C0F0 == 0x80_80E0, w & 0x200F != 0, w & 0x200F != 0x200D {
                        // E0–EF then two of 80–BF: the lead's low bits and bit 5 of the second byte
                        // are 0 only for E0 80–9F (overlong), 0x200D only for ED A0–BF (surrogates).
                        high ^= 7 &<< UInt64(at)
                    } else {
                        break
                    }
                } while high != 0
                if high != 0 {
                    i &+= at
                    break
                }
                // The last character can cross into the next block only from byte 62 or 63.
                i &+= at < 62 ? 64 : at &+ (p.load(fromByteOffset: at, as: UInt8.self) < 0xE0 ? 2 : 3)
            }
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
