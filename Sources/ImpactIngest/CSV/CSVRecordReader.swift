/// Reads a CSV input (any dialect and encoding, plain or gzip) into records for a ``RecordSink``.
///
/// Pipeline: ``OpenedInput`` → ``DecodingByteSource`` (UTF-8) → ``CSVTokenizer`` → ``RecordBuffer``.
/// `init` decodes the first 64 KiB and sniffs the dialect (``CSVDialectSniffer``) unless
/// ``CSVOptions`` fixes it; ``run(into:)`` streams the rest through one fixed-size buffer rolled
/// forward (``CSVOptions/bufferSize``): a record cut by the end of the buffer is completed in
/// the ``RecordBuffer`` being built, so memory stays flat whatever the file size.
///
/// Behaviour:
/// - Fields: with a header, its names (trimmed of spaces and a stray U+FEFF; an empty name
///   becomes `column_<n>`) are declared first; without, the columns are `column_1`, `column_2`…
///   as many as the first record has. Field id = column index (0-based).
/// - Each data record gives one value per column; `record.line` is its first physical line
///   (1-based; a header is line 1). Empty cells are empty values.
/// - Ragged rows are kept: missing columns are empty values; extra values go to overflow field
///   ids `columns + k`, declared once as `extra_<k+1>`; each such row gives a `.raggedRow`
///   warning ("5 fields, header has 3").
/// - Blank lines give nothing; no value keeps a line end; a last record without a final line
///   end is complete.
/// - NUL bytes are removed from values (`.nulBytes` warning per record, with its `amount`);
///   invalid encoding gives one `.invalidEncoding` warning with the count and the line of the
///   first replacement.
/// - A quoted field still open at the end of input (tester finding F2: one stray quote read the
///   rest of a file as one value): when the input can be opened again (`reopen`), its record is
///   rejected (`.unterminatedQuote`, the record's first line) and reading resumes on the line
///   after the opening quote's line, the input being read again up to it (streaming, no
///   buffering; the rejected record's bytes are bounded by the size limits like any record);
///   otherwise (standard input) the record is kept with an `.unterminatedQuote` warning and
///   ``run(into:)`` throws `.unterminatedQuote` after the last record, so the input is reported
///   incomplete. A record whose quoted value holds lines shaped like records (at least
///   `columns - 1` delimiters, and 2: a stray quote closed by another one, lines later) is
///   rejected (`.mergedRecords`) and reading resumes on the line after its first line, the
///   input read again (at most 64 times per input, then a `.quotedRecords` warning, as on
///   standard input).
/// - With ``CSVHeaderEvidence``, a header holding an identifier (a valid NIR, an e-mail…) is a
///   row of data: every column is named `column_<n>`, with one `.identifierInHeader` warning
///   (positions and kinds).
/// - A field over `maxFieldBytes`, a record over `maxRecordBytes` (`.recordTooLarge`) or over
///   `maxFields` values (`.tooManyFields`) is rejected with its line; its bytes are skipped
///   without being stored and reading goes on.
///
/// Contract — throws ``IngestError`` with the path and no data:
/// - `.binaryInput` when more than 8 % of the characters of the first 64 KiB (30 % for very
///   short inputs) are NUL or control characters;
/// - `.tooManyFields` for a header of more than `maxFields` columns, `.recordTooLarge` for a
///   header over the size limits;
/// - errors of the byte source (`.truncatedGzip`, `.corruptGzip`, `.io`) once every record
///   before the failure has reached the sink, with `recordsBeforeFailure` set.
/// Errors thrown by the sink propagate unchanged.
public final class CSVRecordReader {
    /// The dialect used (sniffed or given).
    public let dialect: CSVDialect
    /// The encoding the input is read in.
    public var encoding: TextEncoding { decoder.encoding }
    /// Whether a byte-order mark was found and stripped.
    public var hadBOM: Bool { decoder.hadBOM }

    private let input: OpenedInput
    private let path: String
    private let options: CSVOptions
    private let decoder: DecodingByteSource
    /// The first decoded bytes, used for sniffing and then parsed first.
    private var head: [UInt8]
    /// Whether `head` holds the whole input.
    private let headIsWhole: Bool
    /// An error met while reading `head`, thrown once `head` has been parsed.
    private var deferredError: Error?
    private var started = false
    /// Opens the input again from its start (nil: it cannot be read twice, e.g. standard input).
    private let reopen: (() throws -> OpenedInput)?
    /// Value lexicons consulted on the header decision and on the header's names.
    private let headerEvidence: (any CSVHeaderEvidence)?

