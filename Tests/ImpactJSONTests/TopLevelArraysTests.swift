import Foundation
import ImpactTestSupport
import Testing
import ImpactIngest
@testable import ImpactJSON

/// Issue 3: a JSON document that is one object holding several arrays. The records are the
/// elements of the largest array of objects (found by a first pass when the input can be read
/// twice, else the first one), and every other top-level member is reported, never dropped
/// silently.
@Suite struct TopLevelArraysTests {
    static let chunkings: [[Int]] = [[], [1], [5], [4096]]

    /// Three arrays of objects, `b` the largest (3 elements), placed first, in the middle, last.
    static let arrangements: [(order: String, json: String, skipped: String)] = [
        ("first", """
         {"b": [{"k": "b1"}, {"k": "b2"}, {"k": "b3"}],
          "a": [{"k": "a1"}], "c": [{"k": "c1"}, {"k": "c2"}]}
         """, "$.a[] (1 element), $.c[] (2 elements)"),
        ("middle", """
         {"a": [{"k": "a1"}],
          "b": [{"k": "b1"}, {"k": "b2"}, {"k": "b3"}],
          "c": [{"k": "c1"}, {"k": "c2"}]}
         """, "$.a[] (1 element), $.c[] (2 elements)"),
        ("last", """
         {"a": [{"k": "a1"}], "c": [{"k": "c1"}, {"k": "c2"}],
          "b": [{"k": "b1"}, {"k": "b2"}, {"k": "b3"}]}
         """, "$.a[] (1 element), $.c[] (2 elements)"),
    ]

