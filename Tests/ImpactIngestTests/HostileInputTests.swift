import ImpactTestSupport
import Testing
@testable import ImpactIngest

/// Hostile and broken inputs at the reader level (issue 7), each test named after what broke.

/// A header longer than the 64 KiB sniffing sample was judged on its text cut by the end of
/// the sample: the cut last name (`col1` of `col1234`) duplicated an earlier one, so the header
/// was taken for data: one record too many, every column named `column_N`, and the header's
/// classification lost.
@Test func headerLongerThanTheSniffingSampleIsStillAHeader() throws {
    let columns = 10_000
    var text = "nom,email," + (0..<columns).map { "col\($0)" }.joined(separator: ",") + "\n"
    for r in 0..<3 { text += "Dupont,p\(r)@exemple.fr," + (0..<columns).map { "\($0 * 7 + r)" }.joined(separator: ",") + "\n" }
    #expect(text.utf8.count > CSVDialectSniffer.sampleLength)
    let (sink, description, reader) = try parseCSV(Array(text.utf8))
    #expect(reader.dialect.hasHeader)
    #expect(reader.dialect.delimiter == UInt8(ascii: ","))
    #expect(description.records == 3)
    #expect(sink.names.prefix(3) == ["nom", "email", "col0"])
    #expect(sink.names.count == columns + 2)
}

/// The sniffer drops the cut last field of a sample that ends inside its first record.
@Test func sniffingSampleCutInsideTheFirstRecordIgnoresTheCutField() {
    let sample = Array("nom,prenom,col1,col12".utf8)
    var seen: [[String]] = []
    sample.withUnsafeBytes {
        CSVDialectSniffer.forEachRecord($0, isComplete: false, delimiter: UInt8(ascii: ","), quote: UInt8(ascii: "\""),
                                        limit: 10) { seen.append($0.map { String(decoding: $0, as: UTF8.self) }) }
    }
    #expect(seen == [["nom", "prenom", "col1"]])
    var whole: [[String]] = []
    sample.withUnsafeBytes {
        CSVDialectSniffer.forEachRecord($0, isComplete: true, delimiter: UInt8(ascii: ","), quote: UInt8(ascii: "\""),
                                        limit: 10) { whole.append($0.map { String(decoding: $0, as: UTF8.self) }) }
    }
    #expect(whole == [["nom", "prenom", "col1", "col12"]])
}

/// Compressed data (a .zip or .xlsx handed over as a leak) is near-uniform random bytes, read
/// as Windows-1252. Counted per UTF-8 byte, its control share was 8.3 %, a hair over the 8 %
/// threshold, so some files were parsed as CSV and their junk counted; per character it is 13 %.
@Test(arguments: 1...12 as ClosedRange<UInt64>)
func compressedDataIsRefusedAsBinaryWithAMargin(seed: UInt64) throws {
    var rng = SeededGenerator(seed: seed)
    let zip = Array("PK\u{03}\u{04}".utf8) + (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let error = try #require(throws: IngestError.self) { try parseCSV(zip) }
    #expect(error.kind == .binaryInput)
    // The decoded sample, as the reader measures it.
    let decoded = try readAll(DecodingByteSource(PeekableSource(MemoryByteSource(zip))), readSize: 1 << 16)
    let share = try #require(CSVRecordReader.binaryShare(Array(decoded.prefix(CSVDialectSniffer.sampleLength))))
    #expect(share.percent >= 12)
}

/// Text with many accented letters, tabs and form feeds is not taken for binary.
@Test func accentedTextIsNotBinary() {
    let line = "Élodie;Hélène;Œuvre à réaliser;\tdéjà vu;été;Noël\u{0C};\u{2019}«»\n"
    let text = Array(String(repeating: line, count: 400).utf8)
    #expect(CSVRecordReader.binaryShare(text) == nil)
}
