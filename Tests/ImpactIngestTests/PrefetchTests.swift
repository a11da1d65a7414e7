import Foundation
import ImpactTestSupport
import Testing
@testable import ImpactIngest

/// Reading ahead on another thread changes neither the bytes nor the errors nor their order.

@Test func prefetchedGzipGivesTheSameBytesWhateverTheChunkSize() throws {
    let text = bytes(String(repeating: "Bousquet;Nicole;22/10/1960;F;260102904738472\n", count: 3_000))
    let compressed = gzip(text)
    for (chunkSize, chunks, readSize) in [(1, 1, 7), (100, 2, 4096), (4096, 4, 100), (1 << 20, 4, 65536)] {
        let source = PrefetchingByteSource.start(try GzipByteSource(MemoryByteSource(compressed, chunkSizes: [333])),
                                                 chunkSize: chunkSize, chunks: chunks)
        #expect(source is PrefetchingByteSource)
        #expect(try readAll(source, readSize: readSize) == text, "chunks of \(chunkSize)")
        #expect(source.storedBytesRead == compressed.count)
        // The end stays the end.
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try buffer.withUnsafeMutableBytes { try source.read(into: $0) } == 0)
    }
}

@Test func inputOpenerInflatesAheadOnlyWhenAsked() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let text = bytes("a;b\n1;2\n")
    let path = dir.appendingPathComponent("x.csv.gz").path
    try Data(gzip(text)).write(to: URL(fileURLWithPath: path))
    for ahead in [false, true] {
        let opened = try InputOpener.open(path: path, inflateAhead: ahead)
        #expect(opened.compression == "gzip")
        #expect(try readAll(opened.source) == text)
    }
}

/// A source dropped before its end stops the reading thread (no thread left blocked on a full queue).
@Test func droppingAPrefetchingSourceEarlyIsSafe() throws {
    let text = bytes(String(repeating: "x", count: 1 << 20))
    for _ in 0..<20 {
        let source = PrefetchingByteSource.start(MemoryByteSource(text), chunkSize: 1024, chunks: 2)
        var buffer = [UInt8](repeating: 0, count: 10)
        _ = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
    }
}

@Test func boundedQueueKeepsOrderAcrossThreadsAndDrainsAfterClose() {
    let queue = BoundedQueue<Int>(capacity: 3)
    let done = BoundedQueue<Int>(capacity: 1)
    #expect(startThread {
        for i in 0..<1_000 { queue.push(i) }
        queue.close()
        done.push(1)
    })
    var got: [Int] = []
    while let i = queue.pop() { got.append(i) }
    #expect(got == Array(0..<1_000))
    #expect(done.pop() == 1)
    #expect(queue.push(5) == false)
    #expect(queue.waiting == 0)
}

/// A sink taking records without a RecordBuffer gets exactly what a plain sink gets.
@Test func recordViewSinkSeesTheSameRecordsAsAPlainSink() throws {
    final class ViewSink: RecordViewSink {
        let plain = CollectingSink()
        func declareField(_ id: Int, name: String) { plain.declareField(id, name: name) }
        func consume(_ record: RecordBuffer) throws { Issue.record("the reader should use the view entry point") }
        func consume(line: Int, bytes: UnsafeRawBufferPointer, fieldIDs: UnsafeBufferPointer<Int32>,
                     starts: UnsafeBufferPointer<Int32>, ends: UnsafeBufferPointer<Int32>) throws {
            let r = RecordBuffer()
            r.load(line: line, bytes: bytes, fieldIDs: fieldIDs, starts: starts, ends: ends)
            try plain.consume(r)
        }
        func reject(_ rejection: RecordRejection) { plain.reject(rejection) }
        func warn(_ warning: InputWarning) { plain.warn(warning) }
    }
    for name in ["samples/labs_utf8_multiline.csv", "cases/006-ragged-rows/input.csv", "cases/010-nul-byte-in-field/input.csv"] {
        let input = try InputOpener.open(path: sharedPath(name))
        let sink = ViewSink()
        let description = try CSVRecordReader(input: input, path: name).run(into: sink)
        let (plain, expected, _) = try parseFile(sharedPath(name))
        #expect(sink.plain.records == plain.records, "\(name)")
        #expect(sink.plain.warnings == plain.warnings, "\(name)")
        #expect(sink.plain.names == plain.names, "\(name)")
        #expect(description.records == expected.records, "\(name)")
    }
}
