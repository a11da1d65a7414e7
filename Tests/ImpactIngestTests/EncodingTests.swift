import Testing
@testable import ImpactIngest
import ImpactTestSupport

/// Decodes `data` through a `DecodingByteSource` fed `chunks`-sized reads, read `readSize` at a time.
private func decode(_ data: [UInt8], forced: TextEncoding? = nil, chunks: [Int] = [], readSize: Int = 4096)
    throws -> (text: String, utf8: [UInt8], source: DecodingByteSource) {
    let source = try DecodingByteSource(PeekableSource(MemoryByteSource(data, chunkSizes: chunks)), forced: forced)
    let out = try readAll(source, readSize: readSize)
    return (String(decoding: out, as: UTF8.self), out, source)
}

private func utf16(_ text: String, littleEndian: Bool, bom: Bool) -> [UInt8] {
    var out: [UInt8] = []
    for unit in ((bom ? "\u{FEFF}" : "") + text).utf16 {
        let lo = UInt8(unit & 0xFF), hi = UInt8(unit >> 8)
        out += littleEndian ? [lo, hi] : [hi, lo]
    }
    return out
}

/// Splits of the raw input and sizes of the output reads that cut characters everywhere.
private let splits: [(chunks: [Int], readSize: Int)] = [([], 4096), ([1], 4096), ([1], 1), ([3, 1, 2], 2), ([5], 3), ([7, 2], 5)]

// MARK: - Windows-1252

@Test func windows1252HighRangeFollowsTheCp1252Table() throws {
    // 0x80…0x9F as typed from the cp1252 code chart; undefined 81 8D 8F 90 9D → same C1 code point.
    let expected = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ"
    let decoded = try decode(Array(0x80...0x9F), forced: .windows1252)
    #expect(decoded.text == expected)
    #expect(decoded.source.invalidSequences == 0)
}

@Test(arguments: [
    (0x80, "€"), (0x92, "’"), (0x9C, "œ"), (0x8C, "Œ"), (0x96, "–"), (0x85, "…"), (0x9F, "Ÿ"),
    (0xA0, "\u{A0}"), (0xB0, "°"), (0xC9, "É"), (0xE9, "é"), (0xE7, "ç"), (0xFF, "ÿ"), (0x41, "A"), (0x81, "\u{81}"),
] as [(Int, String)])
func windows1252SpotChecks(_ byte: Int, _ character: String) throws {
    #expect(try decode([UInt8(byte)], forced: .windows1252).text == character)
}

@Test func windows1252LatinRangeIsLatin1() throws {
    let decoded = try decode(Array(0xA0...0xFF), forced: .windows1252)
    #expect(decoded.text.unicodeScalars.map(\.value) == Array(0xA0...0xFF))
}

@Test func windows1252IsDetectedWhenTheSampleIsNotUTF8() throws {
    // "Prénom;Cœur 30 €\r\n" in cp1252
    var data = bytes("Pr")
    data.append(0xE9)
    data += bytes("nom;C")
    data.append(0x9C)
    data += bytes("ur 30 ")
    data.append(0x80)
    data += bytes("\r\n")
    for split in splits {
        let decoded = try decode(data, chunks: split.chunks, readSize: split.readSize)
        #expect(decoded.source.encoding == .windows1252)
        #expect(decoded.text == "Prénom;Cœur 30 €\r\n")
    }
}

// MARK: - UTF-16

@Test(arguments: [true, false])
func utf16WithAndWithoutBOM(_ littleEndian: Bool) throws {
    let text = "Nom\tPrénom\tN° Sécurité sociale\r\nÉlodie\t😀 ok\t€\r\n"
    for bom in [true, false] {
        for split in splits {
            let decoded = try decode(utf16(text, littleEndian: littleEndian, bom: bom), chunks: split.chunks, readSize: split.readSize)
            #expect(decoded.source.encoding == (littleEndian ? .utf16LE : .utf16BE))
            #expect(decoded.source.hadBOM == bom)
            #expect(decoded.text == text, "bom \(bom) chunks \(split.chunks) read \(split.readSize)")
            #expect(decoded.source.invalidSequences == 0)
        }
    }
}

@Test func utf16LoneSurrogatesAndOddTailAreReplaced() throws {
    // A, lone high surrogate, B, lone low surrogate, then half a code unit.
    let data: [UInt8] = [0x41, 0x00, 0x3D, 0xD8, 0x42, 0x00, 0x00, 0xDC, 0x43]
    let decoded = try decode(data, forced: .utf16LE)
    #expect(decoded.text == "A\u{FFFD}B\u{FFFD}\u{FFFD}")
    #expect(decoded.source.invalidSequences == 3)
    #expect(decoded.source.firstInvalidOffset == 1)
}

