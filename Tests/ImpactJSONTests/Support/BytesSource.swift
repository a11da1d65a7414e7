import ImpactIngest

/// An in-memory ``ByteSource`` that hands out its bytes in chunks of the given sizes (cycled),
/// so tests can replay a text under any chunking.
final class BytesSource: ByteSource {
    private let bytes: [UInt8]
    private let chunkSizes: [Int]
    private var position = 0
    private var reads = 0

    /// - Parameter chunkSizes: sizes of successive reads, cycled; empty = as much as the buffer holds.
    init(_ bytes: [UInt8], chunkSizes: [Int] = []) {
        self.bytes = bytes
        self.chunkSizes = chunkSizes
    }

    convenience init(_ text: String, chunkSizes: [Int] = []) {
        self.init(Array(text.utf8), chunkSizes: chunkSizes)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var count = min(buffer.count, bytes.count - position)
        if !chunkSizes.isEmpty {
            count = min(count, max(1, chunkSizes[reads % chunkSizes.count]))
        }
        reads += 1
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { all in
            buffer.baseAddress!.copyMemory(from: all.baseAddress! + position, byteCount: count)
        }
        position += count
        return count
    }

    var storedBytesRead: Int { position }
}

/// A ``ByteSource`` that generates a large text on the fly from repeated parts, without holding it:
/// `prefix`, then `fill` repeated `fillCount` times, then `suffix`.
final class RepeatingSource: ByteSource {
    private let parts: [[UInt8]]
    private var part = 0
    private var offsetInPart = 0
    private var remainingFills: Int
    private(set) var storedBytesRead = 0

    init(prefix: [UInt8], fill: [UInt8], fillCount: Int, suffix: [UInt8]) {
        parts = [prefix, fill, suffix]
        remainingFills = fillCount
        if prefix.isEmpty { part = 1 }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var written = 0
        while written < buffer.count, part < 3 {
            if part == 1 && remainingFills == 0 { part = 2; offsetInPart = 0; continue }
            let current = parts[part]
            let count = min(buffer.count - written, current.count - offsetInPart)
            current.withUnsafeBytes { src in
                (buffer.baseAddress! + written).copyMemory(from: src.baseAddress! + offsetInPart, byteCount: count)
            }
            written += count
            offsetInPart += count
            if offsetInPart == current.count {
                offsetInPart = 0
                if part == 1 { remainingFills -= 1 } else { part += 1 }
            }
        }
        storedBytesRead += written
        return written
    }
}
