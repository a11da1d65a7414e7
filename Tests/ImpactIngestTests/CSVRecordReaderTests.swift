import Foundation
import ImpactTestSupport
import Testing
@testable import ImpactIngest

private func options(bufferSize: Int? = nil, delimiter: Character? = nil, hasHeader: Bool? = nil,
                     encoding: TextEncoding? = nil, _ limits: (inout IngestLimits) -> Void = { _ in }) -> CSVOptions {
    var o = CSVOptions(delimiter: delimiter?.asciiValue, hasHeader: hasHeader, encoding: encoding)
    if let bufferSize { o.bufferSize = bufferSize }
    limits(&o.limits)
    return o
}

/// ~100 KiB of awkward CSV: quoted line breaks, CRLF and bare CR, doubled quotes, NULs,
/// ragged rows, multi-byte characters, blank lines; well past the 64 KiB sniff sample.
private let awkward: [UInt8] = {
    var text = "id;nom;commentaire\r\n"
    var i = 0
    while text.utf8.count < 100_000 {
        i += 1
        switch i % 7 {
        case 0: text += "\(i);\"L’Hôte\";\"ligne 1\r\nligne \"\"2\"\"\nfin\"\r\n"
        case 1: text += "\(i);Ga\u{0}rnier;ok\n"
        case 2: text += "\(i);Œuvre 😀;a;b\r"
        case 3: text += "\(i);court\r\n\r\n"
        case 4: text += "\(i);\"x;y\"z;\"\"\n"
        case 5: text += "\(i);\(String(repeating: "é", count: i % 50));fin\r\n"
        default: text += "\(i);;\n"
        }
    }
    return bytes(text)
}()

@Test func readerGivesTheSameRecordsWhateverTheBufferSize() throws {
    let (reference, referenceDescription, _) = try parseCSV(awkward)
    #expect(reference.records.count > 3000)
    #expect(referenceDescription.delimiter == ";")
    for size in [1, 2, 3, 5, 64, 4099] {
        let (sink, description, _) = try parseCSV(awkward, options: options(bufferSize: size), sourceChunks: [1, 5, 3, 17, 7])
        #expect(sink.records == reference.records, "buffer \(size)")
        #expect(sink.warnings == reference.warnings, "buffer \(size)")
        #expect(sink.fields == reference.fields, "buffer \(size)")
        #expect(description == referenceDescription, "buffer \(size)")
    }
}

@Test(arguments: [("labs_utf8_multiline.csv", 4000), ("labs_fr_cp1252.csv", 6000), ("labs_en.csv", 4000)])
func sampleReadsTheSameWithASmallBuffer(_ file: String, _ records: Int) throws {
    let (reference, referenceDescription, _) = try parseFile(sharedPath("samples/\(file)"))
    #expect(reference.records.count == records)
    let (sink, description, _) = try parseFile(sharedPath("samples/\(file)"), options: options(bufferSize: 997))
    #expect(sink.records == reference.records)
    #expect(description == referenceDescription)
    #expect(reference.warnings.isEmpty && reference.rejections.isEmpty)
}

@Test func sampleDescriptions() throws {
    let (en, enDescription, _) = try parseFile(sharedPath("samples/labs_en.csv"))
    #expect(enDescription == InputDescription(path: sharedPath("samples/labs_en.csv"), format: "csv", encoding: "utf-8",
                                              bom: false, delimiter: ",", header: true, records: 4000, lines: 4001,
                                              bytes: 1_012_285))
    #expect(en.names.count == 22 && en.names.first == "last_name" && en.names.last == "notes")
    #expect(en.records.allSatisfy { $0.values.count == 22 })

    let (multi, multiDescription, _) = try parseFile(sharedPath("samples/labs_utf8_multiline.csv"))
    #expect(multiDescription.bom && multiDescription.encoding == "utf-8" && multiDescription.delimiter == ",")
    #expect(multiDescription.lines == 4451)
    #expect(multi.names.count == 19 && multi.names.first == "Laboratoire" && multi.names[4] == "Prénom")
    #expect(multi.records.allSatisfy { $0.values.count == 19 })
    #expect(multi.records.contains { $0.strings.contains { $0.contains("\n") } })

    let (fr, frDescription, _) = try parseFile(sharedPath("samples/labs_fr_cp1252.csv"))
    #expect(frDescription.encoding == "windows-1252" && frDescription.delimiter == ";" && frDescription.lines == 6001)
    #expect(fr.records[0].strings[20] == "Validé")
}

