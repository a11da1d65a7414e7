import Foundation
import ImpactNotify
import ImpactReporting

/// Paths of the test data, found through `#filePath`: `<root>/Tests/ImpactNotifyTests/…`.
enum Paths {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packageRoot = here.deletingLastPathComponent().deletingLastPathComponent()
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let fixtures = here.appendingPathComponent("Fixtures")
    static let golden = here.appendingPathComponent("Golden")
    static let schemas = packageRoot.appendingPathComponent("schemas")

    static func temporaryDirectory() throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("impact-notify-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}

enum Fixtures {
    static func report(_ name: String) throws -> ImpactReport {
        try ReportJSON.decode(Data(contentsOf: Paths.fixtures.appendingPathComponent(name)))
    }
    static func incident() throws -> IncidentFacts {
        try IncidentFactsLoader.load(path: Paths.fixtures.appendingPathComponent("incident.yaml").path)
    }
}

/// Validates JSON documents against a schema of `schemas/` with Python's `jsonschema`
/// (Draft 2020-12), as `Tests/ImpactCoreTests/ReportSchemaTests.swift` does; installed by `.ci/run`.
enum SchemaCheck {
    /// (exit status, first errors) for each document, validated in one Python run.
    static func validate(_ documents: [Data], schema: String) throws -> (Int32, String) {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [String] = []
        for (i, d) in documents.enumerated() {
            let f = dir.appendingPathComponent("doc\(i).json")
            try d.write(to: f)
            files.append(f.path)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); bad = 0
            v = jsonschema.Draft202012Validator(schema)
            for path in sys.argv[2:]:
                errors = sorted(v.iter_errors(json.load(open(path))), key=str)
                for e in errors[:5]: print(path.rsplit('/', 1)[-1], e.message[:300], list(e.path))
                bad += bool(errors)
            sys.exit(1 if bad else 0)
            """, Paths.schemas.appendingPathComponent(schema).path] + files
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, out)
    }
}

/// A report with one controller holding `categories` (each counted for `subjects` persons)
/// and `fields` (name, role, categories): the input of table-driven assessment tests.
func syntheticReport(subjects: Int = 10, categories: [String], fields: [(String, String?, [String])] = [],
                     lowerBound: Bool = false) -> (ImpactReport, ImpactReport.Controller) {
    var byCat: [String: Int] = [:]
    for c in categories { byCat[c] = subjects }
    let c = ImpactReport.Controller(id: "010008407", name: "Laboratoire Test", records: subjects * 3, subjects: subjects,
                                    healthProfessionals: 0, subjectsByCategory: byCat)
    let fs = fields.map { ImpactReport.Field(name: $0.0, role: $0.1, categories: $0.2, confidence: 0.9, evidence: [], invalidValues: 0, values: subjects) }
    let r = ImpactReport(tool: "impact test", complete: !lowerBound, incompleteReasons: [], countsAreLowerBound: lowerBound,
                         records: subjects * 3, analysedRecords: subjects * 3, rejectedRecords: 0, recordsWithoutIdentifier: 0, inputs: [],
                         fields: fs, subjects: subjects, subjectsAtTwoOrMoreControllers: 0, subjectsByCategory: byCat,
                         healthProfessionals: 0, identityBasis: [:], controllerFields: [], controllers: [c], warnings: [], rejections: [])
    return (r, c)
}
