import Foundation
import ImpactTestSupport
@testable import ImpactIngest

/// `../shared` beside the package root (read in place, never copied).
let sharedDirectory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()   // ImpactIngestTests
    .deletingLastPathComponent()   // Tests
    .deletingLastPathComponent()   // package root
    .deletingLastPathComponent()
    .appendingPathComponent("shared")

func sharedPath(_ relative: String) -> String {
    sharedDirectory.appendingPathComponent(relative).path
}

func sharedBytes(_ relative: String) throws -> [UInt8] {
    Array(try Data(contentsOf: sharedDirectory.appendingPathComponent(relative)))
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }


/// Ways to cut `count` bytes into consecutive chunks: whole, one byte at a time, and random
/// splits (fixed seeds, chunk sizes 1…maxChunk).
func chunkings(_ count: Int, maxChunk: Int = 17) -> [(name: String, sizes: [Int])] {
    var result: [(String, [Int])] = [("whole", [count]), ("bytes", Array(repeating: 1, count: count))]
    for seed in [1, 2, 3] as [UInt64] {
        var rng = SeededGenerator(seed: seed)
        var sizes: [Int] = []
        var left = count
        while left > 0 {
            let n = min(left, Int.random(in: 1...maxChunk, using: &rng))
            sizes.append(n)
            left -= n
        }
        result.append(("random\(seed)", sizes))
    }
    return result
}

/// A byte source over memory that returns at most the next chunk size per read.
final class MemoryByteSource: ByteSource {
    let data: [UInt8]
    var sizes: [Int]
    var position = 0
    var sizeIndex = 0
    init(_ data: [UInt8], chunkSizes: [Int] = []) {
        self.data = data
        self.sizes = chunkSizes
    }
    var storedBytesRead: Int { position }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var n = min(buffer.count, data.count - position)
        if !sizes.isEmpty {
            n = min(n, sizes[sizeIndex % sizes.count])
            sizeIndex += 1
        }
        guard n > 0 else { return 0 }
        data.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
        position += n
        return n
    }
}

/// Reads a whole byte source with reads of at most `readSize` bytes.
func readAll(_ source: ByteSource, readSize: Int = 4096) throws -> [UInt8] {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: readSize)
    while true {
        let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        if n == 0 { return out }
        out.append(contentsOf: buffer[0..<n])
    }
}

/// One record as the sink saw it.
struct SeenRecord: Equatable, CustomStringConvertible {
    var line: Int
    var values: [(field: Int, value: String)]
    static func == (a: SeenRecord, b: SeenRecord) -> Bool {
        a.line == b.line && a.values.map(\.field) == b.values.map(\.field) && a.values.map(\.value) == b.values.map(\.value)
    }
    var strings: [String] { values.map(\.value) }
    var description: String { "line \(line): \(values.map { "\($0.field)=\($0.value.debugDescription)" })" }
}

/// A sink that keeps everything it is given.
final class CollectingSink: RecordSink {
    var fields: [Int: String] = [:]
    var declarationOrder: [Int] = []
    var records: [SeenRecord] = []
    var rejections: [RecordRejection] = []
    var warnings: [InputWarning] = []
    /// Field ids used by a record before being declared (contract violations).
    var lateDeclarations: [Int] = []
    /// Fields declared more than once (contract violations).
    var redeclarations: [Int] = []

    func declareField(_ id: Int, name: String) {
        if fields[id] != nil { redeclarations.append(id) }
        fields[id] = name
        declarationOrder.append(id)
    }
    func consume(_ record: RecordBuffer) throws {
        var values: [(Int, String)] = []
        for i in 0..<record.count {
            let id = record.fieldID(at: i)
            if fields[id] == nil { lateDeclarations.append(id) }
            values.append((id, record.string(at: i)))
        }
        records.append(SeenRecord(line: record.line, values: values))
    }
    func reject(_ rejection: RecordRejection) { rejections.append(rejection) }
    func warn(_ warning: InputWarning) { warnings.append(warning) }

    /// Header names in field-id order.
    var names: [String] { fields.keys.sorted().map { fields[$0]! } }
    /// The value of column `name` in record `index` (0-based).
    func value(_ index: Int, _ name: String) -> String? {
        guard let id = fields.first(where: { $0.value == name })?.key else { return nil }
        return records[index].values.first(where: { $0.field == id })?.value
    }
}

/// Parses CSV bytes held in memory through the whole reader (decoder, sniffer, tokenizer).
/// With `reopenable`, the reader may open the bytes again (as a file), to resume after an
/// unterminated quote.
func parseCSV(_ data: [UInt8], options: CSVOptions = .init(), sourceChunks: [Int] = [],
              path: String = "memory.csv", reopenable: Bool = false) throws -> (CollectingSink, InputDescription, CSVRecordReader) {
    let open = {
        OpenedInput(source: PeekableSource(MemoryByteSource(data, chunkSizes: sourceChunks)),
                    compression: nil, storedBytes: data.count)
    }
    let reader = try CSVRecordReader(input: open(), path: path, options: options, reopen: reopenable ? open : nil)
    let sink = CollectingSink()
    let description = try reader.run(into: sink)
    return (sink, description, reader)
}

/// Parses a file through `InputOpener` and the reader.
func parseFile(_ path: String, options: CSVOptions = .init()) throws -> (CollectingSink, InputDescription, CSVRecordReader) {
    let input = try InputOpener.open(path: path)
    let reader = try CSVRecordReader(input: input, path: path, options: options)
    let sink = CollectingSink()
    let description = try reader.run(into: sink)
    return (sink, description, reader)
}


/// A temporary directory; the caller removes it.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("impact-ingest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
