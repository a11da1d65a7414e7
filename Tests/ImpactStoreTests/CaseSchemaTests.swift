import Foundation
import GRDB
import Testing
@testable import ImpactStore
import ImpactCore

/// Migrations and the recognition of what is (not) a case database.
@Suite struct CaseSchemaTests {
    static let tables = ["category", "controller", "field", "grdb_migrations", "health_professional", "input", "meta",
                         "presence", "run", "skipped_input", "subject", "subject_key"]
    static let migrations = ["v1", "v2-field-masked-examples"]

    static func tables(_ path: String) throws -> [String] {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        return try q.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
    }

    @Test func migrationsRunOnAFreshDatabaseAndAgainOnAMigratedOne() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("case.db").path
        let q = try DatabaseQueue(path: path)
        try CaseSchema.migrator.migrate(q)
        #expect(try q.read { try CaseSchema.migrator.appliedIdentifiers($0) } == Set(Self.migrations))
        try q.write { db in
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('format', 'impact-case')")
        }
        // Already migrated: nothing to do, nothing lost.
        try CaseSchema.migrator.migrate(q)
        #expect(try q.read { try CaseSchema.migrator.completedMigrations($0) } == Self.migrations)
        #expect(try q.read { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = 'format'") } == "impact-case")
        try q.close()
        #expect(try Self.tables(path) == Self.tables)
    }

    @Test func openingTwiceKeepsTheCaseAndItsCategories() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = CaseFiles(database: dir.appendingPathComponent("case.db").path)
        let first = try CaseStore.open(files)
        #expect(first.created)
        try first.close()
        let second = try CaseStore.open(files)
        #expect(!second.created)
        try second.close()
        let q = try DatabaseQueue(path: files.database)
        defer { try? q.close() }
        let categories = try q.read { try Row.fetchAll($0, sql: "SELECT bit, name FROM category ORDER BY bit") }
        #expect(categories.count == 24)
        #expect(categories.first.map { [$0[0] as Int: $0[1] as String] } == [0: "person_name"])
        #expect(categories.last.map { [$0[0] as Int: $0[1] as String] } == [23: "controller"])
        #expect(try q.read { try CaseSchema.migrator.appliedIdentifiers($0) } == Set(Self.migrations))
    }

    /// A case written before masked examples existed (migration `v1` only, with a run) gets the
    /// nullable `field.masked_examples` column at the next open; its old fields stay without
    /// examples, a run with `keepMaskedExamples` stores some, and the case report shows them.
    @Test func aV1CaseGainsTheMaskedExamplesColumnAndKeepsItsRuns() throws {
        let leak = try SplitLeak()
        defer { leak.remove() }
        let files = CaseFiles(database: leak.path("case.db"))
        let first = try CaseStore.open(files)
        _ = try first.run(paths: [leak.halfA])
        try first.close()
        // Make it a v1 case again: what an older impact left.
        let q = try DatabaseQueue(path: files.database)
        try q.write { db in
            try db.execute(sql: "ALTER TABLE field DROP COLUMN masked_examples")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier <> 'v1'")
        }
        #expect(try q.read { try Row.fetchAll($0, sql: "PRAGMA table_info(field)") }.map { $0["name"] as String }.contains("masked_examples") == false)
        try q.close()

        let second = try CaseStore.open(files)
        var options = AnalysisOptions()
        options.keepMaskedExamples = true
        let outcome = try second.run(paths: [leak.halfB], options: options)
        try second.close()
        let r = try DatabaseQueue(path: files.database)
        defer { try? r.close() }
        #expect(try r.read { try CaseSchema.migrator.appliedIdentifiers($0) } == Set(Self.migrations))
        let stored = try r.read { try Row.fetchAll($0, sql: "SELECT run, name, masked_examples FROM field ORDER BY run, position") }
        let run1 = stored.filter { $0["run"] as Int == 1 }, run2 = stored.filter { $0["run"] as Int == 2 }
        #expect(run1.count == 22 && run2.count == 22)
        #expect(run1.allSatisfy { ($0["masked_examples"] as String?) == nil })
        let nir = try #require(run2.first { $0["name"] as String == "social_security_number" })
        #expect(nir["masked_examples"] as String? == #"["999999999999999","999999X99999999"]"#)  // Corsica: 2A/2B
        // The case report (both runs) shows the second run's examples.
        let field = try #require(outcome.report.fields.first { $0.name == "social_security_number" })
        #expect(field.maskedExamples == ["999999999999999", "999999X99999999"])
    }

    @Test func aCaseOfANewerImpactIsRefused() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = CaseFiles(database: dir.appendingPathComponent("case.db").path)
        try CaseStore.open(files).close()
        let q = try DatabaseQueue(path: files.database)
        try q.write { try $0.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-from-the-future')") }
        try q.close()
        let e = try #require(throws: CaseStoreError.self) { try CaseStore.open(files) }
        #expect(e.kind == .newerSchema)
        let r = try #require(throws: CaseStoreError.self) { try CaseInspection.latestReport(database: files.database) }
        #expect(r.kind == .newerSchema)
    }

    @Test func aRenumberedCategoryIsRefused() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = CaseFiles(database: dir.appendingPathComponent("case.db").path)
        try CaseStore.open(files).close()
        let q = try DatabaseQueue(path: files.database)
        try q.write { try $0.execute(sql: "UPDATE category SET name = 'renamed_category' WHERE bit = 0") }
        try q.close()
        let e = try #require(throws: CaseStoreError.self) { try CaseStore.open(files) }
        #expect(e.kind == .newerSchema)
    }

    @Test func otherSQLiteDatabasesAndOtherFilesAreNotCases() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let other = dir.appendingPathComponent("other.db").path
        let q = try DatabaseQueue(path: other)
        try q.write { try $0.execute(sql: "CREATE TABLE patients (name TEXT)") }
        try q.close()
        try CaseKey.generate().write(to: other + ".key")
        let e1 = try #require(throws: CaseStoreError.self) { try CaseStore.open(CaseFiles(database: other)) }
        #expect(e1.kind == .notACase)
        // Untouched: no migration was applied to someone else's database.
        #expect(try Self.tables(other) == ["patients"])

        let text = dir.appendingPathComponent("leak.csv").path
        try Data("last_name,nir\nDUPONT,1850578006084 91\n".utf8).write(to: URL(fileURLWithPath: text))
        try CaseKey.generate().write(to: text + ".key")
        let e2 = try #require(throws: CaseStoreError.self) { try CaseStore.open(CaseFiles(database: text)) }
        #expect(e2.kind == .notACase)
        #expect(!e2.description.contains("DUPONT"))
        let e3 = try #require(throws: CaseStoreError.self) { try CaseInspection.summary(database: text) }
        #expect(e3.kind == .notACase)
    }

    @Test func inspectionOfAMissingOrEmptyCase() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("case.db").path
        let missing = try #require(throws: CaseStoreError.self) { try CaseInspection.latestReport(database: path) }
        #expect(missing.kind == .notFound)
        try CaseStore.open(CaseFiles(database: path)).close()
        let empty = try #require(throws: CaseStoreError.self) { try CaseInspection.latestReport(database: path) }
        #expect(empty.kind == .noCompletedRun)
        #expect(try CaseInspection.summary(database: path).runs.isEmpty)
    }
}
