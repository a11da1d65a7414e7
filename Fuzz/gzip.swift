// Fuzz target: GzipByteSource (ImpactIngest) over an in-memory source.
//
// Properties:
// - any bytes taken as a gzip stream: no crash, no sanitizer report, no hang; the same output
//   and the same error whatever the sizes of the underlying reads and of the caller's buffers;
//   an error is an IngestError (truncated or corrupt gzip), thrown again by the next read;
// - the input compressed by zlib (one member, level drawn from the input) inflates to exactly
//   the input; two members to the input twice; zero padding after a member is ignored;
// - every strict prefix of a compressed stream fails with `truncatedGzip` after handing over
//   a prefix of the input: a cut download is never a silent partial stream;
// - a non-zero byte that is not a gzip member after the stream fails with `corruptGzip`.

import CZlib
import ImpactIngest

/// Compresses `data` as one gzip member.
func gzipMember(_ data: [UInt8], level: Int32) -> [UInt8] {
    var stream = z_stream()
    var status = deflateInit2_(&stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY,
                               zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    fuzzCheck(status == Z_OK, "deflateInit2 failed")
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
    fuzzCheck(status == Z_STREAM_END, "deflate did not finish")
    deflateEnd(&stream)
    return Array(out[0..<produced])
}

func inflate(_ stored: [UInt8], sourceChunks: [Int], bufferSizes: [Int]) -> (bytes: [UInt8], error: IngestError?) {
    let source: GzipByteSource
    do {
        source = try GzipByteSource(FuzzMemorySource(stored, chunkSizes: sourceChunks))
    } catch {
        fuzzCheck(false, "GzipByteSource.init threw")
        fatalError()
    }
    let result = fuzzReadAll(source, bufferSizes: bufferSizes)
    if let error = result.error {
        fuzzCheck([.truncatedGzip, .corruptGzip, .io].contains(error.kind), "unexpected error kind \(error.kind)")
        // The failure is sticky.
        var one: UInt8 = 0
        do {
            _ = try withUnsafeMutableBytes(of: &one) { try source.read(into: $0) }
            fuzzCheck(false, "a read after a failure did not throw")
        } catch let again as IngestError {
            fuzzCheck(again == error, "a read after a failure threw another error")
        } catch {
            fuzzCheck(false, "a read after a failure threw something other than IngestError")
        }
    }
    return result
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: pointer, count: size)
    let data = Array(raw)
    var random = FuzzRandom(seed: fuzzSeed(raw))

    // 1. The input itself as a gzip stream (mostly corrupt).
    let reference = inflate(data, sourceChunks: [], bufferSizes: [64 << 10])
    for chunks in fuzzChunkings(count: size, random: &random, maxChunk: 32, byteLimit: 512) {
        let buffers = (0..<5).map { _ in random.int(1...4096) }
        let other = inflate(data, sourceChunks: chunks, bufferSizes: buffers)
        fuzzCheck(other.bytes == reference.bytes && other.error?.kind == reference.error?.kind,
                  "inflating differs under another chunking")
    }

    // 2. The input compressed: round trip, members, padding, truncation, trailing junk.
    let member = gzipMember(data, level: Int32(random.int(0...9)))
    let chunks = fuzzChunkings(count: member.count, random: &random, maxChunk: 64, byteLimit: 0).first ?? []
    let buffers = (0..<5).map { _ in random.int(1...512) }
    let round = inflate(member, sourceChunks: chunks, bufferSizes: buffers)
    fuzzCheck(round.error == nil && round.bytes == data, "a zlib gzip member does not inflate to its input")
    let twice = inflate(member + member, sourceChunks: [], bufferSizes: buffers)
    fuzzCheck(twice.error == nil && twice.bytes == data + data, "two members do not inflate to the input twice")
    let padded = inflate(member + [UInt8](repeating: 0, count: random.int(1...600)), sourceChunks: chunks, bufferSizes: buffers)
    fuzzCheck(padded.error == nil && padded.bytes == data, "zero padding after a member is not ignored")
    for _ in 0..<3 {
        let cut = random.int(0...(member.count - 1))
        let prefix = Array(member[0..<cut])
        let truncated = inflate(prefix, sourceChunks: chunks, bufferSizes: buffers)
        fuzzCheck(truncated.error?.kind == .truncatedGzip,
                  "a stream cut at \(cut) of \(member.count) gave \(truncated.error.map { "\($0.kind)" } ?? "no error")")
        fuzzCheck(truncated.bytes.count <= data.count && Array(data[0..<truncated.bytes.count]) == truncated.bytes,
                  "a truncated stream handed over bytes that are not a prefix of the input")
    }
    // A non-zero byte other than the gzip magic after the member.
    let junk = UInt8(random.int(2...255))
    let trailing = inflate(member + [junk], sourceChunks: [], bufferSizes: buffers)
    fuzzCheck(trailing.bytes == data, "bytes before trailing junk are not handed over")
    fuzzCheck(trailing.error?.kind == .corruptGzip || trailing.error?.kind == .truncatedGzip,
              "trailing junk after a member is not reported (\(trailing.error.map { "\($0.kind)" } ?? "no error"))")
    return 0
}
