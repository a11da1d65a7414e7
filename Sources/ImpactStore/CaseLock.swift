import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The exclusive lock of a case: `flock(LOCK_EX | LOCK_NB)` on `CASE.db.lock` (created 0600,
/// never deleted: deleting a lock file races with its next taker).
///
/// Behaviour: a run takes the lock before it reads the case and holds it until it has
/// committed; a second run on the same case fails at once with ``CaseStoreError/Kind/locked``
/// instead of waiting or corrupting the case. The kernel releases the lock when the holder
/// exits, even on SIGKILL, so an interrupted run never leaves a stale lock. Readers
/// (`impact report`, `impact cases list`) do not take it: they read the last committed state.
/// `flock` locks belong to an open file description, so two opens in one process exclude
/// each other too.
public final class CaseLock {
    private var fd: Int32
    public let path: String

    /// Takes the lock at `path`, creating the file (0600) when missing.
    /// - Throws: ``CaseStoreError/Kind/locked`` when another run holds it;
    ///   ``CaseStoreError/Kind/cannotWrite`` when the file cannot be created.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CaseStoreError(.cannotWrite, path: path, message: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(fd)
            if busy {
                throw CaseStoreError(.locked, path: path,
                                     message: "the case is in use by another run of impact (try again when it has finished)")
            }
            throw CaseStoreError(.cannotWrite, path: path, message: "cannot lock: \(reason)")
        }
        self.fd = fd
    }

    /// Releases the lock (also done on deinit).
    public func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
