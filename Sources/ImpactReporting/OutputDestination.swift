import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an output file of `impact` (a report, a draft) goes, decided from what the path is
/// now, so that writing never replaces something that is not a regular file.
///
/// Behaviour (decided by `lstat(2)` on the path, then on each symbolic link's target):
/// - a missing path or a regular file: a temporary file in the same directory, created 0600,
///   written, `fsync`ed and `rename(2)`d over the path, so that an interrupted run leaves the
///   previous file (or nothing) and never half a report;
/// - a symbolic link: the same, on the link's final target (the link itself is kept); a link
///   that leads into `/proc` (as `/dev/stdout` → `/proc/self/fd/1`) is written through in place;
/// - `/dev/stdout`, `/dev/stderr` (and `/dev/fd/1|2`, `/proc/self/fd/1|2`): the process's own
///   descriptor 1 or 2, so that `--out /dev/stdout >> log` appends as the shell set it up;
/// - a character device (`/dev/null`, a terminal) or a FIFO: opened and written in place (no
///   create, no truncate, no rename: the node stays what it was);
/// - a directory, a block device, a socket: refused (``OutputDestinationError``).
///
/// Contract: ``plan(_:)`` only inspects (no side effect); ``write(_:to:temporary:)`` throws
/// ``OutputDestinationError`` whose description names the path and the system error, never
/// the data. Source: the tester's finding F1 (`--out /dev/null` replaced `/dev/null`).
public enum OutputDestination {
    /// How a path will be written.
    public enum Plan: Equatable, Sendable {
        /// Temporary file beside `path`, then `rename(2)` over `path` (missing or regular file).
        case replaceAtomically(path: String)
        /// `open(2)` the existing node and write to it (character device, FIFO, `/proc` link).
        case writeInPlace(path: String)
        /// The process's own standard output (1) or standard error (2).
        case standardStream(Int32)
        /// Not written: why (a directory, a block device, a socket, a link loop).
        case refuse(reason: String)
    }

    /// Decides how `path` is written, following symbolic links (at most 40 hops).
    public static func plan(_ path: String) -> Plan {
        if let fd = standardStream(path) { return .standardStream(fd) }
        var current = path
        for _ in 0..<40 {
            var st = stat()
            if lstat(current, &st) != 0 {
                if errno == ENOENT { return .replaceAtomically(path: current) }
                return .refuse(reason: String(cString: strerror(errno)))
            }
            switch st.st_mode & S_IFMT {
            case S_IFREG: return .replaceAtomically(path: current)
            case S_IFCHR, S_IFIFO: return .writeInPlace(path: current)
            case S_IFDIR: return .refuse(reason: "is a directory")
            case S_IFBLK: return .refuse(reason: "is a block device")
            case S_IFSOCK: return .refuse(reason: "is a socket")
            case S_IFLNK:
                guard let target = readLink(current) else { return .refuse(reason: String(cString: strerror(errno))) }
                let next = target.hasPrefix("/") ? target : directory(of: current) + "/" + target
                // Kernel "magic" links (/proc/self/fd/N → "pipe:[…]", a deleted file…) name
                // no path a rename could target: write through the link.
                if next.hasPrefix("/proc/") || current.hasPrefix("/proc/") {
                    if let fd = standardStream(next) { return .standardStream(fd) }
                    return .writeInPlace(path: current)
                }
                current = next
            default: return .refuse(reason: "is not a file")
            }
        }
        return .refuse(reason: "too many levels of symbolic links")
    }

    /// Writes `data` as ``plan(_:)`` decides. `temporary` is told the temporary file's path
    /// before it is created and `nil` once it is renamed or removed (a signal handler removes
    /// it on interrupt). A closed FIFO or stream surfaces as ``OutputDestinationError/brokenPipe``.
    public static func write(_ data: Data, to path: String, temporary: (String?) -> Void = { _ in }) throws {
        switch plan(path) {
        case .refuse(let reason):
            throw OutputDestinationError.cannotWrite(path: path, reason: reason)
        case .standardStream(let fd):
            try writeAll(data, fd: fd, path: path)
        case .writeInPlace(let node):
            let fd = open(node, O_WRONLY | O_CLOEXEC | O_NOCTTY)
            guard fd >= 0 else { throw OutputDestinationError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            defer { close(fd) }
            try writeAll(data, fd: fd, path: path)
        case .replaceAtomically(let target):
            let tmp = directory(of: target) + "/.\((target as NSString).lastPathComponent).\(getpid()).tmp"
            temporary(tmp)
            defer { temporary(nil) }
            let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { throw OutputDestinationError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            do {
                try writeAll(data, fd: fd, path: path)
                guard fchmod(fd, 0o600) == 0, fsync(fd) == 0 else {
                    throw OutputDestinationError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
                }
            } catch {
                close(fd)
                unlink(tmp)
                throw error
            }
            close(fd)
            guard rename(tmp, target) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(tmp)
                throw OutputDestinationError.cannotWrite(path: path, reason: reason)
            }
        }
    }

    /// 1 or 2 when `path` names the process's standard output or error.
    static func standardStream(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1": return 1
        case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2": return 2
        default: return nil
        }
    }

    static func directory(of path: String) -> String {
        let d = (path as NSString).deletingLastPathComponent
        return d.isEmpty ? "." : d
    }

    static func readLink(_ path: String) -> String? {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buf, buf.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func writeAll(_ data: Data, fd: Int32, path: String) throws {
        try data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            var off = 0
            while off < buf.count {
                let n = systemWrite(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { throw OutputDestinationError.brokenPipe(path: path) }
                    throw OutputDestinationError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
                }
                off += n
            }
        }
    }
}

/// Why an output could not be written: the path as given and the reason (no data).
public enum OutputDestinationError: Error, Equatable, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)
    /// The reader of a FIFO or stream went away (EPIPE; SIGPIPE is ignored by the CLI).
    case brokenPipe(path: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): return "\(path): \(reason)"
        case .brokenPipe(let path): return "\(path): the reader closed it"
        }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
