import Foundation
import GRDB
import GRDBSQLite
import ImpactCore
#if canImport(Glibc)
import Glibc
#endif

/// The spill store of the distinct-subject tables (``SubjectSpillStore``): a temporary SQLite
/// database that no one else can open and that nothing leaves behind.
///
/// Behaviour: ``create(inside:cacheBytes:)`` makes a private directory (mode 0700,
/// `mkdtemp`) in `$TMPDIR` (or `/tmp`), creates the database file in it owner-only (0600,
/// `O_EXCL`), opens it with GRDB (no journal, no sync, exclusive lock: a scratch database that
/// is never reopened) and then unlinks the file and removes the directory at once, so that the
/// database lives only as long as its open descriptor: deleted when the store is closed or
/// deinitialised, and also when the process is killed or crashes. SQLite's own temporary files
/// (the external sort of the tally) are created unlinked and 0600 in the same temporary
/// directory (`SQLITE_TMPDIR`, else `TMPDIR`).
///
/// Tables: `spill_key(k INTEGER PRIMARY KEY, node)` (a ``SubjectKey``'s 64-bit keyed hash as
/// a signed integer → its node), `spill_observation(k, m)` (node << 20 | controller → category
/// bits, appended), `sort_area(k, m)` (filled and emptied by each sort). Nothing else: no
/// identifier, no value of the leak.
///
/// Contract: used from one thread (the analysing one). Errors are GRDB's `DatabaseError` or
/// ``CaseStoreError`` with SQLite's result code and message, never a stored value.
public final class TemporarySubjectSpill: SubjectSpillStore {
    private var queue: DatabaseQueue?
    /// The directory the database was created in (already removed when `create` returns).
    public let directory: String
    /// The database's path while it was being created (unlinked when `create` returns).
    public let path: String

    private init(queue: DatabaseQueue, directory: String, path: String) {
        self.queue = queue
        self.directory = directory
        self.path = path
    }

