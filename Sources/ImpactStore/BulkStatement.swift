import Foundation
import GRDB
import GRDBSQLite

/// A prepared statement executed many times in a row (one per subject, key or presence)
/// through SQLite's C API: bind, step, reset.
///
/// Behaviour: GRDB's per-execution bookkeeping (argument arrays, observation hooks, queue
/// checks) costs more than SQLite's own insert (measured on 360,000 key inserts: 4.8 s of
/// CPU through `Statement.execute(arguments:)`; the `sqlite3` shell inserts the same rows in
/// under 2 s); the bulk writes of a run bypass it. The statement is prepared by GRDB on the same connection and
/// runs inside the run's transaction, which GRDB opened and commits.
///
/// Contract: used only inside the GRDB access that owns `db`. Errors are thrown as GRDB's
/// `DatabaseError` with SQLite's result code and message (no argument values).
struct BulkStatement {
    private let statement: Statement
    private let db: Database

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
    }

    /// Binds parameters with `bind` (given the raw statement), steps once, resets.
    /// - Returns: rows changed (`sqlite3_changes`).
    @discardableResult
    func run(_ bind: (OpaquePointer) -> Void) throws -> Int {
        let s = statement.sqliteStatement
        bind(s)
        let rc = sqlite3_step(s)
        sqlite3_reset(s)
        guard rc == SQLITE_DONE else {
            let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) } ?? "unknown error"
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: message)
        }
        return db.sqliteConnection.map { Int(sqlite3_changes($0)) } ?? 0
    }

    /// Binds an integer parameter (1-based).
    static func bind(_ s: OpaquePointer, _ index: Int32, _ value: Int) {
        sqlite3_bind_int64(s, index, sqlite3_int64(value))
    }

    /// Binds a BLOB parameter; SQLite copies it (`SQLITE_TRANSIENT`).
    static func bind(_ s: OpaquePointer, _ index: Int32, _ value: Data) {
        value.withUnsafeBytes { b in
            _ = sqlite3_bind_blob(s, index, b.baseAddress, Int32(b.count), transient)
        }
    }

    /// SQLite's `SQLITE_TRANSIENT` destructor (the C macro is not imported).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
