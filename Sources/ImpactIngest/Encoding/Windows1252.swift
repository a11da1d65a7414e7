/// The Windows-1252 (cp1252) code page as UTF-8, one table entry per byte.
///
/// 0x00–0x7F are ASCII and 0xA0–0xFF are the same-numbered Latin-1 code points; 0x80–0x9F
/// hold the typographic characters of cp1252 (0x80 €, 0x92 ’, 0x9C œ, …) per Microsoft's
/// bestfit1252 table. The five bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
/// map to the same-numbered C1 control code points U+0081 … U+009D, as the WHATWG Encoding
/// Standard's windows-1252 decoder does: decoding is lossless and never fails, and such a byte
/// is not counted as invalid.
enum Windows1252 {
    /// Code points of bytes 0x80–0x9F.
    static let highControls: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The Unicode code point of byte `b`.
    static func codePoint(_ b: UInt8) -> UInt32 {
        (0x80...0x9F).contains(b) ? highControls[Int(b) - 0x80] : UInt32(b)
    }

    /// Per byte: UTF-8 bytes in the low 24 bits (first byte lowest), length in the top 8 bits.
    static let utf8Table: [UInt32] = (0..<256).map { encodeUTF8(codePoint(UInt8($0))) }

    /// `cp` as packed UTF-8 (1 to 3 bytes; cp1252 has nothing above U+FFFF).
    static func encodeUTF8(_ cp: UInt32) -> UInt32 {
        if cp < 0x80 { return 1 << 24 | cp }
        if cp < 0x800 {
            return 2 << 24 | (0x80 | cp & 0x3F) << 8 | (0xC0 | cp >> 6)
        }
        return 3 << 24 | (0x80 | cp & 0x3F) << 16 | (0x80 | (cp >> 6) & 0x3F) << 8 | (0xE0 | cp >> 12)
    }
}
