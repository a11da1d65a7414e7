/// How a CSV input is written: the decision of ``CSVDialectSniffer`` or of the user.
public struct CSVDialect: Sendable, Equatable {
    /// Field separator: `,` `;` TAB or `|` when sniffed.
    public var delimiter: UInt8
    /// Quote byte (always `"` when sniffed).
    public var quote: UInt8
    /// Whether the first record holds the column names.
    public var hasHeader: Bool

    public init(delimiter: UInt8, quote: UInt8 = UInt8(ascii: "\""), hasHeader: Bool) {
        self.delimiter = delimiter
        self.quote = quote
        self.hasHeader = hasHeader
    }

    /// The delimiter as text for reports: `,` `;` `\t` (a backslash and a t) or `|`.
    public var delimiterText: String {
        delimiter == 0x09 ? "\\t" : String(UnicodeScalar(delimiter))
    }
}

/// Options of ``CSVRecordReader``; nil means "sniff it".
public struct CSVOptions: Sendable, Equatable {
    /// Field separator; nil = sniffed among `;` TAB `,` `|`.
    public var delimiter: UInt8? = nil
    /// Whether the first record is a header; nil = sniffed.
    public var hasHeader: Bool? = nil
    /// Text encoding; nil = sniffed (BOM, UTF-16 pattern, UTF-8 validity, else Windows-1252).
    public var encoding: TextEncoding? = nil
    /// Size limits of fields, records and columns.
    public var limits = IngestLimits()
    /// Size of the one decoded-text buffer the reader rolls forward (bytes, at least 1).
    /// Tests make it tiny to parse under every chunking.
    public var bufferSize: Int = 256 << 10

    public init(delimiter: UInt8? = nil, hasHeader: Bool? = nil, encoding: TextEncoding? = nil,
                limits: IngestLimits = IngestLimits()) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.encoding = encoding
        self.limits = limits
    }
}
