import Foundation
import GRDB
import Testing
@testable import ImpactStore
import ImpactCore

/// Runs into a case count like one analysis of all their files.
@Suite struct CaseStoreTests {
    /// Every row of the identity tables, in a stable order (to show that nothing changed).
    static func identityRows(_ path: String) throws -> [String] {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        return try q.read { db in
            var out: [String] = []
            for (table, order) in [("subject", "id"), ("subject_key", "digest"), ("presence", "subject, controller"),
                                   ("health_professional", "digest, controller"), ("controller", "id"), ("input", "id"),
                                   ("field", "run, position")] {
                for r in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)") { out.append("\(table) \(r)") }
            }
            return out
        }
    }

    static func truthTotals() throws -> [String: Any] {
        let data = try Data(contentsOf: TestPaths.samples.appendingPathComponent("labs_en.csv.truth.json"))
        let truth = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(truth["totals"] as? [String: Any])
    }

    @Test func twoFilesOfOneLeakInTwoRunsCountAsBothInOneRun() throws {
        let leak = try SplitLeak()
        defer { leak.remove() }
        let store = try CaseStore.open(CaseFiles(database: leak.path("case.db")))
        let first = try store.run(paths: [leak.halfA])
        let second = try store.run(paths: [leak.halfB])
        try store.close()
        #expect(first.run == 1 && second.run == 2)
        #expect(first.status == .complete && second.status == .complete)

        let together = LeakAnalyzer().analyze(paths: [leak.halfA, leak.halfB]).report
        #expect(CaseCounts(second.report) == CaseCounts(together))
        #expect(second.report.inputs == together.inputs)
        #expect(second.report.complete)
        #expect(try Self.orphans(leak.path("case.db")) == 0)

        // The halves share patients: counted apart they would be more.
        let aloneA = LeakAnalyzer().analyze(paths: [leak.halfA]).report
        let aloneB = LeakAnalyzer().analyze(paths: [leak.halfB]).report
        #expect(aloneA.subjects + aloneB.subjects > together.subjects + 500)
        #expect(first.report.subjects == aloneA.subjects)
        #expect(second.statistics.keysMatched > 500)
        #expect(second.statistics.storedSubjectsBefore == aloneA.subjects)

        // And the sample's ground truth.
        let totals = try Self.truthTotals()
        #expect(second.report.subjects == totals["subjects"] as? Int)
        #expect(second.report.subjectsAtTwoOrMoreControllers == totals["subjects_at_two_or_more_controllers"] as? Int)
        for (cat, n) in try #require(totals["subjects_by_category"] as? [String: Int]) {
            #expect((second.report.subjectsByCategory[cat] ?? 0) == n, "total \(cat)")
        }
    }

    @Test func anIdenticalFileAnalysedAgainChangesNothing() throws {
        let leak = try SplitLeak()
        defer { leak.remove() }
        let files = CaseFiles(database: leak.path("case.db"))
        let store = try CaseStore.open(files)
        let first = try store.run(paths: [leak.halfA])
        let before = try Self.identityRows(files.database)
        // The same bytes under another name, and the same file twice in one run.
        let copy = leak.path("copy-of-part1.csv")
        try FileManager.default.copyItem(atPath: leak.halfA, toPath: copy)
        let again = try store.run(paths: [copy, leak.halfA])
        try store.close()
        #expect(again.status == .nothingNew)
        #expect(again.analysed.isEmpty)
        #expect(again.skipped.map(\.path) == [copy, leak.halfA])
        #expect(again.skipped.map(\.sameAsRun) == [1, 1])
        #expect(again.skipped.map(\.sameAsPath) == [leak.halfA, leak.halfA])
        #expect(again.reportJSON == first.reportJSON)
        #expect(try Self.identityRows(files.database) == before)
        #expect(before.count > 1000)

        let twice = try CaseStore.open(CaseFiles(database: leak.path("twice.db"))).run(paths: [leak.halfA, leak.halfA])
        #expect(twice.analysed == [leak.halfA])
        #expect(twice.skipped.first?.sameAsInput == nil)
        #expect(twice.skipped.first?.sameAsRun == 1)
        #expect(twice.report.records == first.report.records)
    }

    /// Case `stored subjects linked later`: run 1 sees a patient by NIR only, run 2 by name,
    /// birth date and patient id only (two subjects so far); run 3 has a record with the NIR
    /// and the patient id: the two stored subjects are one person.
    @Test func storedSubjectsLinkedByALaterRunAreMerged() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let header = "last_name,first_name,date_of_birth,social_security_number,patient_id,laboratory,lab_finess,test_name\n"
        let rows = [",,1965-04-22,265043601052229,,Biolab Rhône-Saône,690620075,Glucose\n",
                    "COLAS,Sophie,1965-04-22,,P0752228,Biolab Rhône-Saône,690620075,Glucose\n",
                    ",,1965-04-22,265043601052229,P0752228,Biolab Rhône-Saône,690620075,Glucose\n"]
        var paths: [String] = []
        for (i, r) in rows.enumerated() {
            let p = dir.appendingPathComponent("part\(i + 1).csv").path
            try Data((header + r).utf8).write(to: URL(fileURLWithPath: p))
            paths.append(p)
        }
        let files = CaseFiles(database: dir.appendingPathComponent("case.db").path)
        let store = try CaseStore.open(files)
        let counts = try paths.map { try store.run(paths: [$0]) }
        try store.close()
        #expect(counts.map(\.report.subjects) == [1, 2, 1])
        #expect(counts[2].statistics.subjectsMerged == 1)
        #expect(counts[2].report.controllers.map(\.records) == [3])
        #expect(LeakAnalyzer().analyze(paths: paths).report.subjects == 1)
        let rowsAfter = try Self.identityRows(files.database)
        #expect(rowsAfter.filter { $0.hasPrefix("subject ") }.count == 1)
        #expect(rowsAfter.filter { $0.hasPrefix("subject_key ") }.count == 3)
        #expect(rowsAfter.filter { $0.hasPrefix("presence ") }.count == 1)
        #expect(try Self.orphans(files.database) == 0)
    }

    /// Rows that point to no subject or controller (`subject_key.subject` is kept consistent
    /// by the run's transaction, not by a declared foreign key).
    static func orphans(_ path: String) throws -> Int {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        return try q.read { db in
            let keys = try Int.fetchOne(db, sql: "SELECT count(*) FROM subject_key WHERE subject NOT IN (SELECT id FROM subject)") ?? -1
            let presences = try Int.fetchOne(db, sql: "SELECT count(*) FROM presence WHERE subject NOT IN (SELECT id FROM subject) OR controller NOT IN (SELECT id FROM controller)") ?? -1
            let bare = try Int.fetchOne(db, sql: "SELECT count(*) FROM subject WHERE id NOT IN (SELECT subject FROM presence)") ?? -1
            let violations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count
            return keys + presences + bare + violations
        }
    }

    @Test func aSecondRunIsRefusedWhileTheFirstHoldsTheCase() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = CaseFiles(database: dir.appendingPathComponent("case.db").path)
        let holder = try CaseStore.open(files)
        let e = try #require(throws: CaseStoreError.self) { try CaseStore.open(files) }
        #expect(e.kind == .locked)
        #expect(e.path == files.lock)
        try holder.close()
        try CaseStore.open(files).close()
    }

    @Test func theCaseNeedsItsOwnKey() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = CaseFiles(database: dir.appendingPathComponent("case.db").path)
        try CaseStore.open(files).close()
        let key = try Data(contentsOf: URL(fileURLWithPath: files.key))
        try FileManager.default.removeItem(atPath: files.key)
        let missing = try #require(throws: CaseStoreError.self) { try CaseStore.open(files) }
        #expect(missing.kind == .missingKey)
        #expect(!FileManager.default.fileExists(atPath: files.key), "a missing key must not be replaced by a new one")
        try CaseKey.generate().write(to: files.key)
        let wrong = try #require(throws: CaseStoreError.self) { try CaseStore.open(files) }
        #expect(wrong.kind == .wrongKey)
        // The key kept elsewhere (--case-key).
        let elsewhere = dir.appendingPathComponent("vault.key").path
        try key.write(to: URL(fileURLWithPath: elsewhere))
        try CaseStore.open(CaseFiles(database: files.database, key: elsewhere)).close()
    }

    @Test func inputsThatCannotBeOpenedAreListedAndNotRecorded() throws {
        let leak = try SplitLeak()
        defer { leak.remove() }
        let files = CaseFiles(database: leak.path("case.db"))
        let store = try CaseStore.open(files)
        let out = try store.run(paths: [leak.path("missing.csv"), leak.halfA])
        try store.close()
        #expect(out.unreadable.map(\.path) == [leak.path("missing.csv")])
        #expect(out.report.inputs.map(\.path) == [leak.halfA])
        #expect(out.report.complete)
        #expect(try CaseInspection.summary(database: files.database).runs.map { $0.inputs.map(\.path) } == [[leak.halfA]])
    }

    @Test func aTruncatedInputMakesTheCaseIncomplete() throws {
        // Case `025-truncated-gzip`: its records before the failure count; the case says so.
        let path = TestPaths.shared.appendingPathComponent("cases/025-truncated-gzip/a-truncated.csv.gz").path
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CaseStore.open(CaseFiles(database: dir.appendingPathComponent("case.db").path))
        let out = try store.run(paths: [path])
        try store.close()
        #expect(out.status == .incomplete)
        #expect(out.failures.count == 1)
        #expect(!out.report.complete)
        #expect(out.report.countsAreLowerBound)
        #expect(out.report.incompleteReasons.count == 1)
        #expect(out.report.incompleteReasons == out.runReport.incompleteReasons)
    }
}
