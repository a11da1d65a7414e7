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
/// 4. UTF-8 too when the sample holds valid multi-byte UTF-8 characters and at least
///    ``utf8CharactersPerInvalidSequence`` of them per invalid sequence: a UTF-8 export with a
///    stray Windows-1252 byte (a hand-edited cell) stays UTF-8, its few invalid sequences become
///    U+FFFD and are reported, instead of every accented letter of the file turning into
///    mojibake (`Ã©`) that no lexicon or name key would match. Windows-1252 French text almost
///    never forms valid multi-byte UTF-8 (`é` is E9, a three-byte lead, followed by ASCII);
/// 5. otherwise Windows-1252 (every byte decodes; the usual French Excel/ERP export).
/// Limits: UTF-16 text in a non-Latin script (few 00 bytes) is not recognised without a BOM.
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
        if valid { return EncodingDetection(encoding: .utf8, bomLength: 0) }
        let (characters, invalid) = multiByteCharactersAndInvalidSequences(sample, isComplete: isComplete)
        let mostlyUTF8 = characters >= utf8CharactersPerInvalidSequence * invalid
        return EncodingDetection(encoding: mostlyUTF8 ? .utf8 : .windows1252, bomLength: 0)
    }

    /// Valid multi-byte UTF-8 characters a sample must hold per invalid sequence to be read as
    /// UTF-8 although it is not entirely valid (rule 4 of the type's doc).
    public static let utf8CharactersPerInvalidSequence = 16

    /// Counts the valid multi-byte UTF-8 characters and the invalid sequences (maximal invalid
    /// subparts, Unicode §3.9) of `sample`; a sequence cut by the end of the sample is invalid
    /// when the sample is the whole input (`isComplete`), else counts as neither.
    static func multiByteCharactersAndInvalidSequences(_ sample: [UInt8], isComplete: Bool) -> (characters: Int, invalid: Int) {
        sample.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return (0, 0) }
            var characters = 0, invalid = 0
            var i = 0
            while i < b.count {
                let lead = base[i]
                if lead < 0x80 { i += 1; continue }
                let length = lead >= 0xF0 ? 4 : (lead >= 0xE0 ? 3 : 2)
                let (valid, stop) = UTF8Validation.scan(base + i, count: b.count - i, limit: length)
                if valid > 0 {
                    characters += 1
                    i += valid
                    continue
                }
                switch stop {
                case .invalid(let length):
                    invalid += 1
                    i += max(length, 1)
                default:
                    if isComplete { invalid += 1 }
                    i = b.count
                }
            }
            return (characters, invalid)
        }
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
