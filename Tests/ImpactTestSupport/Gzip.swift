import CZlib

/// Compresses `data` as one gzip member (zlib, windowBits 31, RFC 1952), to write `.gz` test
/// inputs; shared by the test targets (the fuzz harness keeps its own, built without SwiftPM).
public func gzip(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
    var stream = z_stream()
    var status = deflateInit2_(&stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY,
                               zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    precondition(status == Z_OK)
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(data.count))) + 64)
    var input = data
    let produced = input.withUnsafeMutableBufferPointer { inp in
        out.withUnsafeMutableBufferPointer { outp in
            stream.next_in = inp.baseAddress
            stream.avail_in = UInt32(inp.count)
            stream.next_out = outp.baseAddress
            stream.avail_out = UInt32(outp.count)
            status = deflate(&stream, Z_FINISH)
            return outp.count - Int(stream.avail_out)
        }
    }
    precondition(status == Z_STREAM_END)
    deflateEnd(&stream)
    return Array(out[0..<produced])
}
