/// Folds text for matching: lower case, no accents, one space between words.
///
/// Behaviour (``fold(_:into:)``), on UTF-8 input:
/// - ASCII letters are lower-cased, digits kept (a fast path handles ASCII bytes);
/// - precomposed letters of Latin-1 Supplement and Latin Extended-A lose their accents
///   (`é` → `e`, `Ç` → `c`), ligatures and special letters are spelled out (`œ` → `oe`,
///   `æ` → `ae`, `ß` → `ss`, `Œ` → `oe`, `ø` → `o`, `ł` → `l`, `þ` → `th`); `ª º` → `a o`,
///   `¹ ² ³` → digits, `µ` → `u`;
/// - combining marks U+0300–U+036F are dropped, so decomposed accents (`e` + U+0301) fold like
///   precomposed ones;
/// - the Greek letters used in lab names become words (`β-hCG` → `beta hcg`, `γGT` → `gamma gt`):
///   α β γ δ κ λ;
/// - everything else (punctuation, apostrophes `'` `’`, `_`, `°`, NBSP, line breaks, symbols,
///   other scripts, invalid UTF-8 bytes) separates words: each run becomes a single space, with
///   no space at either end.
///
/// Contract: output is only `[a-z0-9 ]` (or `[A-Za-z0-9 ]` when `preservingCase`), never more
/// than 4 bytes per input byte. `out` is overwritten (its capacity reused: no allocation once it
/// is large enough). The same folding is used for lexicon terms, cell text and headers, so a term
/// matches whatever the spelling of accents and punctuation. Source: regulatory.md §7 (matching
/// rules: strip diacritics, lowercase, collapse non-alphanumerics).
public enum TextFold {
    /// Folds `utf8` into `out`, lower-cased.
    @inlinable
    public static func fold(_ utf8: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        fold(utf8, into: &out, preservingCase: false)
    }

