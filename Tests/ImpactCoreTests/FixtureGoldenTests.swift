import Foundation
import Testing
@testable import ImpactCore

/// The bundled fixtures (made by `scripts/make-fixtures.sh`): golden reports, counts against the
/// generator's truth, and the same patients in CSV, gzip, JSON and JSON Lines giving the same
/// counts. Re-record the golden reports with `IMPACT_RECORD_GOLDEN=1` and review the diff.
@Suite struct FixtureGoldenTests {
    static let fixtures = ["lab-leak-fr.csv", "lab-leak-fr.csv.gz", "lab-leak-fr.json", "lab-leak-fr.jsonl",
                           "lab-leak-en.csv", "lab-leak-obfuscated.csv", "decoy.csv"]

    static func report(_ name: String) -> ImpactReport {
        var r = SampleReports.outcome([TestPaths.fixtures.appendingPathComponent(name).path]).report
        for i in r.inputs.indices { r.inputs[i].path = name }
        return r
    }

    @Test(arguments: fixtures)
    func reportEqualsTheGoldenReport(fixture: String) throws {
        let json = try ReportJSON.encode(Self.report(fixture))
        let golden = TestPaths.fixtures.appendingPathComponent("golden").appendingPathComponent(fixture + ".report.json")
        if ProcessInfo.processInfo.environment["IMPACT_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try json.write(to: golden)
        }
        let expected = try Data(contentsOf: golden)
        #expect(json == expected, "\(fixture): the report differs from \(golden.lastPathComponent); re-record with IMPACT_RECORD_GOLDEN=1 and review the diff")
    }

    @Test(arguments: ["lab-leak-fr.csv", "lab-leak-fr.csv.gz", "lab-leak-fr.json", "lab-leak-en.csv",
                      "lab-leak-obfuscated.csv", "decoy.csv"])
    func countsEqualTheGeneratorTruth(fixture: String) throws {
        let r = Self.report(fixture)
        let data = try Data(contentsOf: TestPaths.fixtures.appendingPathComponent(fixture + ".truth.json"))
        let truth = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let controllers = try #require(truth["controllers"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: r.controllers.map { ($0.id, $0) })
        for c in controllers {
            let id = try #require(c["id"] as? String)
            let got = try #require(byID[id])
            #expect(got.subjects == c["subjects"] as? Int, "\(fixture) \(id)")
            for (cat, n) in try #require(c["subjects_by_category"] as? [String: Int]) {
                #expect((got.subjectsByCategory[cat] ?? 0) == n, "\(fixture) \(id) \(cat)")
            }
        }
        let totals = try #require(truth["totals"] as? [String: Any])
        #expect(r.subjects == totals["subjects"] as? Int)
    }

    /// Issue 3: the same patients as CSV, gzip, a JSON array and nested JSON Lines give the same
    /// per-controller counts.
    @Test func sameOutcomeInEveryFormat() {
        let csv = Self.report("lab-leak-fr.csv")
        #expect(csv.subjects > 100)
        for other in ["lab-leak-fr.csv.gz", "lab-leak-fr.json", "lab-leak-fr.jsonl"] {
            let r = Self.report(other)
            #expect(r.subjects == csv.subjects, "\(other)")
            #expect(r.controllers.map(\.id) == csv.controllers.map(\.id), "\(other)")
            #expect(r.controllers.map(\.subjects) == csv.controllers.map(\.subjects), "\(other)")
            #expect(r.controllers.map(\.subjectsByCategory) == csv.controllers.map(\.subjectsByCategory), "\(other)")
        }
    }

    /// Issue 3: several inputs in one run are counted together; a patient in both counts once.
    @Test func twoFilesOfOneLeakCountTogether() {
        let fr = TestPaths.fixtures.appendingPathComponent("lab-leak-fr.csv").path
        let jsonl = TestPaths.fixtures.appendingPathComponent("lab-leak-fr.jsonl").path
        let both = LeakAnalyzer().analyze(paths: [fr, jsonl]).report
        let one = Self.report("lab-leak-fr.csv")
        #expect(both.records == 2 * one.records)
        #expect(both.subjects == one.subjects)
        #expect(both.controllers.map(\.subjects) == one.controllers.map(\.subjects))
    }

    /// No NIR, e-mail or phone of the fixture appears in its golden report.
    @Test func goldenReportsHoldNoIdentifierOfTheLeak() throws {
        let leak = try String(contentsOf: TestPaths.fixtures.appendingPathComponent("lab-leak-en.csv"), encoding: .utf8)
        let json = String(decoding: try ReportJSON.encode(Self.report("lab-leak-en.csv")), as: UTF8.self)
        var checked = 0
        for line in leak.split(separator: "\n").dropFirst() {
            for cell in line.split(separator: ",") where cell.count >= 10 && (cell.allSatisfy(\.isNumber) || cell.contains("@")) {
                checked += 1
                #expect(!json.contains(cell), "a value of the leak (length \(cell.count)) is in the report")
            }
        }
        #expect(checked > 1000)
    }
}
