/// A text encoding that ``DecodingByteSource`` reads and turns into UTF-8.
///
/// The raw values are the names reported in `InputDescription.encoding` (WHATWG labels).
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
}

/// The encoding of a text input guessed from its first bytes.
///
/// Order of the decision:
/// 1. a byte-order mark: EF BB BF → UTF-8, FF FE → UTF-16LE, FE FF → UTF-16BE;
/// 2. UTF-16 without a BOM, from the NUL-byte pattern of the first 4 KiB: in text that is
///    mostly Latin, one byte of each 2-byte code unit is 00 (the odd bytes for LE, the even
///    bytes for BE) and the other almost never is (Excel "Unicode Text": case 013). Binary junk
///    has NULs on both sides and is not taken for UTF-16;
/// 3. UTF-8 if the whole sample is valid UTF-8 (an incomplete sequence cut by the end of an
///    incomplete sample is allowed);
/// 4. otherwise Windows-1252 (every byte decodes; the usual French Excel/ERP export).
/// Limits: UTF-16 text in a non-Latin script (few 00 bytes) is not recognised without a BOM;
/// a UTF-8 file whose first MiB holds a single invalid byte is read as Windows-1252.
public struct EncodingDetection: Sendable, Equatable {
    public var encoding: TextEncoding
    /// Length of the byte-order mark at the start of the sample (0, 2 or 3).
    public var bomLength: Int

    public init(encoding: TextEncoding, bomLength: Int) {
        self.encoding = encoding
        self.bomLength = bomLength
    }

    /// Detects the encoding of `sample` (the first bytes of the input; `isComplete` when it
    /// is the whole input).
    public static func detect(_ sample: [UInt8], isComplete: Bool) -> EncodingDetection {
        if let bom = byteOrderMark(sample) { return bom }
        if let utf16 = utf16WithoutBOM(sample) { return EncodingDetection(encoding: utf16, bomLength: 0) }
        let valid = sample.withUnsafeBytes { UTF8Validation.isValid($0, allowIncompleteTail: !isComplete) }
        return EncodingDetection(encoding: valid ? .utf8 : .windows1252, bomLength: 0)
    }

    /// The BOM at the start of `sample`, if any.
    public static func byteOrderMark(_ sample: [UInt8]) -> EncodingDetection? {
        if sample.count >= 3, sample[0] == 0xEF, sample[1] == 0xBB, sample[2] == 0xBF {
            return EncodingDetection(encoding: .utf8, bomLength: 3)
        }
        if sample.count >= 2, sample[0] == 0xFF, sample[1] == 0xFE {
            return EncodingDetection(encoding: .utf16LE, bomLength: 2)
        }
        if sample.count >= 2, sample[0] == 0xFE, sample[1] == 0xFF {
            return EncodingDetection(encoding: .utf16BE, bomLength: 2)
        }
        return nil
    }

    /// UTF-16LE or BE from the positions of 00 bytes in the first 4 KiB, else nil.
    static func utf16WithoutBOM(_ sample: [UInt8]) -> TextEncoding? {
        let units = min(sample.count, 4096) / 2
        guard units >= 2 else { return nil }
        var zeroLow = 0, zeroHigh = 0   // 00 at even offsets, at odd offsets
        for u in 0..<units {
            if sample[2 * u] == 0 { zeroLow += 1 }
            if sample[2 * u + 1] == 0 { zeroHigh += 1 }
        }
        // At least 60 % of the units have one zero byte and at most 10 % the other.
        if zeroHigh * 10 >= units * 6, zeroLow * 10 <= units { return .utf16LE }
        if zeroLow * 10 >= units * 6, zeroHigh * 10 <= units { return .utf16BE }
        return nil
    }
}