    @Test(arguments: arrangements.indices, chunkings)
    func largestArrayOfObjectsHoldsTheRecords(_ arrangement: Int, _ chunking: [Int]) throws {
        let (order, json, skipped) = Self.arrangements[arrangement]
        let (description, sink, reopens) = try readTwice(json, chunkSizes: chunking)
        #expect(reopens == 1, "\(order)")
        #expect(description.format == "json")
        #expect(description.recordPath == "$.b[]", "\(order)")
        #expect(description.records == 3)
        #expect(description.rejectedRecords == 0)
        #expect(description.lines == (order == "middle" ? 3 : 2))
        #expect(sink.declaredNames == ["k"])
        #expect((0..<sink.records.count).map { sink.values(of: $0, path: "k") } == [["b1"], ["b2"], ["b3"]])
        let line = order == "first" ? 1 : 2 // of the records' `[`
        #expect(sink.warnings == [InputWarning(
            line: line, kind: .skippedMembers,
            detail: "records read from $.b[] (3 elements, the largest array of objects); "
                + "2 other top-level members not analysed: " + skipped)])
        // The warning comes after the records.
        #expect(sink.events.last.map { if case .warn = $0 { true } else { false } } == true)
    }

    @Test(arguments: chunkings)
    func tiesGoToTheFirstArray(_ chunking: [Int]) throws {
        let json = #"{"x": [{"k": "x1"}, {"k": "x2"}], "y": [{"k": "y1"}, {"k": "y2"}], "z": [{"k": "z1"}]}"#
        let (description, sink, _) = try readTwice(json, chunkSizes: chunking)
        #expect(description.recordPath == "$.x[]")
        #expect(sink.records.map { $0.string(at: 0) } == ["x1", "x2"])
        #expect(sink.warnings.map(\.detail) == [
            "records read from $.x[] (2 elements, the largest array of objects); "
                + "2 other top-level members not analysed: $.y[] (2 elements), $.z[] (1 element)",
        ])
    }

    /// Elements are counted whatever they are; the kind of an array is decided by its first element.
    @Test func arraysAreSizedByTheirElementsAndQualifiedByTheFirst() throws {
        let json = """
        {"ids": [1, 2, 3, 4, 5, 6], "vide": [],
         "data": [{"k": "d1"}, 7, [1, {"k": "no"}], {"k": "d2"}],
         "objs": [{"k": "o1"}, {"k": "o2"}, {"k": "o3"}]}
        """
        let (description, sink, _) = try readTwice(json)
        // `ids` is larger but holds no objects; `data` (4 elements, 2 not objects) beats `objs` (3).
        #expect(description.recordPath == "$.data[]")
        #expect(description.records == 4)
        #expect(description.rejectedRecords == 2)
        #expect(sink.records.map { $0.string(at: 0) } == ["d1", "d2"])
        #expect(sink.rejections.map(\.reason) == [.notAnObject, .notAnObject])
        #expect(sink.warnings.map(\.detail) == [
            "records read from $.data[] (4 elements, the largest array of objects); 3 other top-level members "
                + "not analysed: $.ids[] (6 elements, not objects), $.vide[] (empty), $.objs[] (3 elements)",
        ])
    }

    /// Duplicate member names are told apart by position: the second `data` is the larger.
    @Test func duplicateMemberNamesAreToldApartByPosition() throws {
        let json = #"{"data": [{"k": "first"}], "data": [{"k": "second1"}, {"k": "second2"}]}"#
        let (description, sink, _) = try readTwice(json)
        #expect(description.recordPath == "$.data[]")
        #expect(sink.records.map { $0.string(at: 0) } == ["second1", "second2"])
        #expect(sink.warnings.map(\.detail) == [
            "records read from $.data[] (2 elements, the largest array of objects); "
                + "1 other top-level member not analysed: $.data[] (1 element)",
        ])
    }

    // MARK: - Same as before where nothing is skipped

    /// A top-level array and an object holding one array: the same events (fields, records) with
    /// or without `reopen`, read in one pass for `$[]`, and no warning.
    @Test(arguments: [
        ("[{\"nom\": \"Abadie\", \"patient\": {\"nir\": 286053155501292}}, {\"nom\": \"Barbier\", \"exams\": [{\"code\": \"B12\"}]}]", "$[]", 0),
        ("{\"data\": [{\"nom\": \"Abadie\", \"patient\": {\"nir\": 286053155501292}}, {\"nom\": \"Barbier\", \"exams\": [{\"code\": \"B12\"}]}]}", "$.data[]", 1),
    ])
    func oneArrayReadsAsBefore(_ json: String, _ recordPath: String, _ expectedReopens: Int) throws {
        for chunking in Self.chunkings {
            let (before, beforeSink) = try read(json, chunkSizes: chunking)
            let (description, sink, reopens) = try readTwice(json, chunkSizes: chunking)
            #expect(reopens == expectedReopens)
            #expect(description == before)
            #expect(description.recordPath == recordPath)
            #expect(sink.events == beforeSink.events)
            #expect(sink.warnings.isEmpty)
            #expect(sink.declaredNames == ["nom", "patient.nir", "exams[].code"])
            #expect(sink.values(of: 0).map(\.1) == ["Abadie", "286053155501292"])
            #expect(sink.values(of: 1).map(\.1) == ["Barbier", "B12"])
        }
    }

    /// Envelope only: the object is one record (`$`), read in one pass, nothing skipped.
    @Test(arguments: chunkings)
    func envelopeOnlyObjectIsOneRecord(_ chunking: [Int]) throws {
        let json = #"{"patient": {"nom": "Abadie"}, "tags": ["a", "b"], "vide": [], "n": 2}"#
        let (description, sink, reopens) = try readTwice(json, chunkSizes: chunking)
        #expect(reopens == 0)
        #expect(description.recordPath == "$")
        #expect(description.records == 1)
        #expect(sink.values(of: 0).map { "\($0.0)=\($0.1)" } == ["patient.nom=Abadie", "tags[]=a", "tags[]=b", "n=2"])
        #expect(sink.warnings.isEmpty)
    }

    // MARK: - Without reopen (standard input)

    @Test(arguments: chunkings)
    func withoutReopenTheFirstArrayIsReadAndTheRestReported(_ chunking: [Int]) throws {
        let json = """
        {"meta": {"n": 2},
         "small": [{"nom": "Petit"}],
         "data": [{"nom": "Abadie"}, {"nom": "Barbier"}, {"nom": "Carre"}]}
        """
        let (description, sink) = try read(json, chunkSizes: chunking)
        #expect(description.recordPath == "$.small[]")
        #expect(description.records == 1)
        #expect(sink.records.map { $0.string(at: 0) } == ["Petit"])
        #expect(sink.warnings == [InputWarning(
            line: 2, kind: .skippedMembers,
            detail: "records read from $.small[] (1 element, the first array of objects: the input cannot be "
                + "read twice to find the largest); 2 other top-level members not analysed: "
                + "$.meta (object), $.data[] (3 elements, larger)")])
    }

    // MARK: - The warning

    /// Names and counts only: no value of the envelope or of the skipped arrays.
    @Test func theWarningCarriesNoValue() throws {
        let json = """
        {"exported_by": "jean.dupont@exemple.fr", "total": 286053155501292, "ok": true, "next": null,
         "index": {"jean.dupont@exemple.fr": 1},
         "patients": [{"nom": "Abadie", "nir": "286053155501292"}, {"nom": "Barbier", "nir": "177086912345693"}],
         "doublons": [{"nom": "Abadie-Secret"}]}
        """
        for reopen in [false, true] {
            let sink = reopen ? try readTwice(json).1 : try read(json).1
            let detail = try #require(sink.warnings.first?.detail)
            #expect(detail.contains("$.exported_by (string), $.total (number), $.ok (boolean), $.next (null), "
                                    + "$.index (object), $.doublons[] (1 element)"))
            for value in ["jean", "dupont", "286053155501292", "177086912345693", "Abadie", "Barbier", "Secret", "true"] {
                #expect(!detail.contains(value), "\(value)")
            }
        }
    }

    /// Many members: the first 8 are named, the rest counted; long names are cut.
    @Test func manyMembersAreCountedAndLongNamesCut() throws {
        let long = String(repeating: "é", count: 40) // 80 bytes
        var members = (1...12).map { "\"m\($0)\": \($0)" }
        members.insert("\"\(long)\": 0", at: 0)
        members.insert("\"rec\": [{\"k\": 1}]", at: 5)
        let json = "{" + members.joined(separator: ", ") + "}"
        let (description, sink, _) = try readTwice(json)
        #expect(description.recordPath == "$.rec[]")
        let cut = String(repeating: "é", count: 32) + "…"
        #expect(sink.warnings.map(\.detail) == [
            "records read from $.rec[] (1 element, the largest array of objects); 13 other top-level members not "
                + "analysed: $.\(cut) (number), $.m1 (number), $.m2 (number), $.m3 (number), $.m4 (number), "
                + "$.m5 (number), $.m6 (number), $.m7 (number), and 5 more",
        ])
    }

    // MARK: - Limits, errors, changed input

    /// The envelope before the records may break the record limits: it is not a record, so this is
    /// no error when an array of objects follows; it is one when none does.
    @Test func oversizeEnvelopeIsNoErrorWhenAnArrayFollows() throws {
        var limits = IngestLimits()
        limits.maxRecordBytes = 16
        let json = #"{"blabla": "0123456789abcdefghij", "data": [{"k": "v"}]}"#
        for reopen in [false, true] {
            let (description, sink) = reopen ? try { let r = try readTwice(json, limits: limits); return (r.0, r.1) }()
                                             : try read(json, limits: limits)
            #expect(description.recordPath == "$.data[]")
            #expect(sink.records.map { $0.string(at: 0) } == ["v"])
            #expect(sink.warnings.map(\.detail).first?.hasSuffix("$.blabla (string)") == true)
        }
        let alone = #"{"blabla": "0123456789abcdefghij", "n": 1}"#
        #expect(readError(alone, limits: limits)?.kind == .recordTooLarge)
        #expect(readError(alone, limits: limits)?.line == 1)
        do {
            _ = try readTwice(alone, limits: limits)
            Issue.record("no error")
        } catch let error as IngestError {
            #expect(error.kind == .recordTooLarge)
            #expect(error.recordsBeforeFailure == 0)
        }
    }

    /// A truncated document: the first pass stops at the error; the second reads the largest array
    /// met before it, then throws the same error, with the records read before it.
    @Test(arguments: chunkings)
    func truncatedDocumentReadsTheLargestArrayUpToTheError(_ chunking: [Int]) throws {
        let json = "{\"small\": [{\"k\": \"s1\"}],\n \"data\": [{\"k\": \"d1\"}, {\"k\": \"d2\"}, {\"k\": \"d"
        let sink = CollectingSink()
        let counter = ReopenCounter()
        let reader = JSONRecordReader(source: BytesSource(json, chunkSizes: chunking), path: "dump.json",
                                      reopen: { counter.count += 1; return BytesSource(json, chunkSizes: chunking) })
        do {
            _ = try reader.run(into: sink)
            Issue.record("no error")
        } catch let error as IngestError {
            #expect(error.kind == .truncatedJSON)
            #expect(error.line == 2)
            #expect(error.byteOffset == json.utf8.count)
            #expect(error.recordsBeforeFailure == 2)
        }
        #expect(counter.count == 1)
        #expect(sink.records.map { $0.string(at: 0) } == ["d1", "d2"])
        #expect(sink.warnings.isEmpty)
    }

    /// A syntax error before any array of objects: thrown by the first pass, no second read.
    @Test func syntaxErrorBeforeAnyArrayIsThrownAtOnce() throws {
        let json = #"{"meta": {"n": 01}, "data": [{"k": "v"}]}"#
        let counter = ReopenCounter()
        let reader = JSONRecordReader(source: BytesSource(json), path: "dump.json",
                                      reopen: { counter.count += 1; return BytesSource(json) })
        #expect(throws: IngestError.self) { try reader.run(into: CollectingSink()) }
        #expect(counter.count == 0)
    }

    /// The file changed between the two reads: an error, not a silently different count.
    @Test func inputChangedBetweenTheTwoReadsIsAnError() throws {
        let first = #"{"a": [{"k": 1}], "b": [{"k": 1}, {"k": 2}]}"#
        for second in [#"{"a": [{"k": 1}], "b": [{"k": 1}, {"k": 2}, {"k": 3}]}"#,
                       #"{"a": [{"k": 1}], "b": 2}"#,
                       #"{"a": [{"k": 1}], "b": [{"k": 1}, {"k": 2}], "c": 3}"#] {
            do {
                _ = try readTwice(Array(first.utf8), reopened: Array(second.utf8))
                Issue.record("no error for \(second)")
            } catch let error as IngestError {
                #expect(error.kind == .io)
                #expect(error.message == "the input changed between its two reads: the records' array no longer matches")
            }
        }
    }

    // MARK: - Gzip

    /// A gzip file is decompressed again for the second read; the arrays span many read buffers.
    @Test func gzipInputIsDecompressedAgainForTheSecondRead() throws {
        var text = #"{"count": 25000, "doublons": ["#
        text += (0..<5_000).map { #"{"nom": "d\#($0)"}"# }.joined(separator: ",")
        text += "],\n\"patients\": ["
        text += (0..<20_000).map { #"{"nom": "p\#($0)", "examens": [{"code": "B\#($0 % 7)"}]}"# }.joined(separator: ",\n")
        text += "]}\n"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("impact-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("leak.json.gz").path
        try Data(gzip(Array(text.utf8))).write(to: URL(fileURLWithPath: file))

        let opened = try InputOpener.open(path: file)
        #expect(opened.compression == "gzip")
        let decoded = try DecodingByteSource(opened.source)
        let counter = ReopenCounter()
        let reader = JSONRecordReader(source: decoded, path: file, reopen: {
            counter.count += 1
            return try DecodingByteSource(InputOpener.open(path: file).source, forced: decoded.encoding)
        })
        let sink = CollectingSink()
        let description = try reader.run(into: sink)
        #expect(counter.count == 1)
        #expect(description.recordPath == "$.patients[]")
        #expect(description.records == 20_000)
        #expect(description.lines == 20_001)
        #expect(sink.declaredNames == ["nom", "examens[].code"])
        #expect(sink.values(of: 0).map(\.1) == ["p0", "B0"])
        #expect(sink.values(of: 19_999).map(\.1) == ["p19999", "B0"])
        #expect(sink.warnings == [InputWarning(
            line: 2, kind: .skippedMembers,
            detail: "records read from $.patients[] (20000 elements, the largest array of objects); "
                + "2 other top-level members not analysed: $.count (number), $.doublons[] (5000 elements)")])
    }
}