    /// Folds `utf8` into `out`; with `preservingCase`, letters keep their case (`É` → `E`), which
    /// lets ``TermLexicon`` check case-sensitive terms (`TTT`, `HSH`) in the same pass.
    public static func fold(_ utf8: UnsafeRawBufferPointer, into out: inout [UInt8], preservingCase: Bool) {
        let need = capacityNeeded(utf8.count)
        if need <= 1024 {
            // Short values (most cells): fold on the stack, then copy the result once.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: need) { tmp in
                let written = foldKernel(utf8, tmp, lower: !preservingCase)
                out.removeAll(keepingCapacity: true)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: tmp[0..<written]))
            }
            return
        }
        if out.count < need { out.append(contentsOf: repeatElement(0, count: need - out.count)) }
        let written = out.withUnsafeMutableBufferPointer { dst -> Int in
            foldKernel(utf8, dst, lower: !preservingCase)
        }
        out.removeSubrange(written..<out.count)
    }

    /// Folds `utf8` into caller-owned memory and returns the folded length: the hot-path form
    /// (no array, no uniqueness check). `out.count` must be at least
    /// ``capacityNeeded(_:)`` of `utf8.count`; the bytes after the returned length are undefined.
    @inlinable
    public static func fold(_ utf8: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>,
                            preservingCase: Bool) -> Int {
        precondition(out.count >= capacityNeeded(utf8.count), "TextFold: output too small")
        return foldKernel(utf8, out, lower: !preservingCase)
    }

    /// Output room ``fold(_:into:preservingCase:)`` needs for `count` input bytes (the worst
    /// expansion: "λ", 2 bytes, folds to " lambda", 7).
    @inlinable
    public static func capacityNeeded(_ count: Int) -> Int { count * 4 + 1 }

    /// Folds a `String` (tests, headers, lexicon loading).
    public static func fold(_ s: String) -> String {
        fold(s, preservingCase: false)
    }

    /// Folds a `String`, optionally keeping the case of letters.
    public static func fold(_ s: String, preservingCase: Bool) -> String {
        var copy = s
        var out: [UInt8] = []
        copy.withUTF8 { fold(UnsafeRawBufferPointer($0), into: &out, preservingCase: preservingCase) }
        return String(decoding: out, as: UTF8.self)
    }

    /// A key for comparing person names: folded, then with the spaces removed, so that
    /// `Jean-Pierre`, `JEAN PIERRE` and `jean pierre` give `jeanpierre`, and `D'Almeida`,
    /// `DALMEIDA` give `dalmeida`. `out` is overwritten.
    public static func nameKey(_ utf8: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        fold(utf8, into: &out, preservingCase: false)
        out.removeAll(where: { $0 == 0x20 })
    }

    /// ``nameKey(_:into:)`` for a `String`.
    public static func nameKey(_ s: String) -> String {
        var copy = s
        var out: [UInt8] = []
        copy.withUTF8 { nameKey(UnsafeRawBufferPointer($0), into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-cases, in place, text folded with `preservingCase: true`, which makes it exactly
    /// the lower-cased fold of the same input (letters keep no other trace of their case), so
    /// one fold can serve both a case-sensitive and a case-insensitive match.
    ///
    /// Contract: `folded` holds only `[A-Za-z0-9 ]` (``foldKernel`` output), where setting bit
    /// 0x20 lower-cases a letter and leaves digits, lower-case letters and spaces as they are.
    @inlinable
    public static func lowerCaseFolded(_ folded: UnsafeMutableBufferPointer<UInt8>) {
        guard let p = folded.baseAddress else { return }
        let n = folded.count
        var i = 0
        while i + 8 <= n {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) | 0x2020_2020_2020_2020
            UnsafeMutableRawPointer(p + i).storeBytes(of: w, as: UInt64.self)
            i += 8
        }
        while i < n { p[i] |= 0x20; i += 1 }
    }

    /// Whether `utf8` may contain a letter: an ASCII letter or any non-ASCII byte. A cell for
    /// which this is false (digits, punctuation) cannot match any lexicon term.
    @inlinable
    public static func mayContainLetter(_ utf8: UnsafeRawBufferPointer) -> Bool {
        for b in utf8 where b >= 0x80 || (b | 0x20) &- 0x61 < 26 { return true }
        return false
    }

    /// Writes the folded form of `src` into `dst` (capacity ≥ 4 × count + 1); returns the length.
    @usableFromInline
    static func foldKernel(_ src: UnsafeRawBufferPointer, _ dst: UnsafeMutableBufferPointer<UInt8>, lower: Bool) -> Int {
        var o = 0
        var pendingSpace = false
        let n = src.count
        var i = 0
        @inline(__always) func emit(_ c: UInt8) {
            if pendingSpace {
                if o > 0 { dst[o] = 0x20; o += 1 }
                pendingSpace = false
            }
            dst[o] = lower && c &- 0x41 < 26 ? c | 0x20 : c
            o += 1
        }
        while i < n {
            var b = src[i]
            if b < 0x80 {
                // ASCII fast path: a run of letters and digits is copied in one tight loop.
                guard (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 else {
                    pendingSpace = true
                    i += 1
                    continue
                }
                if pendingSpace {
                    if o > 0 { dst[o] = 0x20; o += 1 }
                    pendingSpace = false
                }
                repeat {
                    dst[o] = lower && b &- 0x41 < 26 ? b | 0x20 : b
                    o += 1
                    i += 1
                    if i == n { break }
                    b = src[i]
                } while (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10
                continue
            }
            // Multi-byte sequence: decode the code point.
            var cp: UInt32 = 0
            var len = 0
            if b & 0xE0 == 0xC0 { cp = UInt32(b & 0x1F); len = 2 }
            else if b & 0xF0 == 0xE0 { cp = UInt32(b & 0x0F); len = 3 }
            else if b & 0xF8 == 0xF0 { cp = UInt32(b & 0x07); len = 4 }
            if len == 0 || i + len > n { pendingSpace = true; i += 1; continue }
            var ok = true
            for k in 1..<len {
                let c = src[i + k]
                if c & 0xC0 != 0x80 { ok = false; break }
                cp = cp << 6 | UInt32(c & 0x3F)
            }
            if !ok { pendingSpace = true; i += 1; continue }
            i += len
            if cp >= 0xA0 && cp < 0x180 {
                let m = latinTable[Int(cp - 0xA0)]
                if m == 0 { pendingSpace = true; continue }
                emit(UInt8(truncatingIfNeeded: m))
                let second = UInt8(truncatingIfNeeded: m >> 8)
                if second != 0 { emit(second) }
                continue
            }
            if cp >= 0x300 && cp < 0x370 { continue }  // combining marks: dropped
            if let word = greekWord(cp) {
                pendingSpace = true
                word.withUTF8Buffer { for c in $0 { emit(c) } }
                pendingSpace = true
                continue
            }
            pendingSpace = true
        }
        return o
    }

    /// The Greek letters that appear in lab test names, spelled out.
    @usableFromInline
    static func greekWord(_ cp: UInt32) -> StaticString? {
        switch cp {
        case 0x3B1, 0x391: return "alpha"
        case 0x3B2, 0x392, 0x3D0: return "beta"
        case 0x3B3, 0x393: return "gamma"
        case 0x3B4, 0x394: return "delta"
        case 0x3BA, 0x39A: return "kappa"
        case 0x3BB, 0x39B: return "lambda"
        default: return nil
        }
    }

    /// U+00A0–U+017F → up to two ASCII letters (low byte first, case kept); 0 = separator.
    @usableFromInline
    static let latinTable: [UInt16] = [
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,  // U+00A0 ········
        0x0000, 0x0000, 0x0061, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,  // U+00A8 ··ª·····
        0x0000, 0x0000, 0x0032, 0x0033, 0x0000, 0x0075, 0x0000, 0x0000,  // U+00B0 ·····µ··
        0x0000, 0x0031, 0x006F, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,  // U+00B8 ··º·····
        0x0041, 0x0041, 0x0041, 0x0041, 0x0041, 0x0041, 0x4541, 0x0043,  // U+00C0 ÀÁÂÃÄÅÆÇ
        0x0045, 0x0045, 0x0045, 0x0045, 0x0049, 0x0049, 0x0049, 0x0049,  // U+00C8 ÈÉÊËÌÍÎÏ
        0x0044, 0x004E, 0x004F, 0x004F, 0x004F, 0x004F, 0x004F, 0x0000,  // U+00D0 ÐÑÒÓÔÕÖ·
        0x004F, 0x0055, 0x0055, 0x0055, 0x0055, 0x0059, 0x4854, 0x7373,  // U+00D8 ØÙÚÛÜÝÞß
        0x0061, 0x0061, 0x0061, 0x0061, 0x0061, 0x0061, 0x6561, 0x0063,  // U+00E0 àáâãäåæç
        0x0065, 0x0065, 0x0065, 0x0065, 0x0069, 0x0069, 0x0069, 0x0069,  // U+00E8 èéêëìíîï
        0x0064, 0x006E, 0x006F, 0x006F, 0x006F, 0x006F, 0x006F, 0x0000,  // U+00F0 ðñòóôõö·
        0x006F, 0x0075, 0x0075, 0x0075, 0x0075, 0x0079, 0x6874, 0x0079,  // U+00F8 øùúûüýþÿ
        0x0041, 0x0061, 0x0041, 0x0061, 0x0041, 0x0061, 0x0043, 0x0063,  // U+0100 ĀāĂăĄąĆć
        0x0043, 0x0063, 0x0043, 0x0063, 0x0043, 0x0063, 0x0044, 0x0064,  // U+0108 ĈĉĊċČčĎď
        0x0044, 0x0064, 0x0045, 0x0065, 0x0045, 0x0065, 0x0045, 0x0065,  // U+0110 ĐđĒēĔĕĖė
        0x0045, 0x0065, 0x0045, 0x0065, 0x0047, 0x0067, 0x0047, 0x0067,  // U+0118 ĘęĚěĜĝĞğ
        0x0047, 0x0067, 0x0047, 0x0067, 0x0048, 0x0068, 0x0048, 0x0068,  // U+0120 ĠġĢģĤĥĦħ
        0x0049, 0x0069, 0x0049, 0x0069, 0x0049, 0x0069, 0x0049, 0x0069,  // U+0128 ĨĩĪīĬĭĮį
        0x0049, 0x0069, 0x4A49, 0x6A69, 0x004A, 0x006A, 0x004B, 0x006B,  // U+0130 İıĲĳĴĵĶķ
        0x006B, 0x004C, 0x006C, 0x004C, 0x006C, 0x004C, 0x006C, 0x004C,  // U+0138 ĸĹĺĻļĽľĿ
        0x006C, 0x004C, 0x006C, 0x004E, 0x006E, 0x004E, 0x006E, 0x004E,  // U+0140 ŀŁłŃńŅņŇ
        0x006E, 0x006E, 0x004E, 0x006E, 0x004F, 0x006F, 0x004F, 0x006F,  // U+0148 ňŉŊŋŌōŎŏ
        0x004F, 0x006F, 0x454F, 0x656F, 0x0052, 0x0072, 0x0052, 0x0072,  // U+0150 ŐőŒœŔŕŖŗ
        0x0052, 0x0072, 0x0053, 0x0073, 0x0053, 0x0073, 0x0053, 0x0073,  // U+0158 ŘřŚśŜŝŞş
        0x0053, 0x0073, 0x0054, 0x0074, 0x0054, 0x0074, 0x0054, 0x0074,  // U+0160 ŠšŢţŤťŦŧ
        0x0055, 0x0075, 0x0055, 0x0075, 0x0055, 0x0075, 0x0055, 0x0075,  // U+0168 ŨũŪūŬŭŮů
        0x0055, 0x0075, 0x0055, 0x0075, 0x0057, 0x0077, 0x0059, 0x0079,  // U+0170 ŰűŲųŴŵŶŷ
        0x0059, 0x005A, 0x007A, 0x005A, 0x007A, 0x005A, 0x007A, 0x0073,  // U+0178 ŸŹźŻżŽžſ
    ]
}