@Test func smallInputDescription() throws {
    let data = bytes("a;b\n1;2\n3;4")
    let (sink, description, reader) = try parseCSV(data)
    #expect(description == InputDescription(path: "memory.csv", format: "csv", encoding: "utf-8", delimiter: ";",
                                            header: true, records: 2, lines: 3, bytes: data.count))
    #expect(reader.dialect == CSVDialect(delimiter: UInt8(ascii: ";"), hasHeader: true))
    #expect(sink.records == [SeenRecord(line: 2, values: [(0, "1"), (1, "2")]), SeenRecord(line: 3, values: [(0, "3"), (1, "4")])])
}

@Test func withoutHeaderColumnsAreNumbered() throws {
    let (sink, description, _) = try parseCSV(bytes("1;Durand;d@exemple.fr\n2;Martin;m@exemple.fr\n"))
    #expect(!description.header)
    #expect(sink.names == ["column_1", "column_2", "column_3"])
    #expect(sink.records.map(\.line) == [1, 2])
    #expect(sink.records[0].strings == ["1", "Durand", "d@exemple.fr"])
}

@Test func givenOptionsOverrideSniffing() throws {
    let (sink, description, _) = try parseCSV(bytes("a;b\n1;2\n"), options: options(delimiter: "|", hasHeader: false))
    #expect(description.delimiter == "|" && !description.header)
    #expect(sink.records.map(\.strings) == [["a;b"], ["1;2"]])
}

@Test func headerNamesAreTrimmedAndEmptyNamesNumbered() throws {
    let (sink, _, _) = try parseCSV(bytes(" nom ,\"  email\",,\"\"\nA,a@x,1,2\n"), options: options(hasHeader: true))
    #expect(sink.names == ["nom", "email", "column_3", "column_4"])
}

@Test func overflowColumnsAreDeclaredOnceBeforeUse() throws {
    let (sink, _, _) = try parseCSV(bytes("a,b\n1,2,3\n4,5,6,7\n8,9,10\n"))
    #expect(sink.declarationOrder == [0, 1, 2, 3])
    #expect(sink.fields == [0: "a", 1: "b", 2: "extra_1", 3: "extra_2"])
    #expect(sink.lateDeclarations.isEmpty && sink.redeclarations.isEmpty)
    #expect(sink.records[1].values.map(\.field) == [0, 1, 2, 3])
    #expect(sink.warnings.map(\.detail) == ["3 fields, header has 2", "4 fields, header has 2", "3 fields, header has 2"])
}

@Test func raggedRowWithoutHeaderNamesTheFirstRecord() throws {
    let (sink, _, _) = try parseCSV(bytes("1,2\n3\n"), options: options(hasHeader: false))
    #expect(sink.warnings == [InputWarning(line: 2, kind: .raggedRow, detail: "1 field, first record has 2")])
    #expect(sink.records[1].strings == ["3", ""])
}

@Test func oversizedFieldIsRejectedAndReadingGoesOn() throws {
    let big = String(repeating: "z", count: 100)
    let text = "id,notes\n1,ok\n2,\"\(big)\nsuite\"\n3,ok\n"
    for size in [1, 7, 4096] {
        let (sink, description, _) = try parseCSV(bytes(text), options: options(bufferSize: size) { $0.maxFieldBytes = 50 })
        #expect(sink.records.map(\.line) == [2, 5], "buffer \(size)")
        #expect(sink.rejections.map(\.line) == [3])
        #expect(sink.rejections.map(\.reason) == [.recordTooLarge])
        #expect(description.records == 3 && description.rejectedRecords == 1)
    }
}

