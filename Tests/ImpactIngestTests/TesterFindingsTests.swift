import Foundation
import Testing
@testable import ImpactIngest
import ImpactTestSupport

// Regression tests of the fresh-eyes tester's findings on CSV reading (F2, F3, F13):
// /work/notes/s2/FINDINGS.md. The inputs are the tester's reproducers, written inline.

/// An in-memory input that can be opened again (what a file is to the reader).
private func reopenable(_ data: [UInt8], chunks: [Int] = []) -> (OpenedInput, () throws -> OpenedInput) {
    let open = { OpenedInput(source: PeekableSource(MemoryByteSource(data, chunkSizes: chunks)), compression: nil, storedBytes: data.count) }
    return (open(), open)
}

private func parseReopenable(_ data: [UInt8], options: CSVOptions = .init(), chunks: [Int] = [],
                             evidence: (any CSVHeaderEvidence)? = nil) throws -> (CollectingSink, InputDescription) {
    let (input, reopen) = reopenable(data, chunks: chunks)
    let reader = try CSVRecordReader(input: input, path: "leak.csv", options: options, reopen: reopen, headerEvidence: evidence)
    let sink = CollectingSink()
    return (sink, try reader.run(into: sink))
}

/// `unterminated.csv`, scaled: row 11 of 40 has a comment `"RAS` never closed.
private let unterminated: [UInt8] = {
    var text = "nom,prenom,nir,commentaire\n"
    for i in 1...40 { text += "NOM\(i),Jean,\(1_000 + i),\(i == 11 ? "\"RAS" : "")\n" }
    return bytes(text)
}()

/// F2: an unterminated quote swallowed the rest of the file (11 records of 1,000, silently).
/// Now the record is rejected with its line and reason, and reading resumes on the next line:
/// every row is accounted for, whatever the chunking of the stream and the buffer size.
@Test func unterminatedQuoteSwallowedTheRestOfTheFile() throws {
    for (name, sizes) in chunkings(unterminated.count, maxChunk: 97) {
        var o = CSVOptions()
        o.bufferSize = 7
        let (sink, description) = try parseReopenable(unterminated, options: o, chunks: sizes)
        #expect(sink.records.count == 39, "\(name)")
        #expect(sink.rejections == [RecordRejection(line: 12, reason: .unterminatedQuote,
                                                    detail: "a quoted field opened on line 12 is not closed before the end of input; reading resumes on line 13 with that quote taken as text")], "\(name)")
        #expect(sink.records.map(\.line) == Array(2...11) + Array(13...41), "\(name)")
        #expect(sink.records.last?.strings == ["NOM40", "Jean", "1040", ""], "\(name)")
        #expect(description.records == 40, "\(name)")
        #expect(description.rejectedRecords == 1, "\(name)")
        #expect(description.lines == 41, "\(name)")
        #expect(sink.warnings.isEmpty, "\(name)")
    }
}

/// F2 with CRLF line ends and no final line end: the LF of the quote's line is not counted
/// twice when reading resumes, and the last record without a line end is kept.
@Test func unterminatedQuoteWithCRLFResumesOnTheRightLine() throws {
    let data = bytes("a;b\r\n1;\"x\r\n2;ok\r\n3;fin")
    for (name, sizes) in chunkings(data.count) {
        let (sink, description) = try parseReopenable(data, chunks: sizes)
        #expect(sink.rejections.map(\.line) == [2], "\(name)")
        #expect(sink.records.map(\.strings) == [["2", "ok"], ["3", "fin"]], "\(name)")
        #expect(sink.records.map(\.line) == [3, 4], "\(name)")
        #expect(description.lines == 4, "\(name)")
    }
}