    /// Opens `input` for CSV reading, sniffing encoding and dialect unless `options` fix them.
    /// `path` names the input in errors and in the ``InputDescription``.
    ///
    /// - Parameters:
    ///   - reopen: opens the same input again from its start; given, a quoted field still open at
    ///     the end of input rejects its record and reading resumes on the line after the opening
    ///     quote's line (the input is read again up to it); nil (standard input), the record is
    ///     kept with a warning and ``run(into:)`` throws `.unterminatedQuote` at the end.
    ///   - headerEvidence: what value lexicons say about the first row's cells (see
    ///     ``CSVHeaderEvidence``): a first row of values is not taken as a header, and a header
    ///     cell that is an identifier is never used as a field name.
    public init(input: OpenedInput, path: String, options: CSVOptions = .init(),
                reopen: (() throws -> OpenedInput)? = nil, headerEvidence: (any CSVHeaderEvidence)? = nil) throws {
        self.input = input
        self.path = path
        self.options = options
        self.reopen = reopen
        self.headerEvidence = headerEvidence
        let decoder: DecodingByteSource
        do {
            decoder = try DecodingByteSource(input.source, forced: options.encoding)
        } catch var error as IngestError {
            error.path = path
            throw error
        }
        self.decoder = decoder
        var head = [UInt8](repeating: 0, count: CSVDialectSniffer.sampleLength)
        var filled = 0
        var ended = false
        do {
            while filled < head.count {
                let n = try head.withUnsafeMutableBytes {
                    try decoder.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
                }
                if n == 0 { ended = true; break }
                filled += n
            }
        } catch {
            deferredError = error
        }
        head.removeLast(head.count - filled)
        self.head = head
        headIsWhole = ended
        if let share = Self.binaryShare(head) {
            throw IngestError(.binaryInput, path: path, byteOffset: 0,
                              message: "input is not text: \(share.percent) % of the first \(share.characters) characters are NUL or control characters")
        }
        dialect = head.withUnsafeBytes {
            CSVDialectSniffer.sniff($0, isComplete: ended, delimiter: options.delimiter, hasHeader: options.hasHeader,
                                    evidence: headerEvidence)
        }
    }

    /// The percentage of NUL and control characters in `text` (UTF-8) and its number of
    /// characters, when that percentage is too high for text; else nil. Counts C0 controls other than TAB, LF, FF and CR, DEL, and C1 controls
    /// (UTF-8 C2 80–C2 9F), per character, not per byte: random bytes read as Windows-1252 have
    /// 13 % control characters but, each byte ≥ 0x80 taking 2 or 3 UTF-8 bytes, only 8.3 % control
    /// bytes, too close to the threshold to be told from text every time (compressed files).
    static func binaryShare(_ text: [UInt8]) -> (percent: Int, characters: Int)? {
        guard !text.isEmpty else { return nil }
        var controls = 0
        var characters = 0
        var previous: UInt8 = 0
        for b in text {
            if b & 0xC0 != 0x80 { characters += 1 }
            if b < 0x20 {
                if b != 0x09 && b != 0x0A && b != 0x0C && b != 0x0D { controls += 1 }
            } else if b == 0x7F || (previous == 0xC2 && b >= 0x80 && b <= 0x9F) {
                controls += 1
            }
            previous = b
        }
        characters = max(characters, 1)
        let threshold = characters >= 256 ? 8 : 30
        return controls * 100 > threshold * characters ? (controls * 100 / characters, characters) : nil
    }

