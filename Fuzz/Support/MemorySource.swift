// Shared by the fuzz targets that read through ImpactIngest byte sources.

import ImpactIngest

/// A byte source over memory whose reads return at most the next of `chunkSizes` bytes (the
/// whole request when empty): the same bytes arrive cut in different places.
final class FuzzMemorySource: ByteSource {
    private let data: [UInt8]
    private let sizes: [Int]
    private var position = 0
    private var sizeIndex = 0

    init(_ data: [UInt8], chunkSizes: [Int] = []) {
        self.data = data
        sizes = chunkSizes
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

/// Reads `source` to its end with buffers of the given sizes (cycled); returns the bytes and
/// the error that stopped it, if any.
func fuzzReadAll(_ source: ByteSource, bufferSizes: [Int]) -> (bytes: [UInt8], error: IngestError?) {
    var out: [UInt8] = []
    let largest = max(1, bufferSizes.max() ?? 1)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: largest, alignment: 16)
    defer { buffer.deallocate() }
    var k = 0
    var reads = 0
    while true {
        let size = bufferSizes.isEmpty ? largest : max(1, bufferSizes[k % bufferSizes.count])
        k += 1
        do {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size]))
            fuzzCheck(n >= 0 && n <= size, "read returned \(n) for a buffer of \(size)")
            if n == 0 {
                // The end is sticky: a second read also returns 0.
                let again = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size]))
                fuzzCheck(again == 0, "a read after the end returned \(again) bytes")
                return (out, nil)
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        } catch let error as IngestError {
            return (out, error)
        } catch {
            fuzzCheck(false, "a byte source threw something other than IngestError")
        }
        reads += 1
        fuzzCheck(reads < 50_000_000, "read loop does not end")
    }
}

/// What a reader gave its sink, in order: the stream of calls, comparable across chunkings.
final class FuzzRecordingSink: RecordSink {
    enum Event: Equatable {
        case declare(Int, String)
        case record(line: Int, ids: [Int32], values: [[UInt8]])
        case reject(RecordRejection)
        case warn(InputWarning)
    }
    private(set) var events: [Event] = []
    private(set) var declared: Set<Int> = []
    private(set) var consumed = 0
    private(set) var rejected = 0
    /// Largest single value and record met, in bytes, and most values in a record.
    private(set) var largestValue = 0
    private(set) var largestRecord = 0
    private(set) var mostValues = 0

    func declareField(_ id: Int, name: String) {
        fuzzCheck(!declared.contains(id), "field \(id) declared twice")
        declared.insert(id)
        events.append(.declare(id, name))
    }

    func consume(_ record: RecordBuffer) throws {
        consumed += 1
        fuzzCheck(record.fieldIDs.count == record.starts.count && record.starts.count == record.ends.count,
                  "record arrays of different lengths")
        var values: [[UInt8]] = []
        var valueBytes = 0
        for i in 0..<record.count {
            let id = record.fieldID(at: i)
            fuzzCheck(declared.contains(id), "field \(id) used before it was declared")
            let s = Int(record.starts[i]), e = Int(record.ends[i])
            fuzzCheck(s >= 0 && s <= e && e <= record.bytes.count, "value \(i) out of the record's bytes")
            values.append(record.value(at: i))
            largestValue = max(largestValue, e - s)
            valueBytes += e - s
        }
        // The limit counts a record's values (IngestLimits.maxRecordBytes), not what a reader
        // stores between them (the CSV reader keeps a delimiter between values).
        largestRecord = max(largestRecord, valueBytes)
        mostValues = max(mostValues, record.count)
        events.append(.record(line: record.line, ids: record.fieldIDs, values: values))
    }

    func reject(_ rejection: RecordRejection) {
        rejected += 1
        events.append(.reject(rejection))
    }

    func warn(_ warning: InputWarning) {
        events.append(.warn(warning))
    }
}