@Test func utf16IsNotGuessedForASingleNULOrForBinaryJunk() {
    // cases/010-nul-byte-in-field: one NUL in UTF-8 text is not UTF-16.
    #expect(EncodingDetection.detect(bytes("id,nom\n1,Ga\u{0}rnier\n"), isComplete: true).encoding == .utf8)
    // Binary junk: a NUL every third byte, so on both sides of the code units.
    var junk: [UInt8] = []
    for i in 0..<512 { junk.append(i % 3 == 0 ? 0 : UInt8(truncatingIfNeeded: i &* 31 | 1)) }
    #expect(EncodingDetection.utf16WithoutBOM(junk) == nil)
    #expect(EncodingDetection.utf16WithoutBOM(utf16("a;b\r\n", littleEndian: true, bom: false)) == .utf16LE)
    #expect(EncodingDetection.utf16WithoutBOM(utf16("a;b\r\n", littleEndian: false, bom: false)) == .utf16BE)
}

// MARK: - UTF-8

@Test func utf8SplitAcrossReadBoundariesPassesThrough() throws {
    let text = "Nom;Prénom;Ville\nL’Hôte;Benoît;Besançon 😀\nŒuvre;ʤ;€\n"
    for split in splits {
        let decoded = try decode(bytes(text), chunks: split.chunks, readSize: split.readSize)
        #expect(decoded.source.encoding == .utf8)
        #expect(decoded.text == text, "chunks \(split.chunks) read \(split.readSize)")
        #expect(decoded.source.invalidSequences == 0)
    }
}

@Test func utf8BOMIsStripped() throws {
    let decoded = try decode([0xEF, 0xBB, 0xBF] + bytes("\"Nom\";x\n"))
    #expect(decoded.source.encoding == .utf8)
    #expect(decoded.source.hadBOM)
    #expect(decoded.utf8 == bytes("\"Nom\";x\n"))
}

@Test func forcedEncodingKeepsAForeignBOMAsText() throws {
    let decoded = try decode([0xEF, 0xBB, 0xBF, 0x41], forced: .windows1252)
    #expect(!decoded.source.hadBOM)
    #expect(decoded.text == "ï»¿A")
}

@Test func invalidUTF8IsReplacedPerMaximalSubpartAndCounted() throws {
    // FF; E0 80 (E0 needs A0…BF); ED A0 80 (a surrogate); F0 9F 98 cut by the end.
    let data: [UInt8] = [0x61, 0xFF, 0x62, 0xE0, 0x80, 0x63, 0xED, 0xA0, 0x80, 0x64, 0xF0, 0x9F, 0x98]
    for split in splits {
        let decoded = try decode(data, forced: .utf8, chunks: split.chunks, readSize: split.readSize)
        #expect(decoded.text == "a\u{FFFD}b\u{FFFD}\u{FFFD}c\u{FFFD}\u{FFFD}\u{FFFD}d\u{FFFD}")
        #expect(decoded.text == String(decoding: data, as: UTF8.self))   // the standard library agrees
        #expect(decoded.source.invalidSequences == 7)
        #expect(decoded.source.firstInvalidOffset == 1)
    }
}

@Test func invalidUTF8AfterTheSniffedMegabyteIsReplacedNotRedetected() throws {
    let data = [UInt8](repeating: UInt8(ascii: "a"), count: DecodingByteSource.sniffLength) + [0xE9] + bytes("\n")
    let decoded = try decode(data)
    #expect(decoded.source.encoding == .utf8)
    #expect(decoded.source.invalidSequences == 1)
    #expect(decoded.source.firstInvalidOffset == DecodingByteSource.sniffLength)
    #expect(decoded.utf8.suffix(4) == [0xEF, 0xBF, 0xBD, 0x0A])
}

/// A UTF-8 export with one stray Windows-1252 byte (a hand-edited cell) was read entirely as
/// Windows-1252: every accented letter became mojibake ("Ã©"), breaking lexicon matches and
/// name keys. It stays UTF-8 now, and the stray byte is one reported U+FFFD.
@Test func aStrayInvalidByteInAccentedUTF8TextKeepsUTF8() throws {
    var data = bytes("nom;prenom;commentaire\n")
    for _ in 0..<20 { data += bytes("Lévêque;Théo;résultat contrôlé\n") }
    data += [0x4C, 0xE9, 0x6F, 0x0A]   // "Léo" in Windows-1252
    #expect(EncodingDetection.detect(data, isComplete: true).encoding == .utf8)
    let decoded = try decode(data)
    #expect(decoded.source.invalidSequences == 1)
    #expect(decoded.text.hasSuffix("L\u{FFFD}o\n"))
    #expect(decoded.text.contains("Lévêque;Théo;résultat contrôlé"))
}

