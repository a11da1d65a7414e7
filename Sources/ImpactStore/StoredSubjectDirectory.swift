import Foundation
import GRDB
import ImpactCore

/// Answers the ``SubjectLinker``'s questions about earlier runs of a case from the case
/// database, by keyed digest only.
///
/// Behaviour: for a key new to this run, computes its digest (``SubjectDigester``) and looks
/// it up in `subject_key`. A sorted array of the first 8 bytes of every stored digest
/// (8 bytes per stored key) answers "not stored" without touching SQLite, which is the
/// common case; a prefix hit is confirmed by the full 32-byte digest in SQLite, so answers
/// are exact. Health professionals are looked up in `health_professional` the same way.
///
/// Contract: used on one thread, inside the GRDB access that owns `db`, before that access
/// ends. SQLite errors cannot be thrown through ``SubjectDirectory``: the first one is kept in
/// ``firstError`` (answers are then "not stored") and the run must be abandoned.
final class StoredSubjectDirectory: SubjectDirectory {
    private let db: Database
    private let digester: SubjectDigester
    private let prefixes: [UInt64]
    private let hasProfessionals: Bool
    private(set) var firstError: Error?
    /// Lookups that reached SQLite, and hits (for the run's statistics).
    private(set) var sqliteLookups = 0
    private(set) var hits = 0

    init(db: Database, digester: SubjectDigester) throws {
        self.db = db
        self.digester = digester
        var prefixes: [UInt64] = []
        prefixes.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM subject_key") ?? 0)
        let cursor = try Data.fetchCursor(db, sql: "SELECT digest FROM subject_key")
        while let d = try cursor.next() { prefixes.append(Self.prefix(d)) }
        prefixes.sort()
        self.prefixes = prefixes
        hasProfessionals = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM health_professional)") ?? false
    }

    @inline(__always) static func prefix(_ d: Data) -> UInt64 {
        var v: UInt64 = 0
        for (i, b) in d.prefix(8).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return v
    }

    private func mayBeStored(_ p: UInt64) -> Bool {
        var lo = 0, hi = prefixes.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if prefixes[mid] < p { lo = mid + 1 } else { hi = mid }
        }
        return lo < prefixes.count && prefixes[lo] == p
    }

    func storedSubject(for key: SubjectKey) -> Int? {
        guard !prefixes.isEmpty, firstError == nil else { return nil }
        let d = digester.subject(key)
        guard mayBeStored(Self.prefix(d)) else { return nil }
        sqliteLookups += 1
        do {
            let s = try Int.fetchOne(db.cachedStatement(sql: "SELECT subject FROM subject_key WHERE digest = ?"), arguments: [d])
            if s != nil { hits += 1 }
            return s
        } catch {
            firstError = error
            return nil
        }
    }

    func isStoredHealthProfessional(_ key: SubjectKey, controller: Int?) -> Bool {
        guard hasProfessionals, firstError == nil else { return false }
        let d = digester.professional(key)
        do {
            if let controller {
                return try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM health_professional WHERE digest = ? AND controller = ?)"),
                                         arguments: [d, controller]) ?? false
            }
            return try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM health_professional WHERE digest = ?)"),
                                     arguments: [d]) ?? false
        } catch {
            firstError = error
            return false
        }
    }
}