    /// Reads every record into `sink` and describes the input. Call once.
    ///
    /// Throws ``IngestError`` (see the type) or what `sink.consume` throws. An ``IngestError``
    /// carries the description of the input up to the failure (``IngestError/input``).
    public func run(into sink: RecordSink) throws -> InputDescription {
        precondition(!started, "CSVRecordReader.run(into:) is called once")
        started = true
        var state = ParseState(dialect: dialect, limits: options.limits, sink: sink)
        // The records kept in an area sink's storage go to it in the end, also after a failure
        // (the records read before it are analysed).
        defer { state.handOverRecords() }
        state.canResume = reopen != nil
        state.headerEvidence = headerEvidence
        let size = max(1, options.bufferSize)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        do {
            try head.withUnsafeBytes { try state.parse($0, decoder: decoder) }
            head = []
            if let deferredError { throw deferredError }
            var source: ByteSource? = headIsWhole ? nil : decoder
            // The decoder of the current pass: a resumed pass decodes the input again from its
            // start, so the last pass's decoder has seen every byte (its counts are the input's).
            var active = decoder
            while true {
                if let s = source, !state.stopForResume {
                    while true {
                        let n = try s.read(into: buffer)
                        if n == 0 { break }
                        try state.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), decoder: active)
                        if state.stopForResume { break }
                    }
                }
                // Stopped for a record of merged lines: what is left of this pass is read again.
                if !state.stopForResume { try state.finish() }
                state.stopForResume = false
                // A quoted field open at the end: its record was rejected; the input is read
                // again from the line after the opening quote's line.
                guard let line = state.resumeAfterLine, let reopen else { break }
                state.resumeAfterLine = nil
                active = try resumedSource(afterLine: line, reopen: reopen, state: &state, buffer: buffer)
                source = active
            }
            warnInvalidEncoding(state, decoder: active, sink: sink)
            if let line = state.unresumedQuoteLine {
                throw IngestError(.unterminatedQuote, path: path, line: line,
                                  message: "a quoted field opened on this line is not closed before the end of input: the lines after it were read as its text")
            }
        } catch var error as IngestError {
            error.path = path
            error.recordsBeforeFailure = state.records
            error.input = describe(state)
            throw error
        }
        return describe(state)
    }

    /// The input opened again (same encoding rule), past the first `line` lines: the rest of
    /// the stream after the bytes of those lines, which are read and dropped. `state`'s
    /// tokenizer resumes after them.
    private func resumedSource(afterLine line: Int, reopen: () throws -> OpenedInput,
                               state: inout ParseState, buffer: UnsafeMutableRawBufferPointer) throws -> DecodingByteSource {
        let again = try DecodingByteSource(reopen().source, forced: options.encoding ?? decoder.encoding)
        var ends = 0
        var previousCR = false
        while true {
            let n = try again.read(into: buffer)
            if n == 0 {
                state.tokenizer.resume(afterLine: line, afterCR: previousCR)
                return again
            }
            for k in 0..<n {
                let b = buffer[k]
                if b == 0x0D { ends += 1 } else if b == 0x0A, !previousCR { ends += 1 }
                previousCR = b == 0x0D
                if ends == line, b == 0x0D || b == 0x0A {
                    state.tokenizer.resume(afterLine: line, afterCR: previousCR)
                    // The rest of this buffer is parsed now; the source goes on after it. Output
                    // offsets of this decoder count from the input's start.
                    state.streamOffset = again.decodedBytes - (n - (k + 1))
                    try state.parse(UnsafeRawBufferPointer(rebasing: buffer[(k + 1)..<n]), decoder: again)
                    return again
                }
            }
        }
    }

    /// The ``InputDescription`` of what has been read so far.
    private func describe(_ state: borrowing ParseState) -> InputDescription {
        let endsOnLineEnd = state.lastByte == nil || state.lastByte == 0x0A || state.lastByte == 0x0D
        return InputDescription(
            path: path, format: "csv", compression: input.compression, encoding: decoder.encoding.rawValue,
            bom: decoder.hadBOM, delimiter: dialect.delimiterText, header: dialect.hasHeader,
            records: state.records, rejectedRecords: state.rejected,
            lines: state.tokenizer.lineTerminators + (endsOnLineEnd ? 0 : 1),
            bytes: input.storedBytes > 0 ? input.storedBytes : input.source.storedBytesRead)
    }

    /// Warns once about the invalid sequences the decoder replaced (with the line of the first).
    private func warnInvalidEncoding(_ state: borrowing ParseState, decoder: DecodingByteSource, sink: RecordSink) {
        if decoder.invalidSequences > 0 {
            let count = decoder.invalidSequences
            sink.warn(InputWarning(line: state.invalidLine ?? 1, kind: .invalidEncoding,
                                   detail: "\(count) invalid \(decoder.encoding.rawValue) sequence\(count == 1 ? "" : "s") replaced by U+FFFD (first on this line)"))
        }
    }

    /// Line ends (LF, CRLF, bare CR) in `bytes`; `afterCR` when the byte before them was a CR.
    static func lineEnds(in bytes: UnsafeRawBufferPointer, afterCR: Bool) -> Int {
        var count = 0
        var previousCR = afterCR
        for b in bytes {
            if b == 0x0D { count += 1 } else if b == 0x0A, !previousCR { count += 1 }
            previousCR = b == 0x0D
        }
        return count
    }
}

/// The record being built and the counts of one ``CSVRecordReader/run(into:)``.
///
/// The tokenizer unescapes a record's values into `bytes` (raw storage), a delimiter between them, and
/// reports each value's end in `ends` (``CSVTokenizer/nextRecord(_:output:outputOffset:fieldEnds:)``,
/// which writes a delimiter between values: value i starts one byte after value i-1 ends);
/// the finished record is copied into the ``RecordBuffer`` once for the sink. A record over the
/// limits is rejected: once its bytes pass `maxFieldBytes` / `maxRecordBytes` (or it has more
/// than `maxFields` values), what the tokenizer writes is no longer kept, so memory stays
/// bounded by the limits plus one buffer of input.
/// Holds a ``RecordViewSink`` for ``ParseState`` (an existential cannot be held unretained).
private final class ViewSinkHolder {
    let sink: RecordViewSink
    init(_ sink: RecordViewSink) { self.sink = sink }
}

