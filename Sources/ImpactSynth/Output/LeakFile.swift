import CZlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The leak file being written: plain or gzip-compressed, fed in large chunks.
///
/// Gzip goes through zlib's `deflateInit2` with windowBits 31 (gzip wrapper, header mtime 0,
/// so the same input gives the same bytes) in a streaming fashion: memory stays at one
/// input chunk plus one output chunk whatever the file size.
final class LeakFile {
    private let handle: FileHandle
    private var stream: UnsafeMutablePointer<z_stream>?
    private var deflated: [UInt8]
    private(set) var bytesWritten = 0

    /// Opens (creating it owner-only, 0600) the file at `url`, truncated.
    init(url: URL, gzip: Bool) throws {
        let fd = try LeakFile.openOwnerOnly(url.path)
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        deflated = []
        if gzip {
            let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            s.initialize(to: z_stream())
            let rc = deflateInit2_(s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8,
                                   Z_DEFAULT_STRATEGY, zlibVersion(),
                                   Int32(MemoryLayout<z_stream>.size))
            guard rc == Z_OK else {
                s.deinitialize(count: 1)
                s.deallocate()
                throw SynthError.compression("deflateInit2 failed (\(rc))")
            }
            stream = s
            deflated = [UInt8](repeating: 0, count: 1 << 18)
        }
    }

    /// `open(2)` for writing, truncated, created 0600; an existing regular file is made 0600
    /// too (README: files `impact` writes are owner-only). The path is opened, never replaced:
    /// a symbolic link is written through, a FIFO or device in place.
    static func openOwnerOnly(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SynthError.io("cannot create \((path as NSString).lastPathComponent)") }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && fchmod(fd, 0o600) != 0 {
            _ = Glibc.close(fd)
            throw SynthError.io("cannot make \((path as NSString).lastPathComponent) owner-only")
        }
        return fd
    }

    /// Writes `data` to `path` through ``openOwnerOnly(_:)``.
    static func writeOwnerOnly(_ data: Data, to path: String) throws {
        let handle = FileHandle(fileDescriptor: try openOwnerOnly(path), closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
        } catch {
            throw SynthError.io("cannot write \((path as NSString).lastPathComponent)")
        }
    }

    deinit {
        if let s = stream {
            deflateEnd(s)
            s.deinitialize(count: 1)
            s.deallocate()
        }
    }

    /// Writes (or compresses) `bytes`.
    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        if stream != nil {
            try bytes.withUnsafeBufferPointer { try deflate(input: $0, finish: false) }
        } else {
            try put(bytes[...])
        }
    }

    /// Flushes the compressor and closes the file.
    func close() throws {
        if stream != nil {
            let empty: [UInt8] = []
            try empty.withUnsafeBufferPointer { try deflate(input: $0, finish: true) }
        }
        do { try handle.close() } catch { throw SynthError.io("cannot close the leak file") }
    }

    private func put(_ bytes: ArraySlice<UInt8>) throws {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw SynthError.io("write failed after \(bytesWritten) bytes")
        }
        bytesWritten += bytes.count
    }

    private func deflate(input: UnsafeBufferPointer<UInt8>, finish: Bool) throws {
        guard let s = stream else { return }
        s.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        s.pointee.avail_in = UInt32(input.count)
        let capacity = deflated.count
        while true {
            let (produced, rc): (Int, Int32) = deflated.withUnsafeMutableBufferPointer { out in
                s.pointee.next_out = out.baseAddress
                s.pointee.avail_out = UInt32(capacity)
                let rc = CZlib.deflate(s, finish ? Z_FINISH : Z_NO_FLUSH)
                return (capacity - Int(s.pointee.avail_out), rc)
            }
            guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else {
                throw SynthError.compression("deflate failed (\(rc))")
            }
            if produced > 0 { try put(deflated[0..<produced]) }
            if finish {
                if rc == Z_STREAM_END { break }
            } else if s.pointee.avail_in == 0 && s.pointee.avail_out > 0 {
                break
            }
        }
        s.pointee.next_in = nil
    }
}

/// The byte buffer rows are built in; flushed to the ``LeakFile`` by the caller every MiB.
///
/// All appends are byte copies; numbers are written digit by digit (no `String` per value).
struct OutputBuffer {
    var bytes: [UInt8] = []
    static let flushThreshold = 1 << 20

    init() { bytes.reserveCapacity(OutputBuffer.flushThreshold + (1 << 16)) }

    @inline(__always) mutating func append(_ b: UInt8) { bytes.append(b) }
    @inline(__always) mutating func append(_ bs: [UInt8]) { bytes.append(contentsOf: bs) }

    /// Writes the buffer to `file` when it holds at least ``flushThreshold`` bytes.
    @inline(__always) mutating func flushIfFull(_ file: LeakFile) throws {
        if bytes.count >= OutputBuffer.flushThreshold { try flush(file) }
    }

    mutating func flush(_ file: LeakFile) throws {
        try file.write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}

/// Digit writers for scratch byte arrays.
enum Digits {
    /// Appends `value` (≥ 0) in decimal, left-padded with zeros to `width`.
    @inline(__always)
    static func append(_ value: Int, width: Int = 1, to out: inout [UInt8]) {
        var v = value
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { raw in
            repeat {
                raw[n] = UInt8(48 + v % 10)
                v /= 10
                n += 1
            } while v > 0 && n < 20
            while n < width && n < 20 { raw[n] = 48; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(raw[i]) }
        }
    }

    /// Appends `scaled / 10^decimals` with `separator` as the decimal mark.
    @inline(__always)
    static func appendDecimal(_ scaled: Int, decimals: Int, separator: UInt8,
                              to out: inout [UInt8]) {
        guard decimals > 0 else { append(scaled, to: &out); return }
        var p = 1
        for _ in 0..<decimals { p *= 10 }
        append(scaled / p, to: &out)
        out.append(separator)
        append(scaled % p, width: decimals, to: &out)
    }
}
