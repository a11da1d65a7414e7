import CZlib

/// The decompressed bytes of a gzip stream read from another byte source, through zlib.
///
/// Streaming with one fixed input buffer (64 KiB); output is inflated straight into the
/// caller's buffer. Every member of a multi-member stream is read (`gzip -c a b > ab.gz`
/// concatenates members): after a member ends, if more input follows, the inflater is reset
/// and continues; zero bytes after the last member (tape/block padding) are ignored.
///
/// Contract: never returns a silent partial stream. The bytes inflated before a failure are
/// returned first; the error is thrown by the next read (and every read after it).
/// - input that ends before the end of a member → `IngestError.truncatedGzip`
///   ("gzip stream ends unexpectedly (truncated)", with the compressed byte offset);
/// - bad header, bad deflate data, CRC or length mismatch, or non-gzip data after a member
///   → `.corruptGzip` (the message says "CRC check failed" for a CRC mismatch);
/// - errors of the wrapped source propagate unchanged.
/// The error's `path` is empty: the reader that knows the path fills it in.
/// Source: RFC 1952 (gzip), zlib manual (`inflateInit2` with windowBits 15 + 32 detects the
/// gzip wrapper and checks CRC-32 and ISIZE).
public final class GzipByteSource: ByteSource {
    private let base: ByteSource
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    /// Bytes of the wrapped source fed to zlib so far (compressed offset).
    private var compressedConsumed = 0
    private var baseEnded = false
    private var memberEnded = false
    /// zlib has no pending output and has used all its input: the next step needs a refill.
    private var needsInput = true
    private var finished = false
    private var failure: IngestError?

    public init(_ base: ByteSource) throws {
        self.base = base
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: 64 << 10, alignment: 16)
        let status = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if status != Z_OK {
            stream.deinitialize(count: 1)
            stream.deallocate()
            input.deallocate()
            throw IngestError(.io, path: "", message: "cannot initialise gzip decompression (zlib status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    public var storedBytesRead: Int { base.storedBytesRead }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let failure { throw failure }
        guard buffer.count > 0, !finished else { return 0 }
        var written = 0
        do {
            return try inflate(into: buffer, written: &written)
        } catch let error as IngestError {
            // Bytes inflated before the failure are handed over first; the error comes next.
            failure = error
            if written > 0 { return written }
            throw error
        }
    }

    /// Inflates into `buffer`; `written` follows the bytes produced, also when it throws.
    private func inflate(into buffer: UnsafeMutableRawBufferPointer, written: inout Int) throws -> Int {
        let capacity = min(buffer.count, Int(UInt32.max))
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = UInt32(capacity)
        var produced: Int { capacity - Int(stream.pointee.avail_out) }
        defer { written = produced }
        while true {
            if memberEnded {
                // Between members: skip zero padding; anything else starts a new member.
                if produced > 0 { return produced }
                if try !skipPadding() {
                    finished = true
                    return 0
                }
                inflateReset(stream)
                memberEnded = false
                needsInput = false
            }
            if needsInput, stream.pointee.avail_in == 0 {
                if produced > 0 { return produced }   // hand over what we have before blocking
                try refill()
                if stream.pointee.avail_in == 0 {
                    // The wrapped source ended inside a member.
                    throw IngestError(.truncatedGzip, path: "", byteOffset: compressedConsumed,
                                      message: "gzip stream ends unexpectedly (truncated)")
                }
            }
            let before = stream.pointee.avail_in
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            compressedConsumed += Int(before - stream.pointee.avail_in)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                // Output space left over means zlib used all the input it could.
                needsInput = stream.pointee.avail_out > 0
                if status == Z_BUF_ERROR, stream.pointee.avail_in > 0, stream.pointee.avail_out > 0 {
                    throw IngestError(.corruptGzip, path: "", byteOffset: compressedConsumed,
                                      message: "corrupt gzip stream (no progress)")
                }
            case Z_STREAM_END:
                memberEnded = true
            case Z_DATA_ERROR:
                throw corruption()
            case Z_NEED_DICT:
                throw IngestError(.corruptGzip, path: "", byteOffset: compressedConsumed,
                                  message: "corrupt gzip stream (needs a preset dictionary)")
            case Z_MEM_ERROR:
                throw IngestError(.io, path: "", byteOffset: compressedConsumed,
                                  message: "out of memory while decompressing gzip")
            default:
                throw IngestError(.corruptGzip, path: "", byteOffset: compressedConsumed,
                                  message: "corrupt gzip stream (zlib status \(status))")
            }
            if stream.pointee.avail_out == 0 { return capacity }
        }
    }

    /// Reads the next block of compressed input into the fixed input buffer.
    private func refill() throws {
        guard !baseEnded else { return }
        let n = try base.read(into: input)
        if n == 0 { baseEnded = true }
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_in = UInt32(n)
    }

    /// After a member: drops zero bytes; returns whether another member's bytes follow.
    private func skipPadding() throws -> Bool {
        while true {
            if stream.pointee.avail_in == 0 {
                try refill()
                if stream.pointee.avail_in == 0 { return false }
            }
            var p = stream.pointee.next_in!
            var left = stream.pointee.avail_in
            while left > 0, p.pointee == 0 {
                p += 1
                left -= 1
                compressedConsumed += 1
            }
            stream.pointee.next_in = p
            stream.pointee.avail_in = left
            if left > 0 { return true }
        }
    }

    private func corruption() -> IngestError {
        let zmsg = stream.pointee.msg.map { String(cString: $0) } ?? ""
        let message: String
        switch zmsg {
        case "incorrect data check": message = "gzip CRC check failed (data corrupt)"
        case "incorrect length check": message = "gzip length check failed (data corrupt)"
        case "incorrect header check", "unknown compression method":
            message = "corrupt gzip stream (not a gzip member: \(zmsg))"
        case "": message = "corrupt gzip stream"
        default: message = "corrupt gzip stream (\(zmsg))"
        }
        return IngestError(.corruptGzip, path: "", byteOffset: compressedConsumed, message: message)
    }
}