/// Holds a ``RecordAreaSink`` for ``ParseState`` (unretained use, as ``ViewSinkHolder``).
private final class AreaSinkHolder {
    let sink: RecordAreaSink
    init(_ sink: RecordAreaSink) { self.sink = sink }
}

private struct ParseState: ~Copyable {
    var tokenizer: CSVTokenizer
    let hasHeader: Bool
    let limits: IngestLimits
    let sink: RecordSink
    /// `sink` when it takes records without a ``RecordBuffer``, held (retained once) so that a
    /// record is handed over without a retain and release of the sink around the call: those
    /// cost ~3 % of an analysis (perf).
    let viewSink: Unmanaged<ViewSinkHolder>?
    /// `sink` when it keeps records in the reader's storage (``RecordAreaSink``): records then
    /// accumulate in `bytes`, `ends`, `starts` and `ids` until the sink takes them, and the
    /// current record starts at `recordByteStart` / `recordValueStart`; otherwise both stay 0
    /// and every record is built at the start of the storage.
    let areaSink: Unmanaged<AreaSinkHolder>?
    var recordByteStart = 0
    var recordValueStart = 0
    let record = RecordBuffer()
    var bytes = GrowableStorage<UInt8>(capacity: 64 << 10)
    /// End of each value of the current record in `bytes`.
    /// Room for 1,024 from the start: the tokenizer takes a block of 64 bytes at once only when it
    /// has room for more than 64 ends.
    var ends = GrowableStorage<Int32>(capacity: 1024)
    /// Starts of the values, derived from `ends` when the record is handed over.
    var starts = GrowableStorage<Int32>(capacity: 64)
    /// The field ids of the records' values: 0, 1, 2, … (value i is column i) for each record
    /// kept in an area sink's storage, else one such sequence for the record.
    var ids = GrowableStorage<Int32>(capacity: 64)
    /// 0, 1, 2, …, as long as the widest record so far (copied into `ids` for an area sink).
    var idSequence = GrowableStorage<Int32>(capacity: 64)
    /// Where the value ends of a rejected record go.
    let scratchEnds = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 1024)
    /// Columns of the header (or of the first record without header); nil before it.
    var columns: Int? = nil
    /// Overflow columns declared so far.
    var extrasDeclared = 0
    /// Values of the current record so far (also counted for a rejected record).
    var fieldCount = 0
    /// The current record passed `maxFieldBytes` or `maxRecordBytes`.
    var tooLarge = false
    /// The current record has more than `maxFields` values.
    var tooManyFields = false
    /// Whether the current record can no longer be kept (`tooLarge` or `tooManyFields`).
    var doomed = false
    var records = 0
    var rejected = 0
    /// Decoded bytes parsed so far, the last of them, and the line of the first U+FFFD.
    var streamOffset = 0
    var lastByte: UInt8? = nil
    var invalidLine: Int? = nil
    /// Whether the input can be read again to resume after an unterminated quote.
    var canResume = false
    /// Set when a data record was rejected for a quote open at the end of input: the line of
    /// that quote, after which reading resumes.
    var resumeAfterLine: Int? = nil
    /// The line of a quote open at the end of an input that cannot be resumed (the input is
    /// then incomplete).
    var unresumedQuoteLine: Int? = nil
    /// The current record is closed by the end of input (not by a line end).
    var atEnd = false
    /// Set with ``resumeAfterLine`` when a record whose quoted field holds record-shaped lines
    /// was rejected mid-stream: parsing stops and the input is read again after its first line.
    var stopForResume = false
    /// Mid-stream resumptions so far (each reads the input again from its start), at most
    /// ``maxMergedRecordResumptions``; past that such records are kept with a warning.
    var mergedRecordResumptions = 0
    static let maxMergedRecordResumptions = 64
    /// Tells identifiers among the header's names.
    var headerEvidence: (any CSVHeaderEvidence)? = nil

    init(dialect: CSVDialect, limits: IngestLimits, sink: RecordSink) {
        tokenizer = CSVTokenizer(delimiter: dialect.delimiter, quote: dialect.quote)
        hasHeader = dialect.hasHeader
        self.limits = limits
        self.sink = sink
        viewSink = (sink as? RecordViewSink).map { Unmanaged.passRetained(ViewSinkHolder($0)) }
        areaSink = (sink as? RecordAreaSink).map { Unmanaged.passRetained(AreaSinkHolder($0)) }
    }

    deinit {
        viewSink?.release()
        areaSink?.release()
        bytes.free()
        ends.free()
        starts.free()
        ids.free()
        idSequence.free()
        scratchEnds.deallocate()
    }

    /// Parses the next chunk of decoded text (`decoder` locates its first U+FFFD, if any).
    /// A nil `decoder` after a resumption: the first decoder has already read the whole input.
    mutating func parse(_ chunk: UnsafeRawBufferPointer, decoder: DecodingByteSource?) throws {
        if invalidLine == nil, let at = decoder?.firstInvalidOffset, at < streamOffset + chunk.count {
            invalidLine = tokenizer.lineTerminators + 1
                + CSVRecordReader.lineEnds(in: UnsafeRawBufferPointer(rebasing: chunk[0..<max(0, at - streamOffset)]),
                                           afterCR: lastByte == 0x0D)
        }
        var offset = 0
        while offset < chunk.count {
            // The tokenizer writes at most as many bytes as it reads, after the kept bytes.
            bytes.reserve(bytes.count + chunk.count - offset)
            let step = tokenizer.nextRecord(UnsafeRawBufferPointer(rebasing: chunk[offset...]),
                                            output: UnsafeMutableRawPointer(bytes.base + bytes.count),
                                            outputOffset: bytes.count, fieldEnds: endsRoom())
            offset += step.consumed
            account(written: step.written, fields: step.fields, recordEnded: step.event == .record)
            if step.event == .record {
                try endRecord()
                if stopForResume { return }
            }
        }
        streamOffset += chunk.count
        if let last = chunk.last { lastByte = last }
    }

    /// The end of the input: closes the last record if one is open.
    mutating func finish() throws {
        let step = tokenizer.nextRecord(UnsafeRawBufferPointer(start: nil, count: 0),
                                        output: UnsafeMutableRawPointer(bytes.base + bytes.count),
                                        outputOffset: bytes.count, fieldEnds: endsRoom())
        account(written: 0, fields: step.fields, recordEnded: step.event == .record)
        atEnd = true
        defer { atEnd = false }
        if step.event == .record { try endRecord() }
    }

    /// Room for value ends: after the kept ones, or in the scratch area for a rejected record.
    private mutating func endsRoom() -> UnsafeMutableBufferPointer<Int32> {
        if doomed { return scratchEnds }
        // Room for a block of 64 bytes' ends at once and one more (see `ends`).
        if ends.capacity - ends.count <= 64 { ends.reserve(ends.count + 128) }
        return UnsafeMutableBufferPointer(start: ends.base + ends.count, count: ends.capacity - ends.count)
    }

    /// Keeps what the tokenizer wrote, unless the record passes a limit. The limits count the
    /// values' bytes, not the delimiter the tokenizer writes after each value but the record's
    /// last (value `k` starts one byte after value `k - 1` ends).
    ///
    /// A record over both a size limit and the field limit is rejected for the one it passed
    /// first, value by value: the reason never depends on how the input was cut into steps (a
    /// step holds as many values as the room for their ends, which changes with buffer sizes).
    @inline(__always)
    private mutating func account(written: Int, fields: Int, recordEnded: Bool) {
        let valuesBefore = fieldCount
        fieldCount += fields
        guard !doomed else { return }
        // Offsets are from the storage's start; the record's own count from its start.
        var fieldStart = ends.count > recordValueStart ? Int(ends.base[ends.count - 1]) + 1 : recordByteStart
        let recordBytes = bytes.count - recordByteStart
        if recordBytes + written > limits.maxFieldBytes || recordBytes + written > limits.maxRecordBytes
            || fieldCount > limits.maxFields {
            // Only a record this large (or this wide) can pass a limit: its values in order. The
            // record's value bytes up to value j's end are that end less the j delimiters before.
            for k in 0..<fields {
                let j = ends.count + k, end = Int(ends.base[j])
                if end - fieldStart > limits.maxFieldBytes
                    || (end - recordByteStart) - (j - recordValueStart) > limits.maxRecordBytes {
                    tooLarge = true
                    break
                }
                if valuesBefore + k + 1 > limits.maxFields {
                    tooManyFields = true
                    break
                }
                fieldStart = end + 1
            }
        } else if fields > 0 {
            fieldStart = Int(ends.base[ends.count + fields - 1]) + 1
        }
        ends.count += fields
        bytes.count += written
        // Delimiters written: one after each value ended so far, but the record's last.
        let values = ends.count - recordValueStart
        let delimiters = recordEnded ? max(0, values - 1) : values
        // The value still open counts too (after the values ended in this step).
        if !tooLarge && !tooManyFields
            && (bytes.count - fieldStart > limits.maxFieldBytes
                || bytes.count - recordByteStart - delimiters > limits.maxRecordBytes) {
            tooLarge = true
        }
        if tooLarge || tooManyFields {
            doomed = true
            bytes.count = recordByteStart
            ends.count = recordValueStart
        }
    }

    private mutating func endRecord() throws {
        let line = tokenizer.recordLine
        defer {
            // Back to the record's start (a kept record in a sink's area moved it past itself).
            bytes.count = recordByteStart
            ends.count = recordValueStart
            fieldCount = 0
            tooLarge = false
            tooManyFields = false
            doomed = false
            tokenizer.nulBytes = 0
            tokenizer.unterminatedQuote = false
        }
        if columns == nil {
            if hasHeader {
                try declareHeader(line: line)
                return
            }
            if tooManyFields {
                throw IngestError(.tooManyFields, path: "", line: line,
                                  message: "the first record has \(fieldCount) fields, more than the limit of \(limits.maxFields)")
            }
            columns = fieldCount
            for i in 0..<fieldCount { sink.declareField(i, name: "column_\(i + 1)") }
        }
        let columns = columns!
        records += 1
        if tokenizer.unterminatedQuote {
            let quoteLine = tokenizer.quoteLine
            if canResume {
                rejected += 1
                resumeAfterLine = quoteLine
                sink.reject(RecordRejection(line: line, reason: .unterminatedQuote,
                                            detail: "a quoted field opened on line \(quoteLine) is not closed before the end of input; reading resumes on line \(quoteLine + 1) with that quote taken as text"))
                return
            }
            unresumedQuoteLine = quoteLine
            sink.warn(InputWarning(line: line, kind: .unterminatedQuote,
                                   detail: "a quoted field opened on line \(quoteLine) is not closed before the end of input: the lines after it were read as its text"))
        }
        let lastLine = atEnd ? tokenizer.lineTerminators + 1 : tokenizer.lineTerminators
        if doomed, tooLarge, lastLine > line + 1, tokenizer.quoteLine == line, canResume,
           mergedRecordResumptions < Self.maxMergedRecordResumptions {
            // Too large to keep, over several lines, from a quote opened on its first line: a
            // stray quote closed by another far below (its bytes are gone, so the lines cannot
            // be checked): reject it and read its other lines again as records (review).
            mergedRecordResumptions += 1
            rejected += 1
            resumeAfterLine = line
            stopForResume = true
            sink.reject(RecordRejection(line: line, reason: .mergedRecords,
                                        detail: "a quoted field opened on this line runs over \(lastLine - line) more lines and past the size limits (a stray quote); reading resumes on line \(line + 1) with that quote taken as text"))
            return
        }
        if doomed {
            rejected += 1
            if tooManyFields {
                sink.reject(RecordRejection(line: line, reason: .tooManyFields,
                                            detail: "\(fieldCount) fields, limit \(limits.maxFields)"))
            } else {
                sink.reject(RecordRejection(line: line, reason: .recordTooLarge,
                                            detail: "a field exceeds \(limits.maxFieldBytes) bytes or the record \(limits.maxRecordBytes) bytes"))
            }
            return
        }
        // Lines shaped like records inside this record's values (only a record over several
        // lines can have any): counted once, for the rejection or the warning below.
        let shaped = lastLine > line ? quotedRecordLines(columns: columns) : 0
        if shaped > 0, canResume, mergedRecordResumptions < Self.maxMergedRecordResumptions {
            // A stray quote merged the lines up to the next quote into one value: reject this
            // record and read its other lines again as records (second tester, N1).
            mergedRecordResumptions += 1
            rejected += 1
            resumeAfterLine = line
            stopForResume = true
            sink.reject(RecordRejection(line: line, reason: .mergedRecords,
                                        detail: "a quoted field runs over \(lastLine - line) more line\(lastLine - line == 1 ? "" : "s") shaped like records (a stray quote); reading resumes on line \(line + 1) with that quote taken as text"))
            return
        }
        let count = fieldCount
        if count != columns {
            sink.warn(InputWarning(line: line, kind: .raggedRow,
                                   detail: "\(count) field\(count == 1 ? "" : "s"), \(hasHeader ? "header" : "first record") has \(columns)"))
            if count < columns {
                // Missing values are empty, each after a delimiter like every value but the first.
                bytes.reserve(bytes.count + columns - count)
                for _ in count..<columns {
                    bytes.append(tokenizer.delimiter)
                    ends.append(Int32(truncatingIfNeeded: bytes.count))
                }
            } else {
                while extrasDeclared < count - columns {
                    sink.declareField(columns + extrasDeclared, name: "extra_\(extrasDeclared + 1)")
                    extrasDeclared += 1
                }
            }
        }
        if tokenizer.nulBytes > 0 {
            sink.warn(InputWarning(line: line, kind: .nulBytes, detail: "\(tokenizer.nulBytes) NUL byte\(tokenizer.nulBytes == 1 ? "" : "s") removed",
                                   amount: tokenizer.nulBytes))
        }
        if shaped > 0 { warnQuotedRecords(line: line, shaped: shaped, columns: columns) }
        deriveStartsAndIDs()
        if let areaSink {
            // Kept where it was built: the record's start moves past it.
            let values = ends.count - recordValueStart
            let valueBytes = values == 0 ? 0 : bytes.count - recordByteStart - (values - 1)
            let take = try areaSink._withUnsafeGuaranteedRef {
                try $0.sink.commitRecord(line: line, valueEnd: ends.count, byteEnd: bytes.count, valueBytes: valueBytes)
            }
            recordByteStart = bytes.count
            recordValueStart = ends.count
            if take { handOverRecords() }
            return
        }
        let values = ends.count
        if let viewSink {
            let b = UnsafeRawBufferPointer(start: bytes.base, count: bytes.count)
            let f = UnsafeBufferPointer(start: ids.base, count: values)
            let s = starts.buffer, e = ends.buffer
            try viewSink._withUnsafeGuaranteedRef {
                try $0.sink.consume(line: line, bytes: b, fieldIDs: f, starts: s, ends: e)
            }
            return
        }
        record.load(line: line, bytes: UnsafeRawBufferPointer(start: bytes.base, count: bytes.count),
                    fieldIDs: UnsafeBufferPointer(start: ids.base, count: values),
                    starts: starts.buffer, ends: ends.buffer)
        try sink.consume(record)
    }

    /// Warns when a value of the current record (which spans lines, so holds a quoted line
    /// break) has lines shaped like records: at least as many delimiters as a record has
    /// (`columns - 1`, at least 2). A stray quote then merged them into one record.
    private func warnQuotedRecords(line: Int, shaped: Int, columns: Int) {
        let needed = max(columns - 1, 2)
        sink.warn(InputWarning(line: line, kind: .quotedRecords,
                               detail: "a quoted field of the record on this line holds \(shaped) line\(shaped == 1 ? "" : "s") with \(needed) or more delimiters: a stray quote may have merged records"))
    }

    /// Lines inside the current record's values that are shaped like records: after a line
    /// break, at least `columns - 1` (and 2) delimiters before the next break or the end of the
    /// value.
    ///
    /// One pass over the record's bytes (its values with one delimiter between them), eight at
    /// a time: a word with no byte below 0x0E holds no line break. At each break, the value
    /// holding it is found by walking the value ends forward, and the segment the previous break
    /// opened is closed: at this break when it is in the same value, else at its value's end.
    /// Per value (the earlier way) the short tails of a record's many values cost more than the
    /// record's bytes (1.5 % of the benchmark's CPU, perf).
    private func quotedRecordLines(columns: Int) -> Int {
        let needed = max(columns - 1, 2)
        let delimiter = tokenizer.delimiter
        let valueCount = ends.count - recordValueStart
        guard valueCount > 0 else { return 0 }
        let base = bytes.base, valueEnds = ends.base + recordValueStart
        let end = Int(valueEnds[valueCount - 1])
        var shaped = 0
        var value = 0           // the value holding byte k (advanced at breaks only)
        var open = -1           // start of the segment after the last break, -1 when none
        var openValue = 0       // the value holding that segment
        func close(at stop: Int) {
            var delimiters = 0
            for i in open..<stop where base[i] == delimiter { delimiters += 1 }
            if delimiters >= needed { shaped += 1 }
        }
        var k = recordByteStart
        while k < end {
            if k + 8 <= end {
                let w = UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)
                if (w &- 0x0E0E_0E0E_0E0E_0E0E) & ~w & 0x8080_8080_8080_8080 == 0 {
                    k += 8
                    continue
                }
            }
            let stop = min(k + 8, end)
            while k < stop {
                let b = base[k]
                if b == 0x0A || b == 0x0D {
                    while Int(valueEnds[value]) <= k { value += 1 }
                    if open >= 0 { close(at: openValue == value ? k : Int(valueEnds[openValue])) }
                    open = k + 1
                    openValue = value
                }
                k += 1
            }
        }
        if open >= 0 { close(at: Int(valueEnds[openValue])) }
        return shaped
    }

    /// Fills `starts` (value i starts one byte, the delimiter, after value i-1 ends) and
    /// extends `ids` to cover `ends`.
    private mutating func deriveStartsAndIDs() {
        let first = recordValueStart, values = ends.count - first
        starts.count = first
        starts.reserve(first + values)
        // starts = [recordByteStart, ends[0] + 1, ends[1] + 1, …] for the record's values.
        if values > 0 {
            starts.base[first] = Int32(truncatingIfNeeded: recordByteStart)
            _ = ValueOffsets.copy(ends.base + first, to: starts.base + first + 1, count: values - 1, adding: 1)
        }
        starts.count = first + values
        if areaSink != nil {
            // Field ids 0, 1, 2, … after the committed records' ids.
            while idSequence.count < values { idSequence.append(Int32(truncatingIfNeeded: idSequence.count)) }
            ids.count = first
            ids.append(contentsOf: idSequence.base, count: values)
        } else {
            while ids.count < values { ids.append(Int32(truncatingIfNeeded: ids.count)) }
        }
    }

    /// Hands the committed records' storage to the area sink (when there is one), taking empty
    /// storage back; a record being built (after a failure) is dropped first.
    mutating func handOverRecords() {
        guard let areaSink else { return }
        bytes.count = recordByteStart
        ends.count = recordValueStart
        starts.count = recordValueStart
        ids.count = recordValueStart
        areaSink._withUnsafeGuaranteedRef {
            $0.sink.takeRecords(bytes: &bytes, fieldIDs: &ids, starts: &starts, ends: &ends)
        }
        recordByteStart = 0
        recordValueStart = 0
    }

    private mutating func declareHeader(line: Int) throws {
        if tooManyFields {
            throw IngestError(.tooManyFields, path: "", line: line,
                              message: "the header has \(fieldCount) columns, more than the limit of \(limits.maxFields)")
        }
        if tooLarge {
            throw IngestError(.recordTooLarge, path: "", line: line,
                              message: "the header exceeds the size limits (\(limits.maxFieldBytes) bytes per field, \(limits.maxRecordBytes) per record)")
        }
        deriveStartsAndIDs()
        var names: [UnsafeBufferPointer<UInt8>] = []
        for i in recordValueStart..<ends.count {
            var name = UnsafeBufferPointer(start: bytes.base + Int(starts.base[i]), count: Int(ends.base[i] - starts.base[i]))[...]
            if name.starts(with: [0xEF, 0xBB, 0xBF]) { name = name.dropFirst(3) }
            while let f = name.first, f == 0x20 || f == 0x09 { name = name.dropFirst() }
            while let l = name.last, l == 0x20 || l == 0x09 { name = name.dropLast() }
            names.append(UnsafeBufferPointer(rebasing: name))
        }
        // A header holding an identifier is a row of data (a forced `--header`, or a sniffing
        // error): none of its cells is used as a field name (a city or a comment beside the NIR
        // is that person's too).
        var identifiers: [(column: Int, kind: String)] = []
        var hidden = Set<Int>()
        if let headerEvidence {
            for (i, name) in names.enumerated() {
                if let kind = headerEvidence.identifierKind(of: UnsafeRawBufferPointer(name)) { identifiers.append((i, kind)) }
            }
            if !identifiers.isEmpty { hidden = Set(names.indices) }
        }
        for (i, name) in names.enumerated() {
            let plain = name.isEmpty || hidden.contains(i)
            sink.declareField(i, name: plain ? "column_\(i + 1)" : String(decoding: name, as: UTF8.self))
        }
        if !identifiers.isEmpty {
            let listed = identifiers.map { "column \($0.column + 1) (\($0.kind))" }.joined(separator: ", ")
            sink.warn(InputWarning(line: line, kind: .identifierInHeader,
                                   detail: "the header holds identifiers: \(listed); the first row may be data: \(hidden.count) column\(hidden.count == 1 ? "" : "s") named column_<n> instead"))
        }
        if tokenizer.nulBytes > 0 {
            sink.warn(InputWarning(line: line, kind: .nulBytes, detail: "\(tokenizer.nulBytes) NUL bytes removed from the header",
                                   amount: tokenizer.nulBytes))
        }
        if tokenizer.unterminatedQuote {
            unresumedQuoteLine = tokenizer.quoteLine
            sink.warn(InputWarning(line: line, kind: .unterminatedQuote,
                                   detail: "a quoted field opened on line \(tokenizer.quoteLine) of the header is not closed before the end of input"))
        }
        columns = ends.count - recordValueStart
    }
}
