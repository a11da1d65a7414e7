/// Receives what a reader finds, in input order: field declarations, records, rejections and
/// warnings. The same reader feeds counting, sampling and tests (see `ripgrep`'s sink).
///
/// Contract:
/// - `declareField` is called once per field id, before the first record using that id
///   (CSV: every header column at the start, overflow columns of ragged rows when first met;
///   JSON: each path when first met).
/// - Every record the input holds ends in exactly one `consume` or one `reject`:
///   records read = records consumed + records rejected.
/// - `warn` reports an anomaly in a record that was still consumed (ragged row, NUL byte).
/// - Nothing passed here may be logged raw: rejections and warnings carry a kind and a position.
public protocol RecordSink: AnyObject {
    func declareField(_ id: Int, name: String)
    func consume(_ record: RecordBuffer) throws
    func reject(_ rejection: RecordRejection)
    func warn(_ warning: InputWarning)
}

/// A ``RecordSink`` that can take a record straight from a reader's own storage, saving the
/// copy into a ``RecordBuffer`` (the CSV reader uses it when its sink conforms).
///
/// Contract: the arguments have the shape of a ``RecordBuffer`` (value `i` is
/// `bytes[starts[i]..<ends[i]]` of field `fieldIDs[i]`) and are valid only during the call.
/// Same ordering and accounting rules as ``RecordSink/consume(_:)``.
public protocol RecordViewSink: RecordSink {
    func consume(line: Int, bytes: UnsafeRawBufferPointer, fieldIDs: UnsafeBufferPointer<Int32>,
                 starts: UnsafeBufferPointer<Int32>, ends: UnsafeBufferPointer<Int32>) throws
}

/// A ``RecordViewSink`` that keeps records where the reader built them: the reader builds its
/// records back to back in its own storage, in the shape of a ``RecordBuffer`` sequence (value
/// `i` of the storage is `bytes[starts[i]..<ends[i]]` of field `fieldIDs[i]`, offsets from the
/// storage's start), commits each one, and hands the storage over instead of the sink copying
/// every record (the analysis pipeline's batches; 6 % of the benchmark's instructions went to
/// that copy).
///
/// Contract: `commitRecord` is called once per record kept (same ordering and accounting rules
/// as ``RecordSink/consume(_:)``), after its values were appended to the storage. When it
/// returns true, and once at the end of the input (also after a failure), the reader calls
/// `takeRecords` with its storage holding exactly the records committed since the last call:
/// the sink swaps in storage of its own, empty (counts 0), for the records that follow.
public protocol RecordAreaSink: RecordViewSink {
    /// A record was appended to the reader's storage: its values end at value index `valueEnd`
    /// and byte `byteEnd`, and hold `valueBytes` bytes (without what lies between them).
    /// Returns whether the sink wants the storage now.
    func commitRecord(line: Int, valueEnd: Int, byteEnd: Int, valueBytes: Int) throws -> Bool
    /// Takes the storage of the records committed since the last call, giving empty storage back.
    func takeRecords(bytes: inout GrowableStorage<UInt8>, fieldIDs: inout GrowableStorage<Int32>,
                     starts: inout GrowableStorage<Int32>, ends: inout GrowableStorage<Int32>)
}

/// A record that could not be analysed: its 1-based line and why. Never the data.
public struct RecordRejection: Sendable, Equatable, Codable {
    public enum Reason: String, Sendable, Codable {
        /// A JSON Lines line that is not a valid JSON value.
        case malformedJSON = "malformed_json"
        /// A JSON value that is not an object where a record object was expected.
        case notAnObject = "not_an_object"
        /// The record exceeds ``IngestLimits/maxRecordBytes`` or ``IngestLimits/maxFieldBytes``.
        case recordTooLarge = "record_too_large"
        /// Nesting deeper than ``IngestLimits/maxNestingDepth``.
        case nestingTooDeep = "nesting_too_deep"
        /// More fields than ``IngestLimits/maxFields``.
        case tooManyFields = "too_many_fields"
        /// CSV: a quoted field still open at the end of input. The record, from its first line
        /// to the line of the opening quote, is rejected; reading resumes on the next line.
        case unterminatedQuote = "unterminated_quote"
        /// CSV: a quoted field holds lines shaped like records (a stray quote merged them). When
        /// the input can be read again, the record is rejected and reading resumes on the line
        /// after its first line, that quote taken as text.
        case mergedRecords = "merged_records"
    }
    public var line: Int
    public var reason: Reason
    /// A short description with no value from the leak in it (e.g. "invalid escape at column 41").
    public var detail: String

