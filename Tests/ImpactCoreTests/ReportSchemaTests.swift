import Foundation
import Testing
@testable import ImpactCore

/// The JSON report validates against `schemas/impact-report.schema.json` (JSON Schema 2020-12),
/// checked with Python's `jsonschema` (installed by `.ci/run`).
@Suite struct ReportSchemaTests {
    static func validate(_ json: Data, schema: String) throws -> (Int32, String) {
        let dir = try TestPaths.temporaryDirectory()
        let file = dir.appendingPathComponent("report.json")
        try json.write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
            errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=str)
            for e in errors[:5]: print(e.message[:300], list(e.path))
            sys.exit(1 if errors else 0)
            """, TestPaths.schemas.appendingPathComponent(schema).path, file.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        p.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try? FileManager.default.removeItem(at: dir)
        return (p.terminationStatus, out)
    }

    @Test(arguments: ["labs_en.csv", "labs_nested.jsonl"])
    func analysisReportValidates(sample: String) throws {
        let report = SampleReports.sample(sample)
        let (status, out) = try Self.validate(try ReportJSON.encode(report), schema: "impact-report.schema.json")
        #expect(status == 0, "\(out)")
    }

    @Test func incompleteReportValidates() throws {
        let report = LeakAnalyzer().analyze(paths: [TestPaths.caseFile("025-truncated-gzip", "a-truncated.csv.gz")]).report
        #expect(report.complete == false)
        let (status, out) = try Self.validate(try ReportJSON.encode(report), schema: "impact-report.schema.json")
        #expect(status == 0, "\(out)")
    }

    @Test func jsonRoundTrips() throws {
        let report = SampleReports.sample("labs_en.csv")
        let back = try ReportJSON.decode(try ReportJSON.encode(report))
        #expect(back == report)
    }
}
