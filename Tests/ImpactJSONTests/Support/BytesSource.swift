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
