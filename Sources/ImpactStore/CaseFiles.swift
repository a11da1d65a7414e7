import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of a case beside each other: `CASE.db`, `CASE.db.key`, `CASE.db.lock` (and
/// SQLite's `CASE.db-wal`, `CASE.db-shm`, `CASE.db-journal` while a connection is open).
///
/// Behaviour: every file `impact` creates for a case is created owner-only (mode 0600) with
/// `O_EXCL`, before SQLite first opens it; SQLite then gives its `-wal`, `-shm` and `-journal`
/// files the mode of the database file, so they are 0600 too whatever the process umask
/// (`findCreateFileMode` in SQLite's `os_unix.c`). The CLI also sets the umask to 077.
public struct CaseFiles: Sendable, Equatable {
    /// The SQLite database.
    public let database: String
    /// The 256-bit case key (64 hex digits); keep it apart from the database's backups.
    public let key: String
    /// The lock file taken with `flock` by a run.
    public let lock: String

    /// The files of the case at `database`; `key` defaults to `database + ".key"`.
    public init(database: String, key: String? = nil) {
        self.database = database
        self.key = key ?? database + ".key"
        self.lock = database + ".lock"
    }

    /// SQLite's companion files of the database (present while a connection is open, or
    /// after a crash).
    public var sqliteCompanions: [String] {
        [database + "-wal", database + "-shm", database + "-journal"]
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Mode bits (`st_mode & 0o777`) of `path`, or nil when it does not exist.
    public static func permissions(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_mode) & 0o777
    }

    /// Creates `path` empty with mode 0600; fails if it exists.
    static func createOwnerOnly(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CaseStoreError(.cannotWrite, path: path, message: "cannot create: \(String(cString: strerror(errno)))")
        }
        // The umask can only remove bits; make the mode exact anyway.
        _ = fchmod(fd, 0o600)
        close(fd)
    }

    /// Writes `bytes` to a new owner-only file (fails if it exists), synced to disk.
    static func writeNewOwnerOnly(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CaseStoreError(.cannotWrite, path: path, message: "cannot create: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        _ = fchmod(fd, 0o600)
        var off = 0
        let ok = bytes.withUnsafeBytes { buf -> Bool in
            while off < buf.count {
                let n = write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 { if errno == EINTR { continue }; return false }
                off += n
            }
            return fsync(fd) == 0
        }
        if !ok {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw CaseStoreError(.cannotWrite, path: path, message: "cannot write: \(reason)")
        }
    }

    /// The whole content of a small file, or nil when it does not exist.
    static func readSmall(_ path: String, limit: Int = 4096) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw CaseStoreError(.wrongKey, path: path, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 512)
        while out.count <= limit {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw CaseStoreError(.wrongKey, path: path, message: "cannot read: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }
}