/// Review: after a resumption the invalid-encoding warning read the first pass's decoder, which
/// stopped early, so bytes replaced later in the file were never reported. The last pass's
/// decoder has read the whole input: its count and the line of the first replacement are right.
@Test func invalidBytesAfterAResumptionAreStillReported() throws {
    // Enough accented letters for the sample to be UTF-8 despite the one invalid sequence.
    var data = bytes("nom,prenom,date_naissance,nir\nDUPONT,\"Jean,1985-03-14,1\nMARTIN,Sophie,1990-12-02,2\nLEROY,Paul\",1980-01-01,\n")
    data += bytes("ÉLÉONORE,Hélène Anaïs Zoé Noël Bérénice Léa Chloé Inès Maëlle Raphaël Mégane Désirée,1979-01-01,\n")
    // Past the sniffed sample (1 MiB), so that the first pass stops before the bad bytes.
    for _ in 0..<40_000 { data += bytes("PETIT,Luc,1981-02-02,\n") }
    data += [0x42, 0xC3, 0x28, 0x2C, 0x41, 0x2C, 0x2C, 0x0A]   // line 40,006: an invalid sequence
    for chunks in [[], [4096], [65_536, 3]] {
        let (sink, _) = try parseReopenable(data, chunks: chunks)
        #expect(sink.rejections.map(\.reason) == [.mergedRecords])
        let w = sink.warnings.filter { $0.kind == .invalidEncoding }
        #expect(w.map(\.line) == [40_006], "\(chunks)")
        #expect(w.first?.detail.hasPrefix("1 invalid utf-8 sequence") == true)
    }
}

/// F2, milder (`badquotes.csv`): a quote opened in row 2 and closed in row 4 merged three rows
/// into one. When the input can be read again the merged record is rejected (`merged_records`)
/// and its other lines are read again as records (second tester, N1); otherwise (standard
/// input) its lines shaped like records are warned about, with its line.
@Test func quotedFieldHoldingRecordsWasMergedWithoutWarning() throws {
    let data = bytes("""
    nom,prenom,date_naissance,nir
    DUPONT,"Jean,1985-03-14,185037505612356
    MARTIN,Sophie,1990-12-02,290126912304575
    LEROY,Paul",1980-01-01,
    PETIT,Luc,1981-02-02,

    """)
    let (sink, _) = try parseReopenable(data)
    #expect(sink.records.map(\.line) == [3, 4, 5])
    #expect(sink.rejections.map(\.line) == [2])
    #expect(sink.rejections.map(\.reason) == [.mergedRecords])
    #expect(!sink.warnings.map(\.kind).contains(.quotedRecords))
    let (once, _, _) = try parseCSV(data)
    #expect(once.records.count == 2)
    #expect(once.warnings.map(\.kind) == [.quotedRecords])
    #expect(once.warnings.first?.line == 2)
    // A legitimate multi-line note (a postal address) gives no warning.
    let note = try parseReopenable(bytes("nom,adresse,ville\nA,\"12 rue X\nBat. B\",Lyon\n"))
    #expect(note.0.warnings.isEmpty)
    #expect(note.0.records.count == 1)
}

/// F13: `nul.csv` — 4 NUL bytes on 2 lines; each warning carries its amount, so the summary
/// can count them all.
@Test func nulByteWarningsCarryTheirCount() throws {
    let data = bytes("nom,prenom,date_naissance,nir\nDUPONT,Jean,1985-03-14,185037505612356\nMAR\u{0}TIN,Sophie,1990-12-02,290126912304575\n\u{0}\u{0}\u{0}\nLEROY,Paul,1980-01-01,\n")
    let (sink, _) = try parseReopenable(data)
    let nul = sink.warnings.filter { $0.kind == .nulBytes }
    #expect(nul.map(\.line) == [3, 4])
    #expect(nul.map(\.amount) == [1, 3])
}

/// A stand-in for the lexicons of `ImpactDetect`: upper-case words are family names (kind 1),
/// a few given names (kind 2), `nom`/`prenom` column names, digits-with-@ e-mails.
private struct StubEvidence: CSVHeaderEvidence {
    func valueKinds(of cell: UnsafeRawBufferPointer) -> UInt32 {
        let s = String(decoding: cell, as: UTF8.self)
        if ["Jean", "Sophie", "Paul", "Luc"].contains(s) { return 2 }
        if !s.isEmpty, s.allSatisfy({ $0.isUppercase }), !["NOM", "PRENOM"].contains(s) { return 1 }
        return 0
    }
    func isColumnName(_ cell: UnsafeRawBufferPointer) -> Bool {
        ["nom", "prenom", "ville"].contains(String(decoding: cell, as: UTF8.self).lowercased())
    }
    func identifierKind(of cell: UnsafeRawBufferPointer) -> String? {
        String(decoding: cell, as: UTF8.self).contains("@") ? "email" : nil
    }
}