    public init(line: Int, reason: Reason, detail: String = "") {
        self.line = line
        self.reason = reason
        self.detail = detail
    }
}

/// An anomaly in a record that was still analysed.
public struct InputWarning: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// A CSV row with more or fewer fields than the header; extra values go to overflow fields.
        case raggedRow = "ragged_row"
        /// NUL bytes (0x00) in a field: removed from the value.
        case nulBytes = "nul_bytes"
        /// Bytes that are not valid in the detected encoding: replaced by U+FFFD.
        case invalidEncoding = "invalid_encoding"
        /// A quoted field not closed before the end of input (when the input cannot be read
        /// again to resume after it: the input is then also reported incomplete).
        case unterminatedQuote = "unterminated_quote"
        /// CSV: a quoted field spans lines shaped like records (as many delimiters as a record
        /// has): a stray quote may have merged several records into one.
        case quotedRecords = "quoted_records"
        /// CSV: a header cell is itself an identifier (a NIR, an e-mail, a phone number, an
        /// IBAN): its name is replaced by `column_<n>`; the first row may be data.
        case identifierInHeader = "identifier_in_header"
        /// JSON: members of a top-level object that were not read as records (the envelope, the
        /// arrays other than the records' one); the detail names them, with kinds and element counts.
        case skippedMembers = "skipped_members"
    }
    public var line: Int
    public var kind: Kind
    /// Counts only (e.g. "5 fields, header has 3"), never data.
    public var detail: String
    /// How many of the counted thing this warning is about, when that is summed across
    /// warnings (NUL bytes removed); nil otherwise.
    public var amount: Int?

    public init(line: Int, kind: Kind, detail: String = "", amount: Int? = nil) {
        self.line = line
        self.kind = kind
        self.detail = detail
        self.amount = amount
    }
}

/// Resource limits of the readers: the one place they are defined (`impact` sets them with the
/// hidden options `--max-field-bytes`, `--max-record-bytes`, `--max-nesting-depth` and
/// `--max-fields`, listed by `impact analyze --help-hidden`).
///
/// Behaviour when a limit is passed — the record is rejected where the reader can find the next
/// record, the input stops where it cannot; memory stays bounded by the limits plus one read
/// buffer, whatever the input:
///
/// | input | over a limit | exit code of `impact` |
/// | --- | --- | --- |
/// | CSV data record | rejected (`record_too_large` / `too_many_fields`) with its line; its bytes are skipped, not kept, up to the record's end; reading goes on | 0 (2 with `--strict`) |
/// | CSV header (or first record without header) | the input stops: ``IngestError`` `.recordTooLarge` / `.tooManyFields` (line 1) | 65 |
/// | CSV quoted field open at the end of input | its record rejected (`unterminated_quote`) with its line; reading resumes on the line after the quote's line (the file is read again up to it) | 0 (2 with `--strict`) |
/// | the same on standard input (cannot be read again) | the record kept, warned; then ``IngestError`` `.unterminatedQuote`, the report says `complete: false` | 65 |
/// | JSON Lines line | rejected (`record_too_large`, `nesting_too_deep`, `too_many_fields`) with its line; skipped up to its newline | 0 (2 with `--strict`) |
/// | JSON document | the input stops (a document cannot be resynchronised): `.recordTooLarge`, `.nestingTooDeep`, `.tooManyFields` with line and byte offset; records before it are counted, the report says `complete: false` | 65 |
///
/// Other hostile inputs, for reference: a file that is not text (more than 8 % of the
/// characters of its first 64 KiB are NUL or control characters: NUL-filled files, binary
/// junk, compressed archives) stops with `.binaryInput` (65); a truncated or corrupt gzip with
/// `.truncatedGzip` / `.corruptGzip` after the records before the damage (65, report
/// incomplete); an empty input gives 0 records and a notice (0). Errors and rejections carry a
/// kind and a position, never a value.
///
/// Measured with `scripts/hostile-inputs.sh` (release build): a 64 MiB single line, CSV or JSON
/// Lines, is rejected and the run goes on, in flat memory; 100,000-deep nesting stops at depth
/// 513 at once.
public struct IngestLimits: Sendable, Equatable {
    /// Largest single value kept, in bytes (UTF-8, after unescaping). Default 16 MiB: free-text
    /// notes and embedded documents of real exports stay well under it (case
    /// `009-very-long-field` is 200 KB).
    public var maxFieldBytes: Int = 16 << 20
    /// Largest record kept, in bytes (UTF-8, all its values). Default 32 MiB.
    public var maxRecordBytes: Int = 32 << 20
    /// Deepest JSON nesting accepted (objects + arrays). Default 512. The JSON tokenizer keeps
    /// its own stack, so any depth is refused without recursion.
    public var maxNestingDepth: Int = 512
    /// Most fields: CSV columns (header or any row), or values in one JSON record. Default 16,384.
    public var maxFields: Int = 16_384

