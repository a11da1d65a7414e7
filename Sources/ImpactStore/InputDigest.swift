import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The identity of an input file: its size and the SHA-256 (FIPS 180-4) of its stored bytes
/// (the compressed bytes of a `.gz`), computed in one streaming pass with a fixed 1 MiB buffer.
///
/// Behaviour: a case recognises a file it has already analysed by this digest, whatever its
/// name or path, and does not count it again.
///
/// Contract: `path` must be a regular file (standard input cannot be recognised on a later
/// run). Errors: ``InputDigest/Failure`` with the `errno` text, never file content.
public struct InputDigest: Sendable, Equatable {
    /// Bytes of the file.
    public var size: Int
    /// Lowercase hex SHA-256 of the file's bytes.
    public var sha256: String

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        /// True when the file does not exist or cannot be opened.
        public var cannotOpen: Bool
        public var description: String { "\(path): \(message)" }
    }

    /// Hashes the file at `path`.
    public static func of(path: String) throws -> InputDigest {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw Failure(path: path, message: "cannot open: \(String(cString: strerror(errno)))", cannotOpen: true)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw Failure(path: path, message: "cannot stat: \(String(cString: strerror(errno)))", cannotOpen: true)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw Failure(path: path, message: "not a regular file (a case records files only)", cannotOpen: true)
        }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var size = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, message: "read error at byte \(size): \(String(cString: strerror(errno)))", cannotOpen: false)
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            size += n
        }
        return InputDigest(size: size, sha256: CaseKey.hex(Array(hasher.finalize())))
    }
}
