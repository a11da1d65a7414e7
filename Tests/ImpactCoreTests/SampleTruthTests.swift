import Foundation
import Testing
@testable import ImpactCore

/// Every file of `../shared/samples/` against its `*.truth.json`: per-controller subject counts
/// and subjects per category must be exact; field categories must hold every required category
/// and nothing beyond the acceptable ones.
@Suite struct SampleTruthTests {
    static let samples = ["labs_fr_cp1252.csv", "labs_fr_cp1252.csv.gz", "labs_en.csv",
                          "labs_utf8_multiline.csv", "labs_nested.jsonl"]

    static func analyse(_ paths: [String]) -> AnalysisOutcome {
        SampleReports.outcome(paths)
    }

    static func truth(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: TestPaths.samples.appendingPathComponent(name + ".truth.json"))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(arguments: samples)
    func countsEqualTheTruth(sample: String) throws {
        let outcome = Self.analyse([TestPaths.samples.appendingPathComponent(sample).path])
        let report = outcome.report
        let truth = try Self.truth(sample)
        #expect(outcome.failures.isEmpty)
        #expect(report.complete)
        #expect(report.records == truth["records"] as? Int ?? report.records)
        let byID = Dictionary(uniqueKeysWithValues: report.controllers.map { ($0.id, $0) })
        let controllers = try #require(truth["controllers"] as? [[String: Any]])
        #expect(report.controllers.count == controllers.count)
        for c in controllers {
            let id = try #require(c["id"] as? String)
            let got = try #require(byID[id], "controller \(id) missing")
            #expect(got.subjects == c["subjects"] as? Int, "subjects of \(id)")
            if !sample.contains("json") {
                // JSON truths count nested exams as records; ours counts top-level records.
                #expect(got.records == c["records"] as? Int, "records of \(id)")
            }
            #expect(got.name == c["name"] as? String, "name of \(id)")
            for (cat, n) in try #require(c["subjects_by_category"] as? [String: Int]) {
                #expect((got.subjectsByCategory[cat] ?? 0) == n, "\(cat) at \(id)")
            }
        }
        let totals = try #require(truth["totals"] as? [String: Any])
        #expect(report.subjects == totals["subjects"] as? Int)
        #expect(report.subjectsAtTwoOrMoreControllers == totals["subjects_at_two_or_more_controllers"] as? Int)
        for (cat, n) in try #require(totals["subjects_by_category"] as? [String: Int]) {
            #expect((report.subjectsByCategory[cat] ?? 0) == n, "total \(cat)")
        }
    }

    @Test(arguments: samples)
    func fieldCategoriesMatchTheTruth(sample: String) throws {
        let report = Self.analyse([TestPaths.samples.appendingPathComponent(sample).path]).report
        let truth = try Self.truth(sample)
        let fields = Dictionary(uniqueKeysWithValues: report.fields.map { ($0.name, $0) })
        for f in try #require(truth["fields"] as? [[String: Any]]) {
            let name = try #require(f["name"] as? String)
            let got = try #require(fields[name], "field \(name) missing")
            let required = Set((f["categories"] as? [String] ?? []).filter { $0 != "none" })
            let acceptable = Set(f["acceptable_also"] as? [String] ?? [])
            let have = Set(got.categories)
            #expect(required.isSubset(of: have), "\(name): missing \(required.subtracting(have).sorted())")
            #expect(have.isSubset(of: required.union(acceptable)), "\(name): extra \(have.subtracting(required.union(acceptable)).sorted())")
        }
    }
}

/// Analyses each sample once per test run (the suites run in parallel and share the reports).
enum SampleReports {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [[String]: AnalysisOutcome] = [:]

    static func outcome(_ paths: [String]) -> AnalysisOutcome {
        lock.lock()
        defer { lock.unlock() }
        if let o = cache[paths] { return o }
        let o = LeakAnalyzer(options: AnalysisOptions()).analyze(paths: paths)
        cache[paths] = o
        return o
    }

    static func sample(_ name: String) -> ImpactReport {
        outcome([TestPaths.samples.appendingPathComponent(name).path]).report
    }
}