@Test func fieldAtTheLimitIsKept() throws {
    let (sink, _, _) = try parseCSV(bytes("id,notes\n1,\(String(repeating: "z", count: 50))\n"),
                                    options: options { $0.maxFieldBytes = 50 })
    #expect(sink.rejections.isEmpty)
    #expect(sink.records[0].strings[1].count == 50)
}

@Test func recordWithTooManyFieldsIsRejected() throws {
    let (sink, _, _) = try parseCSV(bytes("a,b\n1,2\n1,2,3,4,5\n6,7\n"), options: options { $0.maxFields = 4 })
    #expect(sink.records.map(\.line) == [2, 4])
    #expect(sink.rejections == [RecordRejection(line: 3, reason: .tooManyFields, detail: "5 fields, limit 4")])
}

/// A record over both the record-size and the field limit is rejected for the one it passes
/// first, whatever the buffer size (review of the 64-byte tokenizer: the reason depended on how
/// many values one tokenizer step held).
@Test(arguments: [1, 7, 64, 256 << 10])
func theFirstLimitPassedNamesTheRejection(bufferSize: Int) throws {
    // 100 values of 3 bytes: the record passes 129 value bytes in value 44, 64 fields at value 65.
    let wide = (0..<100).map { _ in "xyz" }.joined(separator: ",")
    let (sizeFirst, _, _) = try parseCSV(bytes("a,b\n1,2\n\(wide)\n3,4\n"),
                                         options: options(bufferSize: bufferSize) { $0.maxFields = 64; $0.maxRecordBytes = 129 })
    #expect(sizeFirst.rejections.map(\.reason) == [.recordTooLarge])
    #expect(sizeFirst.records.map(\.line) == [2, 4])
    // 100 values of 1 byte: the record passes 64 fields at value 65, 129 value bytes never.
    let narrow = (0..<100).map { _ in "x" }.joined(separator: ",")
    let (fieldsFirst, _, _) = try parseCSV(bytes("a,b\n\(narrow)\n"),
                                           options: options(bufferSize: bufferSize) { $0.maxFields = 64; $0.maxRecordBytes = 129 })
    #expect(fieldsFirst.rejections == [RecordRejection(line: 2, reason: .tooManyFields, detail: "100 fields, limit 64")])
    // 100 values of 2 bytes: both in value 65, whose second byte makes 130 value bytes before it
    // ends as the 65th field: the size limit comes first.
    let even = (0..<100).map { _ in "xy" }.joined(separator: ",")
    let (both, _, _) = try parseCSV(bytes("a,b\n\(even)\n"),
                                    options: options(bufferSize: bufferSize) { $0.maxFields = 64; $0.maxRecordBytes = 129 })
    #expect(both.rejections.map(\.reason) == [.recordTooLarge])
}

@Test func headerWithTooManyColumnsThrows() throws {
    let error = try #require(throws: IngestError.self) {
        try parseCSV(bytes("a,b,c,d,e\n1,2,3,4,5\n"), options: options(hasHeader: true) { $0.maxFields = 4 })
    }
    #expect(error.kind == .tooManyFields)
    #expect(error.line == 1)
    #expect(error.path == "memory.csv")
}

