#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file or standard input read through POSIX `read(2)`, never loaded whole.
///
/// Each ``read(into:)`` issues one `read` (retried on `EINTR`) straight into the caller's
/// buffer, so the caller's fixed buffer is the only buffer. The path `"-"` means standard
/// input, which is read but never closed.
///
/// Contract: `init` throws ``IngestError`` `.notFound`, `.isDirectory` or `.io` (permission
/// denied and the like, with the system's reason); reads throw `.io`. Messages carry the path
/// and the reason only, never file content.
public final class FileByteSource: ByteSource {
    /// The path as given (`"-"` for standard input).
    public let path: String
    /// The size of a regular file in bytes; 0 for standard input, pipes and devices.
    public let size: Int
    private let fd: Int32
    private let ownsDescriptor: Bool
    public private(set) var storedBytesRead: Int = 0

    public init(path: String) throws(IngestError) {
        self.path = path
        if path == "-" {
            fd = 0
            ownsDescriptor = false
        } else {
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            if opened < 0 {
                let code = errno
                throw IngestError(Self.kind(of: code), path: path, message: Self.openMessage(code))
            }
            fd = opened
            ownsDescriptor = true
        }
        var info = stat()
        if fstat(fd, &info) != 0 {
            let code = errno
            if ownsDescriptor { close(fd) }
            throw IngestError(.io, path: path, message: "cannot read file status: \(Self.reason(code))")
        }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR {
            if ownsDescriptor { close(fd) }
            throw IngestError(.isDirectory, path: path, message: "is a directory, not a file")
        }
        size = type == S_IFREG ? Int(info.st_size) : 0
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            #if canImport(Darwin)
            let n = Darwin.read(fd, base, buffer.count)
            #elseif canImport(Glibc)
            let n = Glibc.read(fd, base, buffer.count)
            #else
            let n = Musl.read(fd, base, buffer.count)
            #endif
            if n >= 0 {
                storedBytesRead += n
                return n
            }
            let code = errno
            if code == EINTR { continue }
            // EISDIR is reported here on some systems when a directory was opened.
            if code == EISDIR {
                throw IngestError(.isDirectory, path: path, message: "is a directory, not a file")
            }
            throw IngestError(.io, path: path, byteOffset: storedBytesRead,
                              message: "read failed: \(Self.reason(code))")
        }
    }

    private static func kind(of code: Int32) -> IngestError.Kind {
        switch code {
        case ENOENT, ENOTDIR: return .notFound
        case EISDIR: return .isDirectory
        default: return .io
        }
    }

    private static func openMessage(_ code: Int32) -> String {
        switch code {
        case ENOENT, ENOTDIR: return "no such file"
        case EISDIR: return "is a directory, not a file"
        case EACCES, EPERM: return "cannot open: permission denied"
        default: return "cannot open: \(reason(code))"
        }
    }

    /// The system's description of `errno` `code` (no user data in it).
    static func reason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
