/// Eight ASCII characters loaded as one little-endian 64-bit word (the first character in the
/// low byte): whether all are decimal digits, and the number they write. SWAR ("SIMD within a
/// register") arithmetic, a few instructions instead of a loop over the characters; used by the
/// validators' compact fast paths (``NIRValidator/checkCompact(_:)``).
enum DecimalWord {
    /// Whether the eight bytes of `w` are all in `0`…`9` (0x30…0x39): every high nibble is 3,
    /// and adding 6 to each byte (no carry between bytes once the high nibbles are 3) keeps it 3.
    @inline(__always)
    static func isEightDigits(_ w: UInt64) -> Bool {
        let highNibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0, threes: UInt64 = 0x3030_3030_3030_3030
        return w & highNibbles == threes && (w &+ 0x0606_0606_0606_0606) & highNibbles == threes
    }

    /// The number written by the eight digits of `w` (first character most significant):
    /// 0…99,999,999. Pairs, then quadruples, then the eight are combined by three multiplies.
    /// Requires ``isEightDigits(_:)``.
    @inline(__always)
    static func value(ofEightDigits w: UInt64) -> UInt64 {
        var v = w & 0x0F0F_0F0F_0F0F_0F0F
        v = (v &* (10 << 8 + 1)) >> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* (100 << 16 + 1)) >> 16
        v = ((v & 0x0000_FFFF_0000_FFFF) &* (10_000 << 32 + 1)) >> 32
        return v
    }
}