    /// Creates the spill database (see the type's doc).
    /// - Parameters:
    ///   - parent: where the private directory is made (default: `$TMPDIR`, else `/tmp`).
    ///   - cacheBytes: SQLite's page cache (the sort's memory too), 16 MiB by default.
    ///   - opened: called with the database's path after it is opened and before it is unlinked
    ///     (tests check its mode there).
    /// - Throws: ``CaseStoreError`` (`cannotWrite`) when the directory or file cannot be made,
    ///   GRDB's `DatabaseError` when SQLite cannot open it.
    public static func create(inside parent: String? = nil, cacheBytes: Int = 16 << 20,
                              opened: ((String) -> Void)? = nil) throws -> TemporarySubjectSpill {
        let base = parent ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/impact-spill.XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CaseStoreError(.cannotWrite, path: base, message: "cannot create a temporary directory for the subject spill: \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: made)
        _ = chmod(directory, 0o700)
        let path = directory + "/subjects.db"
        do {
            try CaseFiles.createOwnerOnly(path)
            var c = Configuration()
            c.label = "impact.spill"
            c.prepareDatabase { db in
                try db.execute(sql: """
                    PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;
                    PRAGMA temp_store = FILE; PRAGMA cache_size = \(-max(1, cacheBytes / 1024))
                    """)
            }
            let queue = try DatabaseQueue(path: path, configuration: c)
            try queue.inDatabase { db in
                try db.execute(sql: """
                    CREATE TABLE spill_key (k INTEGER PRIMARY KEY, node INTEGER NOT NULL);
                    CREATE TABLE spill_observation (k INTEGER NOT NULL, m INTEGER NOT NULL);
                    CREATE TABLE sort_area (k INTEGER NOT NULL, m INTEGER NOT NULL);
                    """)
            }
            opened?(path)
            unlink(path)
            rmdir(directory)
            return TemporarySubjectSpill(queue: queue, directory: directory, path: path)
        } catch {
            unlink(path)
            rmdir(directory)
            throw error
        }
    }

    /// Closes the database (its space is freed: the file was already unlinked).
    public func close() {
        if let q = queue {
            queue = nil
            try? q.close()
        }
    }

    deinit { close() }

    private func access<T>(_ body: (Database) throws -> T) throws -> T {
        guard let queue else { throw CaseStoreError(.database, path: path, message: "the subject spill is closed") }
        return try queue.inDatabase(body)
    }

    /// Runs `body` in one transaction (BEGIN … COMMIT: the journal is off, there is no rollback).
    private func batch(_ body: (Database) throws -> Void) throws {
        try access { db in
            try db.execute(sql: "BEGIN")
            try body(db)
            try db.execute(sql: "COMMIT")
        }
    }

    public func storeKeys(_ entries: UnsafeBufferPointer<SubjectSpillEntry>) throws {
        try insert(entries, sql: "INSERT OR IGNORE INTO spill_key(k, node) VALUES (?, ?)")
    }

    /// Inserts every entry (key, value) with `sql`, in one transaction.
    private func insert(_ entries: UnsafeBufferPointer<SubjectSpillEntry>, sql: String) throws {
        try batch { db in
            let insert = try BulkStatement(db, sql: sql)
            for e in entries {
                try insert.run {
                    sqlite3_bind_int64($0, 1, Int64(bitPattern: e.key))
                    sqlite3_bind_int64($0, 2, Int64(e.value))
                }
            }
        }
    }

    public func node(ofKey key: UInt64) throws -> UInt32? {
        try access { db in
            let s = try db.cachedStatement(sql: "SELECT node FROM spill_key WHERE k = ?").sqliteStatement
            defer { sqlite3_reset(s) }
            sqlite3_bind_int64(s, 1, Int64(bitPattern: key))
            switch sqlite3_step(s) {
            case SQLITE_ROW: return UInt32(truncatingIfNeeded: sqlite3_column_int64(s, 0))
            case SQLITE_DONE: return nil
            case let rc: throw Self.error(db, rc)
            }
        }
    }

    public func storeObservations(_ entries: UnsafeBufferPointer<SubjectSpillEntry>) throws {
        try insert(entries, sql: "INSERT INTO spill_observation(k, m) VALUES (?, ?)")
    }

    public func forEachKey(_ body: (UInt64, UInt32) throws -> Void) throws {
        try access { db in
            try Self.scan(db, "SELECT k, node FROM spill_key", body)
        }
    }

    public func sortObservations(adding entries: UnsafeBufferPointer<SubjectSpillEntry>, regroup: (UInt64) -> UInt64,
                                 _ body: (UInt64, UInt32) throws -> Void) throws {
        try batch { db in
            try db.execute(sql: "DELETE FROM sort_area")
            let insert = try BulkStatement(db, sql: "INSERT INTO sort_area(k, m) VALUES (?, ?)")
            for e in entries {
                try insert.run {
                    sqlite3_bind_int64($0, 1, Int64(bitPattern: e.key))
                    sqlite3_bind_int64($0, 2, Int64(e.value))
                }
            }
            // Reading one table while inserting into another on the same connection is allowed.
            try Self.scan(db, "SELECT k, m FROM spill_observation") { k, m in
                let g = regroup(k)
                try insert.run {
                    sqlite3_bind_int64($0, 1, Int64(bitPattern: g))
                    sqlite3_bind_int64($0, 2, Int64(m))
                }
            }
        }
        try access { db in
            try Self.scan(db, "SELECT k, m FROM sort_area ORDER BY k", body)
            try db.execute(sql: "DELETE FROM sort_area")
        }
    }

    public var storedBytes: Int {
        (try? access { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let size = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return pages * size
        }) ?? 0
    }

    /// Steps a two-integer-column query, calling `body` per row (raw statement: no per-row
    /// allocation).
    private static func scan(_ db: Database, _ sql: String, _ body: (UInt64, UInt32) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        let s = statement.sqliteStatement
        defer { sqlite3_reset(s) }
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw error(db, rc) }
            try body(UInt64(bitPattern: sqlite3_column_int64(s, 0)), UInt32(truncatingIfNeeded: sqlite3_column_int64(s, 1)))
        }
    }

    private static func error(_ db: Database, _ rc: Int32) -> DatabaseError {
        let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) } ?? "unknown error"
        return DatabaseError(resultCode: ResultCode(rawValue: rc), message: message)
    }
}

extension SubjectMemoryBudget {
    /// A budget of `bytes` spilling to a ``TemporarySubjectSpill`` (in `parent`, default
    /// `$TMPDIR` or `/tmp`) whose SQLite page cache is an eighth of the budget, from 1 to 64 MiB
    /// (beside the budget: the one memory cost of the spill itself).
    public static func spillingToTemporaryDatabase(bytes: Int, inside parent: String? = nil,
                                                   onSpill: (@Sendable (SubjectSpillStatistics) -> Void)? = nil) -> SubjectMemoryBudget {
        let cache = max(1 << 20, min(64 << 20, bytes / 8))
        return SubjectMemoryBudget(bytes: bytes, makeSpill: { try TemporarySubjectSpill.create(inside: parent, cacheBytes: cache) },
                                   onSpill: onSpill)
    }
}