    public init() {}
}

/// How one input was read: what the report's `inputs[]` shows.
public struct InputDescription: Sendable, Equatable, Codable {
    public var path: String
    /// `csv`, `json` or `jsonl`.
    public var format: String
    /// `gzip` or nil.
    public var compression: String?
    /// `utf-8`, `windows-1252`, `utf-16le`, `utf-16be`.
    public var encoding: String
    /// Whether a byte-order mark was found and stripped.
    public var bom: Bool
    /// CSV only: the delimiter as text (`,`, `;`, `\t`, `|`).
    public var delimiter: String?
    /// CSV only: whether the first row was taken as a header.
    public var header: Bool
    /// JSON only: where the records were found (`$` top-level array, `$.data[]`, or `lines`).
    public var recordPath: String?
    /// Records read (consumed + rejected).
    public var records: Int
    /// Records rejected.
    public var rejectedRecords: Int
    /// Physical lines of the decoded text.
    public var lines: Int
    /// Size of the input in bytes, as stored (compressed size for gzip).
    public var bytes: Int

    public init(path: String, format: String, compression: String? = nil, encoding: String = "utf-8",
                bom: Bool = false, delimiter: String? = nil, header: Bool = false, recordPath: String? = nil,
                records: Int = 0, rejectedRecords: Int = 0, lines: Int = 0, bytes: Int = 0) {
        self.path = path; self.format = format; self.compression = compression; self.encoding = encoding
        self.bom = bom; self.delimiter = delimiter; self.header = header; self.recordPath = recordPath
        self.records = records; self.rejectedRecords = rejectedRecords; self.lines = lines; self.bytes = bytes
    }
}

/// A failure that stops reading an input: a kind and a position, never the data
/// (see rust-csv's `src/error.rs`).
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case io                     // cannot open or read
        case notFound = "not_found"
        case isDirectory = "is_directory"
        case truncatedGzip = "truncated_gzip"
        case corruptGzip = "corrupt_gzip"           // bad header, bad deflate data, CRC or size mismatch
        case unsupportedEncoding = "unsupported_encoding"
        case malformedJSON = "malformed_json"       // a JSON document (not JSON Lines) that cannot be resynchronised
        case truncatedJSON = "truncated_json"
        case nestingTooDeep = "nesting_too_deep"
        case recordTooLarge = "record_too_large"
        case tooManyFields = "too_many_fields"
        case binaryInput = "binary_input"           // not text (NUL-dominated, no structure)
        case unterminatedQuote = "unterminated_quote" // CSV quote open at the end of an input that cannot be read again
    }
    public var kind: Kind
    public var path: String
    /// 1-based line, when known.
    public var line: Int?
    /// 0-based byte offset in the decoded (or decompressed) stream, when known.
    public var byteOffset: Int?
    /// What went wrong, with no value from the leak in it.
    public var message: String
    /// Records read before the failure (the partial count, labelled as such by callers).
    public var recordsBeforeFailure: Int
    /// How the input was read up to the failure (format, dialect, encoding, bytes read), when
    /// the reader got that far; nil when the input could not be opened or recognised.
    public var input: InputDescription?

    public init(_ kind: Kind, path: String, line: Int? = nil, byteOffset: Int? = nil, message: String,
                recordsBeforeFailure: Int = 0) {
        self.kind = kind; self.path = path; self.line = line; self.byteOffset = byteOffset
        self.message = message; self.recordsBeforeFailure = recordsBeforeFailure
    }

    /// `path:line: message` (or `path: byte N: message`).
    public var description: String {
        var s = path
        if let line { s += ":\(line)" }
        if let byteOffset { s += line == nil ? ": byte \(byteOffset)" : " (byte \(byteOffset))" }
        return s + ": " + message
    }
}
