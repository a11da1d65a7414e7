import Foundation
import ImpactTestSupport
import Testing
@testable import ImpactIngest

private func inflated(_ compressed: [UInt8], chunks: [Int] = [], readSize: Int = 4096) throws -> [UInt8] {
    try readAll(GzipByteSource(MemoryByteSource(compressed, chunkSizes: chunks)), readSize: readSize)
}

@Test func gzipSingleMemberRoundTrips() throws {
    let text = bytes(String(repeating: "nom;prenom;email\nDurand;Léa;lea@exemple.fr\n", count: 500))
    let compressed = gzip(text)
    #expect(try inflated(compressed) == text)
    // Tiny reads of the compressed and of the decompressed stream give the same bytes.
    #expect(try inflated(compressed, chunks: [1, 3, 7], readSize: 5) == text)
}

@Test func gzipMultiMemberStreamIsReadWhole() throws {
    let first = bytes("id,email\n1,a@exemple.fr\n")
    let second = bytes("2,b@exemple.fr\n3,c@exemple.fr\n")
    let stream = gzip(first) + gzip(second)
    #expect(try inflated(stream) == first + second)
    #expect(try inflated(stream, chunks: [1], readSize: 3) == first + second)
}

@Test func gzipZeroPaddingAfterTheLastMemberIsIgnored() throws {
    let text = bytes("a,b\n1,2\n")
    #expect(try inflated(gzip(text) + [UInt8](repeating: 0, count: 512)) == text)
}

@Test func gzipGarbageAfterAMemberIsCorrupt() throws {
    let text = bytes("a,b\n1,2\n")
    let error = try #require(throws: IngestError.self) { try inflated(gzip(text) + bytes("not gzip")) }
    #expect(error.kind == .corruptGzip)
}

@Test func gzipTruncatedAtAnyPointIsAnError() throws {
    let text = bytes(String(repeating: "Bousquet;Nicole;22/10/1960;F;260102904738472\n", count: 400))
    let compressed = gzip(text)
    // Cut in the header, in the deflate data, just before and inside the 8-byte trailer.
    for cut in [0, 1, 5, 10, 20, compressed.count / 3, compressed.count / 2, compressed.count - 9,
                compressed.count - 8, compressed.count - 4, compressed.count - 1] {
        let error = try #require(throws: IngestError.self, "cut at \(cut)") {
            try inflated(Array(compressed[0..<cut]))
        }
        #expect(error.kind == .truncatedGzip, "cut at \(cut)")
        #expect(error.message == "gzip stream ends unexpectedly (truncated)")
        #expect(error.byteOffset == cut, "cut at \(cut)")
    }
}

/// Case folder: 025-truncated-gzip. Also through the prefetching thread (`prefetched`): the
/// error comes after every byte inflated before it.
@Test(arguments: [false, true])
func gzipTruncatedStillDeliversThePrefixBeforeTheError(prefetched: Bool) throws {
    let text = bytes(String(repeating: "0123456789", count: 10_000))
    let compressed = gzip(text, level: 0)   // stored blocks: the prefix is recoverable
    let plain = try GzipByteSource(MemoryByteSource(Array(compressed[0..<(compressed.count / 2)])))
    let source: ByteSource = prefetched ? PrefetchingByteSource.start(plain, chunkSize: 3_000, chunks: 2) : plain
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1000)
    let error = try #require(throws: IngestError.self) {
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
    }
    #expect(error.kind == .truncatedGzip)
    #expect(received.count > 40_000)
    #expect(Array(text[0..<received.count]) == received)
    // Reading again repeats the error instead of pretending the stream ended.
    #expect(throws: IngestError.self) { try buffer.withUnsafeMutableBytes { try source.read(into: $0) } }
}

@Test func gzipCRCMismatchIsCorrupt() throws {
    var compressed = gzip(bytes("id,nir\n1,260102904738472\n"))
    compressed[compressed.count - 8] ^= 0xFF   // first byte of the CRC-32 trailer
    let error = try #require(throws: IngestError.self) { try inflated(compressed) }
    #expect(error.kind == .corruptGzip)
    #expect(error.message == "gzip CRC check failed (data corrupt)")
}

@Test func gzipLengthMismatchIsCorrupt() throws {
    var compressed = gzip(bytes("id,nir\n1,260102904738472\n"))
    compressed[compressed.count - 4] ^= 0x01   // ISIZE
    let error = try #require(throws: IngestError.self) { try inflated(compressed) }
    #expect(error.kind == .corruptGzip)
    #expect(error.message == "gzip length check failed (data corrupt)")
}

@Test func gzipBadDeflateDataIsCorrupt() throws {
    var compressed = gzip(bytes(String(repeating: "abcdef", count: 200)))
    for i in 10..<20 { compressed[i] = 0xFF }
    let error = try #require(throws: IngestError.self) { try inflated(compressed) }
    #expect(error.kind == .corruptGzip)
}

@Test func gzipSampleGivesTheSameRecordsAsThePlainSample() throws {
    let (plain, plainDescription, _) = try parseFile(sharedPath("samples/labs_fr_cp1252.csv"))
    let (zipped, zippedDescription, _) = try parseFile(sharedPath("samples/labs_fr_cp1252.csv.gz"))
    #expect(zipped.records.count == 6000)
    #expect(zippedDescription.compression == "gzip")
    #expect(zippedDescription.encoding == "windows-1252")
    #expect(zippedDescription.delimiter == ";")
    #expect(zippedDescription.bytes == 289_231)
    #expect(plainDescription.compression == nil)
    #expect(plainDescription.bytes == 1_517_198)
    #expect(zipped.names == plain.names)
    #expect(zipped.records == plain.records)
    #expect(zippedDescription.lines == plainDescription.lines)
    #expect(zippedDescription.lines == 6001)
}

@Test func gzipIsDetectedByMagicBytesNotByName() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = bytes("a;b\n1;2\n")
    let hidden = dir.appendingPathComponent("export.csv")        // gzip without .gz
    let plain = dir.appendingPathComponent("export2.csv.gz")     // plain text named .gz
    try Data(gzip(text)).write(to: hidden)
    try Data(text).write(to: plain)
    let a = try InputOpener.open(path: hidden.path)
    #expect(a.compression == "gzip")
    #expect(try readAll(a.source) == text)
    let b = try InputOpener.open(path: plain.path)
    #expect(b.compression == nil)
    #expect(b.storedBytes == text.count)
    #expect(try readAll(b.source) == text)
}
