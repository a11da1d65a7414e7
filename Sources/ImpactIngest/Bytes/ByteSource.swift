/// A forward-only stream of bytes (a file, standard input, or an inflating gzip stream).
///
/// `read(into:)` fills at most `buffer.count` bytes and returns how many it wrote; 0 means
/// the end of the stream. Throws ``IngestError`` (e.g. `.truncatedGzip`, `.corruptGzip`, `.io`).
public protocol ByteSource: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Bytes consumed from the underlying storage so far (compressed bytes for gzip).
    var storedBytesRead: Int { get }
}
