import Foundation
import GRDB
import ImpactCore

/// Read-only access to a case: its current report and the history of its runs, without the
/// leak files, the key or the lock.
///
/// Behaviour: opens the database read-only and reads the last committed state (a run in
/// progress does not block it: the database is in WAL mode). Needs neither the key file
/// (reports hold no identity) nor the lock.
///
/// Errors: ``CaseStoreError`` — `notFound` (no such file), `notACase`, `newerSchema`,
/// `noCompletedRun` (the case exists but no run has been committed), `database`.
public enum CaseInspection {
    static func openReadOnly(_ path: String) throws -> DatabaseQueue {
        guard CaseFiles.exists(path) else {
            throw CaseStoreError(.notFound, path: path, message: "no such case database")
        }
        return try mapErrors(path) {
            let q = try DatabaseQueue(path: path, configuration: CaseStore.configuration(readonly: true))
            try CaseStore.checkIsCase(q, path: path)
            try q.read { db in
                guard try db.tableExists("run") else {
                    throw CaseStoreError(.noCompletedRun, path: path, message: "the case has no completed run yet")
                }
            }
            return q
        }
    }

    /// The combined report stored by the last completed run: its JSON byte for byte as the
    /// run printed it, and decoded.
    /// Whether `path` is an SQLite database (its 16-byte header "SQLite format 3\0"): a case
    /// database rather than a report file.
    public static func looksLikeCaseDatabase(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 16)) ?? Data()
        return head == Data("SQLite format 3\u{0}".utf8)
    }

    public static func latestReport(database path: String) throws -> StoredReport {
        let q = try openReadOnly(path)
        defer { try? q.close() }
        return try mapErrors(path) {
            try q.read { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT id, report FROM run ORDER BY id DESC LIMIT 1") else {
                    throw CaseStoreError(.noCompletedRun, path: path, message: "the case has no completed run yet")
                }
                let text: String = row[1]
                let json = Data(text.utf8)
                let report: ImpactReport
                do { report = try ReportJSON.decode(json) } catch {
                    throw CaseStoreError(.notACase, path: path, message: "the stored report of run \(row[0] as Int) is unreadable")
                }
                return StoredReport(run: row[0], json: json, report: report)
            }
        }
    }

    /// The case's runs with their inputs and skipped inputs, oldest first.
    public static func summary(database path: String) throws -> CaseSummary {
        let q = try openReadOnly(path)
        defer { try? q.close() }
        return try mapErrors(path) {
            try q.read { db in
                var runs: [CaseSummary.Run] = []
                var index: [Int: Int] = [:]
                for r in try Row.fetchAll(db, sql: """
                    SELECT id, started_at, finished_at, tool, status, inputs_analysed, inputs_skipped, records,
                           analysed_records, rejected_records, subjects FROM run ORDER BY id
                    """) {
                    index[r[0]] = runs.count
                    runs.append(CaseSummary.Run(id: r[0], startedAt: r[1], finishedAt: r[2], tool: r[3], status: r[4],
                                                inputsAnalysed: r[5], inputsSkipped: r[6], records: r[7],
                                                analysedRecords: r[8], rejectedRecords: r[9], subjects: r[10],
                                                inputs: [], skipped: []))
                }
                for r in try Row.fetchAll(db, sql: """
                    SELECT run, id, path, size, sha256, format, compression, encoding, records, analysed_records,
                           rejected_records, complete, error, analysed_at FROM input ORDER BY run, position
                    """) {
                    guard let i = index[r[0]] else { continue }
                    runs[i].inputs.append(CaseSummary.Input(id: r[1], path: r[2], size: r[3], sha256: r[4], format: r[5],
                                                            compression: r[6], encoding: r[7], records: r[8],
                                                            analysedRecords: r[9], rejectedRecords: r[10], complete: r[11],
                                                            error: r[12], analysedAt: r[13]))
                }
                for r in try Row.fetchAll(db, sql: """
                    SELECT s.run, s.path, s.size, s.sha256, s.same_as, i.run, i.path
                    FROM skipped_input s LEFT JOIN input i ON i.id = s.same_as ORDER BY s.run, s.position
                    """) {
                    guard let i = index[r[0]] else { continue }
                    runs[i].skipped.append(CaseSummary.Skipped(path: r[1], size: r[2], sha256: r[3], sameAsInput: r[4],
                                                               sameAsRun: r[5] ?? r[0], sameAsPath: r[6]))
                }
                let createdAt = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'created_at'") ?? ""
                let subjects = try Int.fetchOne(db, sql: "SELECT count(*) FROM subject") ?? 0
                let controllers = try Int.fetchOne(db, sql: "SELECT count(*) FROM controller") ?? 0
                let migrations = try CaseSchema.migrator.appliedIdentifiers(db).sorted()
                return CaseSummary(database: path, createdAt: createdAt, schema: migrations, subjects: subjects,
                                   controllers: controllers, runs: runs)
            }
        }
    }
}

/// The report stored by a case's last completed run.
public struct StoredReport: Sendable {
    public var run: Int
    /// The JSON exactly as stored (and as printed by the run).
    public var json: Data
    public var report: ImpactReport
}

/// The history of a case (`impact cases list`): counts, paths and digests only.
public struct CaseSummary: Codable, Sendable, Equatable {
    public var database: String
    public var createdAt: String
    /// Applied migrations.
    public var schema: [String]
    /// Distinct subjects and controllers stored.
    public var subjects: Int
    public var controllers: Int
    public var runs: [Run]

    public struct Run: Codable, Sendable, Equatable {
        public var id: Int
        public var startedAt: String
        public var finishedAt: String
        public var tool: String
        public var status: String
        public var inputsAnalysed: Int
        public var inputsSkipped: Int
        public var records: Int
        public var analysedRecords: Int
        public var rejectedRecords: Int
        /// Distinct subjects of the case after this run.
        public var subjects: Int
        public var inputs: [Input]
        public var skipped: [Skipped]
    }

    public struct Input: Codable, Sendable, Equatable {
        public var id: Int
        public var path: String
        public var size: Int
        public var sha256: String
        public var format: String
        public var compression: String?
        public var encoding: String
        public var records: Int
        public var analysedRecords: Int
        public var rejectedRecords: Int
        public var complete: Bool
        public var error: String?
        public var analysedAt: String
    }

    public struct Skipped: Codable, Sendable, Equatable {
        public var path: String
        public var size: Int
        public var sha256: String
        /// The input it matched, its run and its path then (nil input: a repeat within the run).
        public var sameAsInput: Int?
        public var sameAsRun: Int
        public var sameAsPath: String?
    }
}
