/// Why a case database could not be opened, read or written.
///
/// Behaviour: like every error of `impact`, it carries a kind and a path, never a value of a
/// leak (the case database holds none; messages name files and SQLite result codes only, and
/// GRDB hides statement arguments from its errors by default).
///
/// Contract: the CLI maps ``Kind`` to exit codes (`ImpactExit`): ``Kind/locked`` → 75,
/// ``Kind/notFound`` and ``Kind/noCompletedRun`` → 66, ``Kind/cannotWrite`` → 74,
/// ``Kind/database`` → 1 (internal error), ``Kind/usage`` → 64, the others → 78 (case unusable).
public struct CaseStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Another run holds the case's lock (`CASE.db.lock`).
        case locked
        /// The case database does not exist (`impact report`, `impact cases`).
        case notFound
        /// The case exists but no run has been completed in it yet.
        case noCompletedRun
        /// The key file is missing beside an existing case database.
        case missingKey
        /// The key file is malformed, or is not the key this case was created with.
        case wrongKey
        /// The file is not an `impact` case database (not SQLite, or other tables).
        case notACase
        /// The case was written by a newer `impact` (unknown migrations).
        case newerSchema
        /// A case file cannot be created or written (permissions, disk full).
        case cannotWrite
        /// SQLite reported an error while reading the case.
        case database
        /// The run was asked something its inputs cannot give (an unknown `--controller-column`):
        /// nothing is recorded.
        case usage
    }

    public var kind: Kind
    /// The file concerned (database, key or lock file).
    public var path: String
    /// What went wrong, without any value of a leak.
    public var message: String

    public init(_ kind: Kind, path: String, message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
