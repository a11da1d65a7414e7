/// A byte source whose first bytes can be looked at before they are read.
///
/// ``peek(upTo:)`` reads ahead from the wrapped source and keeps what it read; later
/// ``read(into:)`` calls return those bytes first, then read through. Used to sniff gzip magic
/// bytes and text encodings without consuming anything.
///
/// Errors while peeking are deferred: `peek` returns the bytes obtained before the failure and
/// the error is thrown by the `read` that would have returned the next byte. A reader therefore
/// processes every byte that precedes a truncation before it sees the error, and never gets a
/// silent partial stream (the error is thrown again by any later `read`).
public final class PeekableSource: ByteSource {
    private let base: ByteSource
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var deferredError: Error?
    private var baseEnded = false

    public init(_ base: ByteSource) {
        self.base = base
    }

    public var storedBytesRead: Int { base.storedBytesRead }

    /// The first up to `n` bytes not yet read, without consuming them.
    ///
    /// Returns fewer than `n` bytes only when the stream ends (or fails) before. Never throws
    /// for a failure of the wrapped source: that error is kept for the `read` after these bytes.
    public func peek(upTo n: Int) throws -> [UInt8] {
        if pendingOffset > 0 {
            pending.removeFirst(pendingOffset)
            pendingOffset = 0
        }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while pending.count < n, !baseEnded, deferredError == nil {
            let want = min(chunk.count, n - pending.count)
            do {
                let got = try chunk.withUnsafeMutableBytes { try base.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want])) }
                if got == 0 { baseEnded = true } else { pending.append(contentsOf: chunk[0..<got]) }
            } catch {
                deferredError = error
            }
        }
        return Array(pending[0..<min(n, pending.count)])
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if pendingOffset < pending.count {
            let n = min(buffer.count, pending.count - pendingOffset)
            pending.withUnsafeBytes { all in
                buffer.baseAddress!.copyMemory(from: all.baseAddress! + pendingOffset, byteCount: n)
            }
            pendingOffset += n
            if pendingOffset == pending.count {
                pending = []
                pendingOffset = 0
            }
            return n
        }
        if let error = deferredError { throw error }
        if baseEnded { return 0 }
        let n = try base.read(into: buffer)
        if n == 0 { baseEnded = true }
        return n
    }
}
