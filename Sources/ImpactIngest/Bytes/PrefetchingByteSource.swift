/// A byte source read ahead on its own thread: the wrapped source (typically a
/// ``GzipByteSource``, whose inflating is the slow part of reading a compressed leak) fills
/// fixed chunks on a background thread while the caller parses the previous ones.
///
/// Behaviour: ``start(_:chunkSize:chunks:)`` starts the thread and returns the prefetching
/// source (or the wrapped source itself when no thread can be created). The bytes, their order
/// and the errors are those of the wrapped source: a failure is thrown by the read that follows
/// the last byte produced before it, and by every read after (the ``ByteSource`` and
/// ``GzipByteSource`` contract). ``storedBytesRead`` is the wrapped source's count as of the
/// chunk being read.
///
/// Memory: `chunks` × `chunkSize` bytes (default 4 × 1 MiB), fixed.
/// Contract: one consumer thread. Dropping the source stops the thread at its next chunk
/// (a thread blocked in a read of standard input ends when that read returns).
public final class PrefetchingByteSource: ByteSource {
    /// One chunk of bytes and what followed it.
    private final class Chunk: @unchecked Sendable {
        let buffer: UnsafeMutableRawBufferPointer
        var count = 0
        var storedBytes = 0
        var ended = false
        var error: Error?
        init(size: Int) { buffer = .allocate(byteCount: size, alignment: 16) }
        deinit { buffer.deallocate() }
    }

    /// The wrapped source, owned by the reading thread once it runs.
    private final class Producer: @unchecked Sendable {
        let base: ByteSource
        init(_ base: ByteSource) { self.base = base }
    }

    private let full: BoundedQueue<Chunk>
    private let empty: BoundedQueue<Chunk>
    private var current: Chunk?
    private var offset = 0
    private var failure: Error?
    private var ended = false
    public private(set) var storedBytesRead = 0

    private init(full: BoundedQueue<Chunk>, empty: BoundedQueue<Chunk>) {
        self.full = full
        self.empty = empty
    }

    deinit {
        full.close()
        empty.close()
    }

    /// Reads `base` ahead on a new thread; returns `base` itself when no thread can be started.
    public static func start(_ base: ByteSource, chunkSize: Int = 1 << 20, chunks: Int = 4) -> ByteSource {
        let full = BoundedQueue<Chunk>(capacity: chunks)
        let empty = BoundedQueue<Chunk>(capacity: chunks)
        for _ in 0..<chunks { empty.push(Chunk(size: max(chunkSize, 1))) }
        let producer = Producer(base)
        let started = startThread {
            while let chunk = empty.pop() {
                chunk.count = 0
                do {
                    while chunk.count < chunk.buffer.count {
                        let n = try producer.base.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk.buffer[chunk.count...]))
                        if n == 0 { chunk.ended = true; break }
                        chunk.count += n
                    }
                } catch {
                    chunk.error = error
                }
                chunk.storedBytes = producer.base.storedBytesRead
                let last = chunk.ended || chunk.error != nil
                if !full.push(chunk) || last { break }
            }
        }
        return started ? PrefetchingByteSource(full: full, empty: empty) : base
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if let chunk = current {
                if offset < chunk.count {
                    let n = min(buffer.count, chunk.count - offset)
                    buffer.baseAddress!.copyMemory(from: chunk.buffer.baseAddress! + offset, byteCount: n)
                    offset += n
                    return n
                }
                current = nil
                if let error = chunk.error { failure = error } else if chunk.ended { ended = true } else { empty.push(chunk) }
            }
            if let failure { throw failure }
            if ended { return 0 }
            guard let next = full.pop() else { ended = true; return 0 }
            current = next
            offset = 0
            storedBytesRead = next.storedBytes
        }
    }
}