@Test(arguments: [
    // (sample, expected): the ratio rule of EncodingDetection (16 UTF-8 characters per invalid).
    (Array("é".utf8) + [0xE9], TextEncoding.windows1252),                        // 1 vs 1
    (Array(String(repeating: "é", count: 16).utf8) + [0xE9], .utf8),             // 16 vs 1
    (Array(String(repeating: "é", count: 15).utf8) + [0xE9], .windows1252),      // 15 vs 1
    (Array(String(repeating: "€", count: 32).utf8) + [0xE9, 0x41, 0xE8], .utf8), // 3-byte chars, 32 vs 2
    ([0x43, 0x6F, 0x6D, 0x6D, 0x65, 0x6E, 0x74, 0xE9, 0x20, 0xE0, 0x20, 0x6C, 0x61, 0x20], .windows1252),
] as [([UInt8], TextEncoding)])
func mostlyUTF8SamplesAreUTF8(_ sample: [UInt8], _ encoding: TextEncoding) {
    #expect(EncodingDetection.detect(sample, isComplete: true).encoding == encoding)
}

@Test func aCharacterCutByTheEndOfTheSniffSampleStillCountsAsUTF8() {
    let sample = [UInt8](repeating: UInt8(ascii: "a"), count: 99) + [0xC3]   // first byte of "é"
    #expect(EncodingDetection.detect(sample, isComplete: false).encoding == .utf8)
    #expect(EncodingDetection.detect(sample, isComplete: true).encoding == .windows1252)
}

@Test(arguments: [
    ([0xEF, 0xBB, 0xBF, 0x41], TextEncoding.utf8, 3),
    ([0xFF, 0xFE, 0x41, 0x00], .utf16LE, 2),
    ([0xFE, 0xFF, 0x00, 0x41], .utf16BE, 2),
    ([0x41, 0x42, 0x43], .utf8, 0),
    ([0x41, 0xE9, 0x43], .windows1252, 0),
] as [([UInt8], TextEncoding, Int)])
func encodingDetection(_ sample: [UInt8], _ encoding: TextEncoding, _ bomLength: Int) {
    #expect(EncodingDetection.detect(sample, isComplete: true) == EncodingDetection(encoding: encoding, bomLength: bomLength))
}

/// UTF-8 is validated in place in the reader's buffer, and only what follows the first
/// invalid or cut sequence is copied and converted: random mixes of ASCII, valid characters
/// of 2 to 4 bytes and invalid bytes, read through random chunkings and read sizes (4 and up
/// take the in-place path, smaller the copying one), decode exactly as the standard library
/// does (U+FFFD per maximal subpart), with the first replacement located.
@Test(arguments: 0..<8)
func utf8DecodedInPlaceEqualsTheStandardLibrary(seed: Int) throws {
    var g = SeededGenerator(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
    let pieces: [[UInt8]] = [bytes("a"), bytes("Nom;"), bytes("é"), bytes("€"), bytes("😀"), [0xFF], [0xE9],
                             [0xE0, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98], [0xC3], bytes("\n")]
    var data: [UInt8] = []
    for _ in 0..<Int.random(in: 200...3000, using: &g) {
        // Mostly valid text, an invalid piece now and then.
        let k = Int.random(in: 0..<100, using: &g) < 90 ? Int.random(in: 0...4, using: &g) : Int.random(in: 5..<pieces.count, using: &g)
        data += pieces[k]
    }
    let expected = String(decoding: data, as: UTF8.self)
    let firstInvalid = expected.utf8.firstRange(of: [0xEF, 0xBF, 0xBD]).map { expected.utf8.distance(from: expected.utf8.startIndex, to: $0.lowerBound) }
    for _ in 0..<4 {
        let chunks = (0..<Int.random(in: 1...4, using: &g)).map { _ in Int.random(in: 1...700, using: &g) }
        let readSize = [1, 3, 4, 5, 64, 4096][Int.random(in: 0..<6, using: &g)]
        let decoded = try decode(data, forced: .utf8, chunks: chunks, readSize: readSize)
        #expect(decoded.text == expected, "seed \(seed) chunks \(chunks) read \(readSize)")
        #expect(decoded.source.firstInvalidOffset == firstInvalid)
    }
}