/// An input that cannot be read again (standard input): the record is kept with a warning, and
/// the run ends with `.unterminatedQuote` so that the input is reported incomplete (F2).
@Test func unterminatedQuoteOnAnInputReadOnceKeepsTheRecordWarnsAndThrows() throws {
    let data = bytes("id,notes\n1,ok\n2,\"jamais fermé\n3,x\n")
    let input = OpenedInput(source: PeekableSource(MemoryByteSource(data)), compression: nil, storedBytes: 0)
    let reader = try CSVRecordReader(input: input, path: "-")
    let sink = CollectingSink()
    let error = try #require(throws: IngestError.self) { try reader.run(into: sink) }
    #expect(error.kind == .unterminatedQuote)
    #expect(error.line == 3)
    #expect(error.recordsBeforeFailure == 2)
    #expect(error.input?.format == "csv")
    #expect(error.input?.delimiter == ",")
    #expect(error.input?.records == 2)
    #expect(sink.records.count == 2)
    #expect(sink.records[1].strings == ["2", "jamais fermé\n3,x\n"])
    #expect(sink.warnings.map(\.kind) == [.unterminatedQuote])
    #expect(sink.warnings.first?.line == 3)
}

@Test func invalidEncodingIsWarnedOnceWithItsLine() throws {
    let data = bytes("a,b\n1,2\n3,") + [0xFF] + bytes("\n4,") + [0xC3] + bytes("\n")
    for size in [1, 3, 4096] {
        let (sink, _, _) = try parseCSV(data, options: options(bufferSize: size, encoding: .utf8))
        #expect(sink.warnings == [InputWarning(line: 3, kind: .invalidEncoding,
                                               detail: "2 invalid utf-8 sequences replaced by U+FFFD (first on this line)")])
        #expect(sink.records[1].strings == ["3", "\u{FFFD}"])
    }
}

@Test func binaryInputIsRefused() throws {
    var rng = SeededGenerator(seed: 7)
    let junk = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let error = try #require(throws: IngestError.self) { try parseCSV(junk) }
    #expect(error.kind == .binaryInput)
    let nuls = try #require(throws: IngestError.self) { try parseCSV([UInt8](repeating: 0, count: 1000) + bytes("a,b\n")) }
    #expect(nuls.kind == .binaryInput)
    #expect(nuls.message == "input is not text: 99 % of the first 1004 characters are NUL or control characters")
}

@Test func emptyAndHeaderOnlyInputs() throws {
    let (empty, emptyDescription, _) = try parseCSV([])
    #expect(empty.records.isEmpty && empty.fields.isEmpty)
    #expect(emptyDescription.records == 0 && emptyDescription.lines == 0)
    let (headerOnly, headerDescription, _) = try parseCSV(bytes("nom,email\n"))
    #expect(headerOnly.names == ["nom", "email"])
    #expect(headerOnly.records.isEmpty)
    #expect(headerDescription.header && headerDescription.lines == 1)
}

@Test func sourceErrorsCarryThePathAndTheRecordsBeforeTheFailure() throws {
    let input = OpenedInput(source: PeekableSource(FailingByteSource(bytes("a,b\n1,2\n3,4\n5,"))), compression: "gzip", storedBytes: 99)
    let reader = try CSVRecordReader(input: input, path: "leak.csv.gz")
    let sink = CollectingSink()
    let error = try #require(throws: IngestError.self) { try reader.run(into: sink) }
    #expect(error.kind == .truncatedGzip)
    #expect(error.path == "leak.csv.gz")
    #expect(error.recordsBeforeFailure == 2)
    #expect(sink.records.count == 2)
}

private struct StopReading: Error, Equatable {}

private final class FailingSink: RecordSink {
    var consumed = 0
    func declareField(_ id: Int, name: String) {}
    func consume(_ record: RecordBuffer) throws {
        consumed += 1
        if consumed == 2 { throw StopReading() }
    }
    func reject(_ rejection: RecordRejection) {}
    func warn(_ warning: InputWarning) {}
}

@Test func sinkErrorsPropagateUnchanged() throws {
    let input = OpenedInput(source: PeekableSource(MemoryByteSource(bytes("a\n1\n2\n3\n"))), compression: nil, storedBytes: 8)
    let reader = try CSVRecordReader(input: input, path: "x.csv")
    let sink = FailingSink()
    #expect(throws: StopReading()) { try reader.run(into: sink) }
    #expect(sink.consumed == 2)
}
