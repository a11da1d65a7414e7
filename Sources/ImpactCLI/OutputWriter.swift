import ArgumentParser
import Foundation
import ImpactCore
import ImpactReporting
#if canImport(Glibc)
import Glibc
#endif

/// Writes command output: standard output (a closed pipe, as in `impact leak.csv | head`, is
/// a normal end: exit 0 quietly) or a file created owner-only (0600) through a temporary file
/// renamed into place, so that an interrupted run leaves no half-written output; a device or
/// FIFO given as `--out` is written in place, never replaced (``OutputDestination``).
enum OutputWriter {
    /// Ignore SIGPIPE so that a closed pipe surfaces as EPIPE on write; on SIGINT or SIGTERM,
    /// remove the temporary output file being written (if any), say so in one line on standard
    /// error and exit at once: 130 for SIGINT, 143 for SIGTERM (128 + the signal number; the
    /// handler also replaces an ignored disposition inherited from the parent).
    static func installSignalHandling() {
        signal(SIGPIPE, SIG_IGN)
        if interruptMessage == nil { interruptMessage = strdup("impact: interrupted; nothing written (a case is left as it was before the run)\n") }
        let onInterrupt: @convention(c) (Int32) -> Void = { signo in
            if let p = pendingTemporaryPath { unlink(p) }
            if let m = interruptMessage { _ = write(2, m, strlen(m)) }
            _exit(signo == SIGTERM ? ImpactExit.terminated : ImpactExit.interrupted)
        }
        signal(SIGINT, onInterrupt)
        signal(SIGTERM, onInterrupt)
        // A parent may have left them blocked (the mask is inherited across exec).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &set, nil)
    }

    /// Writes `data` to standard output. Exits 0 on a broken pipe.
    static func writeStdout(_ data: Data) throws {
        try data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            var off = 0
            while off < buf.count {
                let n = write(1, buf.baseAddress! + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { exit(0) }
                    throw CLIError.cannotWrite("standard output: \(String(cString: strerror(errno)))")
                }
                off += n
            }
        }
    }

    /// Writes a report to `path` (0600, atomically) or to standard output.
    /// - Throws: `ExitCode(ImpactExit.cannotWrite)` after telling why on standard error.
    static func emit(_ data: Data, to path: String?) throws {
        do {
            if let path { try writeFile(data, to: path) } else { try writeStdout(data) }
        } catch {
            note("\(error)")
            throw ExitCode(ImpactExit.cannotWrite)
        }
    }

    /// One line on standard error, prefixed `impact: ` (kinds, paths and counts only). Control
    /// characters (from a file name, say) become `?`: nothing drives the terminal.
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((OutputSafety.plainText("impact: " + line) + "\n").utf8))
    }

    /// Writes `data` to `path` as ``OutputDestination`` plans it: a missing path or a regular
    /// file (or a symbolic link's regular target) is replaced atomically by a 0600 file; a
    /// character device or FIFO (`/dev/null`, a named pipe) is written in place; `/dev/stdout`
    /// is standard output (a closed reader ends the run quietly, exit 0, as for a pipe); a
    /// directory, block device or socket is refused.
    static func writeFile(_ data: Data, to path: String) throws {
        do {
            try OutputDestination.write(data, to: path, temporary: setPendingTemporaryPath)
        } catch OutputDestinationError.brokenPipe {
            exit(0)
        } catch let e as OutputDestinationError {
            throw CLIError.cannotWrite(e.description)
        }
    }
}

enum CLIError: Error, CustomStringConvertible {
    case cannotWrite(String)
    var description: String {
        switch self {
        case .cannotWrite(let s): return "cannot write \(s)"
        }
    }
}

/// The temporary output file being written, as a C string the signal handler can unlink
/// (async-signal-safe: no allocation in the handler).
nonisolated(unsafe) private var pendingTemporaryPath: UnsafeMutablePointer<CChar>?

/// The line the signal handler writes, allocated before any signal can come.
nonisolated(unsafe) private var interruptMessage: UnsafeMutablePointer<CChar>?

private func setPendingTemporaryPath(_ path: String?) {
    let old = pendingTemporaryPath
    pendingTemporaryPath = path.map { strdup($0) }
    free(old)
}
