/// An input ready to be parsed: its byte stream (decompressed if needed) and how it is stored.
public struct OpenedInput {
    /// The decompressed bytes, peekable for format and encoding sniffing.
    public let source: PeekableSource
    /// `"gzip"` when the stored bytes were gzip-compressed, else nil.
    public let compression: String?
    /// Size of the stored file in bytes (compressed size for gzip); 0 for standard input.
    public let storedBytes: Int

    public init(source: PeekableSource, compression: String?, storedBytes: Int) {
        self.source = source
        self.compression = compression
        self.storedBytes = storedBytes
    }
}

/// Opens an input path for reading: a file or standard input (`"-"`), gzip or plain.
///
/// Compression is detected from the content, not the name: a stream starting with the gzip
/// magic bytes 1F 8B (RFC 1952 §2.3.1) is inflated by ``GzipByteSource``; anything else is
/// passed through. Throws ``IngestError`` (`.notFound`, `.isDirectory`, `.io`).
public enum InputOpener {
    public static func open(path: String) throws -> OpenedInput {
        try open(path: path, inflateAhead: false)
    }

    /// Opens `path`; with `inflateAhead`, a gzip stream is inflated on its own thread
    /// (``PrefetchingByteSource``) while the caller parses: same bytes and errors, two cores.
    public static func open(path: String, inflateAhead: Bool) throws -> OpenedInput {
        let file = try FileByteSource(path: path)
        let raw = PeekableSource(file)
        let magic = try raw.peek(upTo: 2)
        if magic == [0x1F, 0x8B] {
            let inflated = try GzipByteSource(raw)
            let source = inflateAhead ? PrefetchingByteSource.start(inflated) : inflated
            return OpenedInput(source: PeekableSource(source), compression: "gzip", storedBytes: file.size)
        }
        return OpenedInput(source: raw, compression: nil, storedBytes: file.size)
    }
}