/// F3: a header-less file whose first row has no digit was taken as a header. With content
/// evidence, a first row of values of their columns is data; a real header is kept.
@Test(arguments: [
    ("DUPONT;Jean;Lyon\nMARTIN;Sophie;Paris\nLEROY;Paul;Lille\n", false),   // values over values
    ("nom;prenom;ville\nMARTIN;Sophie;Paris\nLEROY;Paul;Lille\n", true),    // column names
    ("Patient;Prénom;Ville\nMARTIN;Sophie;Paris\nLEROY;Paul;Lille\n", true), // unknown words: header
    ("DUPONT;Jean;Lyon\nMARTIN;12;Paris\nLEROY;13;Lille\n", false),          // one column of names is enough
])
func headerlessTextFileWasTakenAsAHeader(text: String, header: Bool) throws {
    let data = bytes(text)
    let dialect = data.withUnsafeBytes { CSVDialectSniffer.sniff($0, isComplete: true, evidence: StubEvidence()) }
    #expect(dialect.hasHeader == header)
    // Without evidence, the shape rule alone takes every all-text first row as a header.
    let plain = data.withUnsafeBytes { CSVDialectSniffer.sniff($0, isComplete: true) }
    #expect(plain.hasHeader == true)
}

/// F3, forced header (`noheader_nir.csv --header`): a header holding an identifier is a row of
/// data, so none of its cells is a field name (the city `Lyon` was still printed: review of the
/// fix), and one warning names the identifier columns by position and kind only.
@Test func forcedHeaderOfDataPrintedIdentifiersAsFieldNames() throws {
    let data = bytes("DUPONT;Jean;Lyon;jean.dupont@example.fr\nMARTIN;Sophie;Paris;s.martin@example.fr\n")
    let (sink, _) = try parseReopenable(data, options: CSVOptions(hasHeader: true), evidence: StubEvidence())
    #expect(sink.names == ["column_1", "column_2", "column_3", "column_4"])
    #expect(sink.warnings.count == 1)
    let w = try #require(sink.warnings.first)
    #expect(w.kind == .identifierInHeader)
    #expect(w.line == 1)
    #expect(w.detail == "the header holds identifiers: column 4 (email); the first row may be data: 4 columns named column_<n> instead")
    #expect(!w.detail.contains("DUPONT") && !w.detail.contains("example"))
    // A header without identifiers keeps its names.
    let named = try parseReopenable(bytes("nom;prenom\nMARTIN;Sophie\n"), options: CSVOptions(hasHeader: true), evidence: StubEvidence())
    #expect(named.0.names == ["nom", "prenom"])
    #expect(named.0.warnings.isEmpty)
}

/// The count of lines shaped like records inside quoted values (the `quoted_records` warning)
/// against a plain oracle over the values as written: random records of five fields, some
/// quoted with LF, CR LF or CR breaks and commas, some values long (the count scans the record
/// eight bytes at a time, so breaks land on every offset of a word). The oracle splits each
/// value at every CR and LF and counts the parts after the first with 4 or more commas.
@Test func quotedRecordLinesMatchAPlainCountOfTheValues() throws {
    var rng = SeededGenerator(seed: 11)
    let words = ["a", "bb", "ccc", "dddd", "Dupont", "rue", "12", "x y"]
    let breaks = ["\n", "\r\n", "\r"]
    for round in 0..<200 {
        var values: [String] = []
        for _ in 0..<5 {
            var v = ""
            for _ in 0..<Int(rng.next() % 12) {
                switch rng.next() % 6 {
                case 0: v += breaks[Int(rng.next() % 3)]
                case 1, 2: v += ","
                default: v += words[Int(rng.next() % UInt64(words.count))]
                }
            }
            values.append(v)
        }
        var expected = 0
        for v in values {
            let parts = v.unicodeScalars.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" }
            expected += parts.dropFirst().filter { $0.filter { $0 == "," }.count >= 4 }.count
        }
        let line = values.map { $0.contains(where: { ",\r\n".contains($0) }) ? "\"\($0)\"" : $0 }.joined(separator: ",")
        let data = bytes("c1,c2,c3,c4,c5\n" + line + "\nz,z,z,z,z\n")
        var options = CSVOptions()
        options.delimiter = 0x2C
        options.hasHeader = true
        let (sink, _, _) = try parseCSV(data, options: options)
        let warned = sink.warnings.filter { $0.kind == .quotedRecords }.map { w -> Int in
            Int(w.detail.split(separator: " ").drop(while: { $0 != "holds" }).dropFirst().first ?? "") ?? -1
        }
        #expect(warned == (expected > 0 ? [expected] : []), "round \(round): \(values)")
    }
}
