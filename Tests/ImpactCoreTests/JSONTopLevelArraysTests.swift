import ImpactTestSupport
import Foundation
import Testing
@testable import ImpactCore

/// Issue 3 through the analyzer: a JSON document that is one object holding several arrays is
/// read from its largest array of objects (the file is opened a second time, decompressed again
/// for gzip), and the members not analysed are reported in the report's warnings.
@Suite struct JSONTopLevelArraysTests {
    static let leak = """
    {"meta": {"n": 2},
     "small": [{"nom": "A"}],
     "data": [
      {"nom": "Abadie", "prenom": "Lucie", "nir": "286053155501292", "laboratoire": "Bio Garonne"},
      {"nom": "Barbier", "prenom": "Tom", "nir": "177086912345693", "laboratoire": "Bio Garonne"},
      {"nom": "Carre", "prenom": "Anne", "nir": "255081416802538", "laboratoire": "Bio Garonne"}
     ]}
    """

    static let expectedWarning = ImpactReport.WarningSummary(
        kind: "skipped_members", count: 1, firstLines: [],
        detail: "records read from $.data[] (3 elements, the largest array of objects); "
            + "2 other top-level members not analysed: $.meta (object), $.small[] (1 element)")

    @Test(arguments: [false, true])
    func largestArrayIsAnalysedAndTheRestReported(gzipped: Bool) throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(gzipped ? "leak.json.gz" : "leak.json")
        let bytes = Array(Self.leak.utf8)
        try Data(gzipped ? gzip(bytes) : bytes).write(to: file)

        let report = LeakAnalyzer().analyze(paths: [file.path]).report
        let input = try #require(report.inputs.first)
        #expect(input.format == "json")
        #expect(input.compression == (gzipped ? "gzip" : nil))
        #expect(input.recordPath == "$.data[]")
        #expect(input.records == 3)
        #expect(input.complete)
        #expect(report.records == 3)
        #expect(report.subjects == 3)
        #expect(report.subjectsByCategory["national_id"] == 3)
        var expected = Self.expectedWarning
        expected.firstLines = ["\(file.path):3"]
        #expect(report.warnings == [expected])
    }
}
