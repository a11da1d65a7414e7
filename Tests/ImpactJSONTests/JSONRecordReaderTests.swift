import Foundation
import Testing
import ImpactIngest
@testable import ImpactJSON

@Suite struct JSONRecordReaderTests {
    static let chunkings: [[Int]] = [[], [1], [5], [4096]]

    // MARK: - Cases from ../shared/cases

    /// Case 014-json-array-nested-objects: a top-level array of 3 patients whose consultations are
    /// nested arrays of objects; `antecedents` appears only in the 3rd object.
    @Test(arguments: chunkings)
    func jsonArrayNestedObjects_case014(_ chunking: [Int]) throws {
        let bytes = try SharedFiles.bytes("cases/014-json-array-nested-objects/input.json")
        let (description, sink) = try read(bytes, chunkSizes: chunking)

        #expect(description.format == "json")
        #expect(description.recordPath == "$[]")
        #expect(description.records == 3)
        #expect(description.rejectedRecords == 0)
        #expect(description.lines == 72)
        #expect(sink.records.count == 3)
        #expect(sink.records.map(\.line) == [2, 28, 53])

        // Fields are declared in first-seen order, each just before the first record using it:
        // `antecedents` only before record 3.
        let fields = ["id", "patient.nom", "patient.prenom", "patient.nir", "contacts.emails[]",
                      "consultations[].date", "consultations[].motif", "consultations[].medecin"]
        let expectedEvents: [CollectingSink.Event] =
            fields.enumerated().map { .declare($0.offset, $0.element) }
            + [.record(line: 2), .record(line: 28), .declare(8, "antecedents"), .record(line: 53)]
        #expect(sink.events == expectedEvents)

        let record1 = sink.values(of: 0)
        #expect(record1.map(\.0) == ["id", "patient.nom", "patient.prenom", "patient.nir",
                                     "contacts.emails[]", "contacts.emails[]",
                                     "consultations[].date", "consultations[].motif", "consultations[].medecin",
                                     "consultations[].date", "consultations[].motif", "consultations[].medecin"])
        #expect(record1.map(\.1) == ["1", "Abadie", "Lucie", "286053155501292",
                                     "lucie.abadie@exemple.fr", "L.Abadie@exemple.fr",
                                     "2024-01-12", "suivi de grossesse, 2e trimestre", "Dr Saïd Haddad",
                                     "2024-03-02", "échographie de contrôle", "Dr Saïd Haddad"])
        // Record 3: empty `emails` array gives no value; `antecedents` is there.
        #expect(sink.values(of: 2, path: "contacts.emails[]") == [])
        #expect(sink.values(of: 2, path: "antecedents") == ["diabète de type 2, test génétique BRCA2 négatif"])
        #expect(sink.values(of: 1, path: "patient.nir") == ["177086912345693"])
    }

    /// Case 015-jsonl-broken-lines: a truncated line 3 and an invalid escape on line 4 are
    /// rejected with their line numbers; the rest is read; the trailing blank line 6 is ignored.
    @Test(arguments: [nil, JSONMode.lines])
    func jsonlBrokenLines_case015(_ mode: JSONMode?) throws {
        let bytes = try SharedFiles.bytes("cases/015-jsonl-broken-lines/input.jsonl")
        for chunking in Self.chunkings {
            let (description, sink) = try read(bytes, mode: mode, chunkSizes: chunking)
            #expect(description.format == "jsonl")
            #expect(description.recordPath == "lines")
            #expect(description.records == 5)
            #expect(description.rejectedRecords == 2)
            #expect(description.lines == 6)
            #expect(sink.records.map(\.line) == [1, 2, 5])
            #expect(sink.rejections == [
                RecordRejection(line: 3, reason: .malformedJSON, detail: "JSON ends unexpectedly inside a string at column 62"),
                RecordRejection(line: 4, reason: .malformedJSON, detail: "invalid escape at column 61"),
            ])
            #expect(sink.values(of: 2, path: "email") == ["thomas@exemple.fr"])
            // No value of the rejected lines leaks into the rejection details.
            for rejection in sink.rejections {
                #expect(!rejection.detail.contains("renaud") && !rejection.detail.contains("salmon")
                        && !rejection.detail.contains("0611"))
            }
        }
    }

    /// Case 024-huge-single-line, JSON Lines shape at a smaller scale: an 8 MiB line with a 1 MiB
    /// value limit is rejected (not buffered), the lines around it are read.
    @Test func hugeSingleLine_case024() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("impact-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("input.jsonl")
        var text = Data(#"{"nom": "Aubry", "email": "aubry@exemple.fr"}"#.utf8 + [0x0A])
        text.append(contentsOf: #"{"nom": "Blot", "email": "blot@exemple.fr", "notes": ""#.utf8)
        text.append(Data(repeating: UInt8(ascii: "y"), count: 8 << 20))
        text.append(contentsOf: "\"}\n".utf8)
        text.append(contentsOf: #"{"nom": "Cordier", "email": "cordier@exemple.fr"}"#.utf8 + [0x0A])
        try text.write(to: file)

        var limits = IngestLimits()
        limits.maxFieldBytes = 1 << 20
        for mode in [nil, JSONMode.lines] {
            let sink = CollectingSink()
            let source = try FileSource(path: file.path)
            let description = try JSONRecordReader(source: source, path: file.path, mode: mode, limits: limits).run(into: sink)
            #expect(description.format == "jsonl")
            #expect(description.records == 3)
            #expect(description.lines == 3)
            #expect(sink.records.map(\.line) == [1, 3])
            #expect(sink.values(of: 1) .map(\.1) == ["Cordier", "cordier@exemple.fr"])
            #expect(sink.rejections == [RecordRejection(line: 2, reason: .recordTooLarge,
                                                        detail: "value longer than 1048576 bytes at column 1048631")])
            // `notes` was only met in the rejected line: never declared.
            #expect(sink.declaredNames == ["nom", "email"])
        }
    }

    // MARK: - Document shapes

    @Test(arguments: chunkings)
    func objectHoldingAnArrayOfRecordsUsesThatArray(_ chunking: [Int]) throws {
        let text = """
        {"count": 2, "source": "export",
         "data": [{"nom": "Abadie", "nir": 286053155501292}, {"nom": "Barbier"}],
         "meta": {"page": 1}, "more": [{"nom": "Ignored"}]}
        """
        let (description, sink) = try read(text, chunkSizes: chunking)
        #expect(description.recordPath == "$.data[]")
        #expect(description.records == 2)
        #expect(sink.records.map(\.line) == [2, 2])
        // The envelope before the array (`count`, `source`) is not a field; it is reported after
        // the records, with the members after the array (no `reopen`: the first array is read).
        #expect(sink.events == [.declare(0, "nom"), .declare(1, "nir"), .record(line: 2), .record(line: 2),
                                .warn(InputWarning(line: 2, kind: .skippedMembers, detail:
                                    "records read from $.data[] (2 elements, the first array of objects: the input "
                                    + "cannot be read twice to find the largest); 4 other top-level members not "
                                    + "analysed: $.count (number), $.source (string), $.meta (object), $.more[] (1 element)"))])
        #expect(sink.values(of: 0).map(\.1) == ["Abadie", "286053155501292"])
        #expect(sink.values(of: 1).map(\.1) == ["Barbier"])
    }

    @Test func objectWithoutAnArrayOfObjectsIsOneRecord() throws {
        let text = """
        {
          "patient": {"nom": "Abadie", "adresse": {"ville": "Brest"}},
          "tags": ["a", "b"], "vide": [], "rien": {}, "x": null,
          "matrice": [[1, 2], [3]], "ok": true, "ko": false
        }
        """
        let (description, sink) = try read(text)
        #expect(description.recordPath == "$")
        #expect(description.records == 1)
        #expect(description.lines == 5)
        #expect(sink.records.map(\.line) == [1])
        #expect(sink.values(of: 0).map { "\($0.0)=\($0.1)" } == [
            "patient.nom=Abadie", "patient.adresse.ville=Brest", "tags[]=a", "tags[]=b",
            "matrice[][]=1", "matrice[][]=2", "matrice[][]=3", "ok=true", "ko=false",
        ])
        #expect(sink.declaredNames == ["patient.nom", "patient.adresse.ville", "tags[]", "matrice[][]", "ok", "ko"])
    }

    @Test func scalarsInTheTopLevelArrayAreRejectedRecords() throws {
        let text = "[\n{\"a\": 1},\n42,\n\"texte\",\n[1, {\"b\": 2}],\nnull,\n{\"a\": 2}\n]"
        let (description, sink) = try read(text)
        #expect(description.recordPath == "$[]")
        #expect(description.records == 6)
        #expect(description.rejectedRecords == 4)
        #expect(sink.records.map(\.line) == [2, 7])
        #expect(sink.rejections.map(\.line) == [3, 4, 5, 6])
        #expect(sink.rejections.allSatisfy { $0.reason == .notAnObject })
        #expect(sink.declaredNames == ["a"])
    }

    @Test func keysWithDotsAndBracketsAreKeptAsTheyAre() throws {
        let (_, sink) = try read(#"[{"a.b": 1, "a": {"b": 2}, "c[0]": 3, "": 4, "d": {"": 5}}]"#)
        #expect(sink.declaredNames == ["a.b", "a.b", "c[0]", "", "d."])
        #expect(sink.values(of: 0).map(\.1) == ["1", "2", "3", "4", "5"])
        #expect(sink.records[0].fieldIDs == [0, 1, 2, 3, 4])
    }

    /// Member names are matched in place when whole in one chunk, copied when escaped or split.
    @Test(arguments: chunkings)
    func escapedKeysAndValuesAreUnescaped(_ chunking: [Int]) throws {
        let text = #"[{"pr\u00e9nom": "Ren\u00e9e \ud83d\ude00", "n\"om": "a\\b", "prénom": "x"}]"#
        let (_, sink) = try read(text, chunkSizes: chunking)
        #expect(sink.values(of: 0).map { "\($0.0)=\($0.1)" } == ["prénom=Renée 😀", "n\"om=a\\b", "prénom=x"])
        #expect(sink.records[0].fieldIDs == [0, 1, 0])
    }

    /// A NIR stored as a JSON number keeps its 15 digits exactly (never through `Double`).
    @Test func nirAsJSONNumberKeepsItsDigits() throws {
        let (_, sink) = try read(#"[{"nir": 184127512345678, "long": 12345678901234567890123, "x": -0.10e+5}]"#)
        #expect(sink.values(of: 0).map(\.1) == ["184127512345678", "12345678901234567890123", "-0.10e+5"])
    }

    @Test func emptyAndBlankInputsHaveNoRecord() throws {
        for text in ["", "  \n\n", "\u{FEFF}"] {
            let (description, sink) = try read(text)
            #expect(description.records == 0)
            #expect(description.recordPath == nil)
            #expect(sink.events.isEmpty)
        }
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let (description, sink) = try read("\u{FEFF}[{\"a\": \"b\"}]")
        #expect(description.records == 1)
        #expect(sink.values(of: 0).map(\.1) == ["b"])
        let error = readError("\u{FEFF}[{\"a\": x}]")
        #expect(error?.byteOffset == 10)
    }

    // MARK: - Document errors

    @Test func truncatedArrayThrowsWithRecordsBeforeFailure() throws {
        let text = "[\n{\"a\": 1},\n{\"a\": 2},\n{\"a\": 3, \"b\": "
        for chunking in Self.chunkings {
            let sink = CollectingSink()
            let reader = JSONRecordReader(source: BytesSource(text, chunkSizes: chunking), path: "dump.json")
            do {
                _ = try reader.run(into: sink)
                Issue.record("no error")
            } catch let error as IngestError {
                #expect(error.kind == .truncatedJSON)
                #expect(error.message == "JSON ends unexpectedly inside an object (truncated)")
                #expect(error.line == 4)
                #expect(error.byteOffset == text.utf8.count)
                #expect(error.recordsBeforeFailure == 2)
                #expect(error.path == "dump.json")
            }
            #expect(sink.records.count == 2)
        }
    }

    @Test func syntaxErrorInADocumentThrowsMalformedWithPosition() {
        let error = readError("[\n{\"a\": 1},\n{\"a\": \"x\\qy\"}\n]")
        #expect(error?.kind == .malformedJSON)
        #expect(error?.line == 3)
        #expect(error?.byteOffset == 21)
        #expect(error?.message == "invalid escape at column 10")
        #expect(error?.recordsBeforeFailure == 1)
        #expect(error.map { !$0.description.contains("xq") } == true)
    }

    /// 100,000 nested arrays: a clear error at depth 513, no stack overflow.
    @Test func hundredThousandDeepDocumentIsRefused() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = readError(text)
        #expect(error?.kind == .nestingTooDeep)
        #expect(error?.byteOffset == 512)
        #expect(error?.message == "nesting deeper than 512 levels at column 513")
        let objects = String(repeating: #"{"a":"#, count: 100_000)
        #expect(readError(objects)?.kind == .nestingTooDeep)
    }

    @Test func oversizeValueInADocumentThrowsRecordTooLarge() {
        var limits = IngestLimits()
        limits.maxFieldBytes = 64
        let text = #"[{"a": "ok"}, {"a": ""# + String(repeating: "z", count: 100) + "\"}]"
        let error = readError(text, limits: limits)
        #expect(error?.kind == .recordTooLarge)
        #expect(error?.recordsBeforeFailure == 1)
    }

    @Test func recordLimitsInADocument() {
        var limits = IngestLimits()
        limits.maxRecordBytes = 10
        #expect(readError(#"[{"a": "12345", "b": "678901"}]"#, limits: limits)?.kind == .recordTooLarge)
        limits = IngestLimits()
        limits.maxFields = 3
        #expect(readError(#"[{"a": [1, 2, 3, 4]}]"#, limits: limits)?.kind == .tooManyFields)
        #expect(readError(#"[{"a": [1, 2, 3]}]"#, limits: limits) == nil)
    }

    // MARK: - Lines mode

    @Test func linesModeRejectsAndGoesOn() throws {
        var limits = IngestLimits()
        limits.maxNestingDepth = 4
        let text = [
            #"{"a": 1}"#,
            #"[1, 2]"#,
            #"{"a": [[[[1]]]]}"#,
            #"{"a": 2} {"a": 3}"#,
            "   ",
            #"{"a": 4, "nouveau": 5"#,
            #"{"a": 6, "b": 7}"#,
            "\r",
            #"{"c": 8}"#,
        ].joined(separator: "\n")
        for chunking in Self.chunkings {
            let (description, sink) = try read(text, mode: .lines, limits: limits, chunkSizes: chunking)
            #expect(description.records == 7)
            #expect(description.lines == 9)
            #expect(sink.records.map(\.line) == [1, 7, 9])
            #expect(sink.rejections == [
                RecordRejection(line: 2, reason: .notAnObject, detail: "the line holds an array, not an object"),
                RecordRejection(line: 3, reason: .nestingTooDeep, detail: "nesting deeper than 4 at column 10"),
                RecordRejection(line: 4, reason: .malformedJSON, detail: "content after the end of the JSON value at column 10"),
                RecordRejection(line: 6, reason: .malformedJSON, detail: "JSON ends unexpectedly inside an object at column 22"),
            ])
            // `nouveau` (only in rejected line 6) is never declared; ids stay dense.
            #expect(sink.events.compactMap { if case .declare(let id, let name) = $0 { "\(id):\(name)" } else { nil } }
                    == ["0:a", "1:b", "2:c"])
        }
    }

    /// A 100,000-deep line is rejected; the lines around it are read.
    @Test(arguments: [nil, JSONMode.lines])
    func hundredThousandDeepLineIsRejected(_ mode: JSONMode?) throws {
        let text = "{\"a\": 1}\n" + String(repeating: "{\"a\":", count: 100_000) + "\n{\"a\": 2}\n"
        let (description, sink) = try read(text, mode: mode)
        #expect(description.format == "jsonl")
        #expect(sink.records.map(\.line) == [1, 3])
        #expect(sink.rejections == [RecordRejection(line: 2, reason: .nestingTooDeep, detail: "nesting deeper than 512 at column 2561")])
    }

    @Test func linesModeCRLFAndNoFinalNewline() throws {
        let (description, sink) = try read("{\"a\": 1}\r\n{\"a\": 2}\r\n{\"a\": 3}")
        #expect(description.format == "jsonl")
        #expect(description.lines == 3)
        #expect(sink.records.map { $0.string(at: 0) } == ["1", "2", "3"])
    }

    // MARK: - Mode detection

    @Test(arguments: [
        ("[{\"a\": 1}]", JSONMode.document, "$[]"),
        ("{\"a\": 1}", .document, "$"),
        ("{\"a\": 1}\n\n", .document, "$"),
        ("{\n  \"a\": 1\n}\n", .document, "$"),
        ("{\"a\": 1}\n{\"a\": 2}\n", .lines, "lines"),
        ("\n\n{\"a\": 1}\n\n{\"a\": 2}", .lines, "lines"),
        ("{\"a\": 1}\n[2]\n", .lines, "lines"),
        ("{\"a\": \"cut\n{\"a\": 2}\n", .lines, "lines"),
        ("{\"a\": [{\"b\": 1}]}", .document, "$.a[]"),
        ("\"texte\"", .document, "$"),
    ])
    func detectsTheMode(_ text: String, _ mode: JSONMode, _ recordPath: String) throws {
        let (description, _) = try read(text, chunkSizes: [2])
        #expect(description.format == mode.rawValue)
        #expect(description.recordPath == recordPath)
    }
}
