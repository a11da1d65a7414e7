import ImpactIngest

/// How a JSON input holds its records.
public enum JSONMode: String, Sendable, Equatable, CaseIterable {
    /// One JSON document: a top-level array of records, an object holding one, or one record.
    case document = "json"
    /// JSON Lines / NDJSON: one record object per line.
    case lines = "jsonl"
}

/// Streams a JSON document or a JSON Lines file into records for a ``RecordSink``.
///
/// Reading: the source is read through one fixed buffer and fed to a ``JSONTokenizer``; values
/// are unescaped straight into the record being built. Memory stays flat in the file size,
/// bounded by the largest record (``IngestLimits/maxRecordBytes``) plus one value
/// (``IngestLimits/maxFieldBytes``). A leading UTF-8 byte-order mark is skipped.
///
/// Mode (`mode: nil` detects it from the first bytes, looking at no more than 1 MiB):
/// - first non-space byte `[` (or a scalar) → ``JSONMode/document``;
/// - `{` → ``JSONMode/lines`` when the first non-blank line holds one complete object and more
///   text follows on later lines (a document cannot continue after its value), or when the first
///   line is broken but a later one holds a complete object (JSON Lines with a bad first line);
///   ``JSONMode/document`` when the first line ends inside an unclosed object or array
///   (pretty-printed), when the object is alone, or when no line ends within 1 MiB (one huge
///   minified document). A single-line JSON Lines file is thus read as a document: callers that
///   know the file is JSON Lines (`.jsonl`, `.ndjson`) pass `.lines`.
///
/// Records in document mode (``InputDescription/recordPath`` says which rule applied):
/// - a top-level array: each element is a record (`$[]`); an element that is not an object is
///   rejected as ``RecordRejection/Reason/notAnObject`` and reading goes on;
/// - a top-level object: its members are read in order; the first member whose value is an
///   array whose first element is an object holds the records (`$.data[]`). This rule is chosen
///   because it can be applied while streaming: members read before that array (an envelope
///   such as `"count": 3`) are discarded, and so is everything after it, including other arrays
///   of objects. If no member qualifies, the object is one record (`$`). Consequence: a single
///   record that holds an array of objects (`{"patient": {…}, "exams": [{…}]}`) is read as
///   records of that array;
/// - a top-level scalar: one rejected record (`$`); whitespace only: no record (`recordPath` nil).
///
/// Records in lines mode (`lines`): each non-blank line is one record; blank lines (also a
/// trailing one) are ignored without a warning. A line that is not one valid JSON value is
/// rejected with its line number (``RecordRejection/Reason/malformedJSON``, the detail gives a
/// column, never a value), a valid line that is not an object as
/// ``RecordRejection/Reason/notAnObject``, and reading goes on with the next line. Limits reject
/// the line too (``RecordRejection/Reason/nestingTooDeep``, ``RecordRejection/Reason/recordTooLarge``,
/// ``RecordRejection/Reason/tooManyFields``); an oversize line is skipped up to its newline
/// without being buffered.
///
/// Values and field paths: everything nested in a record belongs to its data subject, so it is
/// flattened into that record, never made a record of its own. Nested objects give dotted paths
/// (`patient.nir`, `patient.adresse.ville`); each element of an array is a value of `name[]`
/// (`emails[]`), members of objects in arrays are `name[].key` (`exams[].code`), nested arrays
/// `name[][]`. Keys are used as they are: a key holding `.` or `[` gives a name that reads as
/// deeper nesting, yet stays a field of its own. Values are strings (unescaped UTF-8), numbers
/// (their exact text), `true`/`false` (as text); `null`, `{}` and `[]` append nothing. Each path
/// gets a field id in first-seen order, declared once with ``RecordSink/declareField(_:name:)``
/// just before the first record that uses it; ids first met in a rejected record are not
/// declared (and are reused). `record.line` is the 1-based line where the record's `{` is.
///
/// Errors (thrown, document mode; a document cannot be resynchronised): ``IngestError`` with
/// the line, the byte offset in the decoded stream and `recordsBeforeFailure` (records consumed
/// or rejected before): `.truncatedJSON` (input ends inside the document), `.malformedJSON`,
/// `.nestingTooDeep`, `.recordTooLarge`, `.tooManyFields`; source errors are passed on.
///
/// Contract: the source yields UTF-8 (see `DecodingByteSource`). The returned
/// ``InputDescription`` fills `format` (`json`/`jsonl`), `recordPath`, `records` (consumed +
/// rejected), `rejectedRecords` and `lines`; encoding, compression and byte counts are left at
/// their defaults for the caller.
public final class JSONRecordReader {
    public let path: String
    public let mode: JSONMode?
    public let limits: IngestLimits
    private let source: ByteSource

    /// Size of the fixed read buffer.
    static let readBufferSize = 256 << 10
    /// Most bytes looked at to detect the mode.
    static let detectionWindow = 1 << 20

    /// - Parameters:
    ///   - source: the input, already decoded to UTF-8.
    ///   - path: the input's name, for errors.
    ///   - mode: `nil` to detect it from the content.
    ///   - limits: value, record and nesting limits.
    public init(source: ByteSource, path: String, mode: JSONMode? = nil, limits: IngestLimits = .init()) {
        self.source = source
        self.path = path
        self.mode = mode
        self.limits = limits
    }

    /// Reads the whole input into `sink`.
    ///
    /// - Returns: how the input was read (see the type's contract).
    /// - Throws: ``IngestError`` (document mode errors, source errors) or what `sink.consume` throws.
    public func run(into sink: RecordSink) throws -> InputDescription {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 16)
        defer { buffer.deallocate() }
        var input = JSONInput(source: source, buffer: buffer)
        try input.skipByteOrderMark()
        let chosen = try mode ?? detectMode(&input)
        switch chosen {
        case .lines:
            var reader = JSONLinesDriver(limits: limits, sink: sink)
            try input.forEachChunk { try reader.feed($0) }
            try reader.finish()
            return InputDescription(path: path, format: chosen.rawValue, recordPath: "lines",
                                    records: reader.consumed + reader.rejected, rejectedRecords: reader.rejected,
                                    lines: reader.lines)
        case .document:
            var reader = JSONDocumentDriver(path: path, limits: limits, sink: sink, offsetBase: input.byteOrderMarkLength)
            try input.forEachChunk { try reader.feed($0, isFinal: false) }
            try reader.feed(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true)
            return InputDescription(path: path, format: chosen.rawValue, recordPath: reader.recordPath,
                                    records: reader.consumed + reader.rejected, rejectedRecords: reader.rejected,
                                    lines: reader.lines)
        }
    }

    /// The mode rule of the type's documentation, applied to the first bytes (read into `input`'s prefix).
    private func detectMode(_ input: inout JSONInput) throws -> JSONMode {
        var firstByteSeen = false
        var nextLine = 0                  // start of the first line not yet examined
        var firstLineIsObject: Bool?      // the first non-blank line holds exactly one complete object
        var tokenizer = JSONTokenizer(maxDepth: limits.maxNestingDepth, maxValueBytes: limits.maxFieldBytes)
        while true {
            if !firstByteSeen, let first = input.prefix.first(where: { !Self.isSpace($0) }) {
                if first != UInt8(ascii: "{") { return .document }
                firstByteSeen = true
            }
            if firstByteSeen && firstLineIsObject != true {
                while let line = Self.nextLine(in: input.prefix, from: &nextLine, atEnd: input.isExhausted) {
                    if line.allSatisfy(Self.isSpace) { continue }
                    let shape = Self.lineShape(line, &tokenizer)
                    if firstLineIsObject == nil {
                        if shape == .unclosed { return .document } // a multi-line (pretty-printed) document
                        firstLineIsObject = shape == .object
                        if shape == .object { break }
                    } else if shape == .object {
                        return .lines // a broken first line, then a record line
                    }
                }
            }
            if firstLineIsObject == true,
               input.prefix[min(nextLine, input.prefix.count)...].contains(where: { !Self.isSpace($0) }) {
                return .lines // a second value after a one-line object
            }
            if input.isExhausted || input.prefix.count >= Self.detectionWindow { return .document }
            try input.readMore()
        }
    }

    private enum LineShape { case object, unclosed, other }

    /// Whether `line` is one complete object, ends inside an unclosed object or array (outside a
    /// string: the start of a multi-line document), or is anything else.
    private static func lineShape(_ line: ArraySlice<UInt8>, _ tokenizer: inout JSONTokenizer) -> LineShape {
        tokenizer.reset()
        var scratch: [UInt8] = []
        var isObject = false
        var first = true
        return line.withUnsafeBytes { bytes in
            var rest = bytes
            while true {
                let (result, consumed) = tokenizer.next(rest, isFinal: true, into: &scratch)
                rest = UnsafeRawBufferPointer(rebasing: rest[consumed...])
                scratch.removeAll(keepingCapacity: true)
                switch result {
                case .token(let token):
                    if first { isObject = token == .objectStart; first = false }
                case .end:
                    return isObject ? .object : .other
                case .error(let error):
                    return error.kind == .unexpectedEnd && error.context != .string ? .unclosed : .other
                case .needMoreInput:
                    return .other
                }
            }
        }
    }

    /// The next LF-terminated line of `bytes` from `start` (or the unterminated rest when `atEnd`), advancing `start`.
    private static func nextLine(in bytes: [UInt8], from start: inout Int, atEnd: Bool) -> ArraySlice<UInt8>? {
        guard start < bytes.count else { return nil }
        if let newline = bytes[start...].firstIndex(of: 0x0A) {
            defer { start = newline + 1 }
            return bytes[start..<newline]
        }
        guard atEnd else { return nil }
        defer { start = bytes.count }
        return bytes[start...]
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
}

/// The source seen through one fixed buffer, with the bytes read ahead for mode detection
/// (`prefix`) replayed first.
struct JSONInput {
    let source: ByteSource
    let buffer: UnsafeMutableRawBufferPointer
    /// Bytes read but not yet handed to the reader (BOM removed).
    var prefix: [UInt8] = []
    /// The source returned 0.
    private(set) var isExhausted = false
    private(set) var byteOrderMarkLength = 0

    init(source: ByteSource, buffer: UnsafeMutableRawBufferPointer) {
        self.source = source
        self.buffer = buffer
    }

    /// Reads at least 4 KiB more into `prefix`, or up to the end (then sets `isExhausted`), so
    /// detection rescans its unfinished line a bounded number of times even if reads are short.
    mutating func readMore() throws {
        var added = 0
        while added < 4096 {
            let count = try source.read(into: buffer)
            if count == 0 { isExhausted = true; return }
            prefix.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            added += count
        }
    }

    /// Removes a leading UTF-8 byte-order mark (EF BB BF).
    mutating func skipByteOrderMark() throws {
        if !isExhausted { try readMore() }
        if prefix.count >= 3 && prefix[0] == 0xEF && prefix[1] == 0xBB && prefix[2] == 0xBF {
            prefix.removeFirst(3)
            byteOrderMarkLength = 3
        }
    }

    /// Calls `body` with the prefix, then with each chunk of the rest of the source.
    mutating func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if !prefix.isEmpty { try prefix.withUnsafeBytes(body) }
        prefix = []
        while !isExhausted {
            let count = try source.read(into: buffer)
            if count == 0 { isExhausted = true; break }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}

// MARK: - Lines mode

/// Lines mode: splits chunks at LF and runs a fresh tokenizer over each line. A value type, kept
/// in a local variable while reading, so its state is checked for exclusivity statically.
struct JSONLinesDriver {
    private var tokenizer: JSONTokenizer
    private var assembler: JSONRecordAssembler
    private let record = RecordBuffer()
    private let sink: RecordSink
    private let limits: IngestLimits

    /// 1-based number of the current line.
    private var line = 1
    /// Bytes seen on the current line.
    private var lineHasBytes = false
    /// The current line was rejected: ignore it up to its newline.
    private var skipping = false
    /// The current line's record object closed (it is consumed once the line ends cleanly).
    private var recordClosed = false

    private(set) var consumed = 0
    private(set) var rejected = 0
    /// Physical lines read.
    var lines: Int { line - 1 }

    init(limits: IngestLimits, sink: RecordSink) {
        tokenizer = JSONTokenizer(maxDepth: limits.maxNestingDepth, maxValueBytes: limits.maxFieldBytes)
        tokenizer.keysStayInInput = true
        assembler = JSONRecordAssembler(limits: limits)
        self.sink = sink
        self.limits = limits
    }

    mutating func feed(_ chunk: UnsafeRawBufferPointer) throws {
        guard let base = chunk.baseAddress else { return }
        var position = 0
        while position < chunk.count {
            let newline = memchr(base + position, 0x0A, chunk.count - position)
            let end = newline.map { UnsafeRawPointer($0) - base } ?? chunk.count
            if end > position {
                lineHasBytes = true
                if !skipping { try feedLine(UnsafeRawBufferPointer(rebasing: chunk[position..<end]), isFinal: false) }
            }
            guard newline != nil else { return }
            try endLine()
            position = end + 1
        }
    }

    /// Ends a last line that has no newline.
    mutating func finish() throws {
        if lineHasBytes { try endLine() }
    }

    private mutating func endLine() throws {
        if !skipping { try feedLine(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true) }
        line += 1
        lineHasBytes = false
        skipping = false
        recordClosed = false
        tokenizer.reset()
    }

    private mutating func feedLine(_ bytes: UnsafeRawBufferPointer, isFinal: Bool) throws {
        var rest = bytes
        while true {
            let input = rest
            let (result, used) = tokenizer.next(input, isFinal: isFinal, into: &assembler.bytes)
            rest = UnsafeRawBufferPointer(rebasing: input[used...])
            switch result {
            case .token(let token):
                if !assembler.isOpen {
                    guard token == .objectStart else {
                        return reject(.notAnObject, "the line holds \(Self.article(token)), not an object")
                    }
                    assembler.begin(line: line)
                    continue
                }
                switch assembler.take(token, from: tokenizer, input: input) {
                case .more: continue
                case .complete: recordClosed = true
                case .tooLarge: return reject(.recordTooLarge, "record larger than \(limits.maxRecordBytes) bytes")
                case .tooManyFields: return reject(.tooManyFields, "more than \(limits.maxFields) values")
                }
            case .needMoreInput:
                return
            case .end:
                if recordClosed {
                    try assembler.commit(to: sink, through: record)
                    consumed += 1
                }
                return
            case .error(let error):
                switch error.kind {
                case .noValue:
                    return // blank line
                case .nestingTooDeep:
                    return reject(.nestingTooDeep, "nesting deeper than \(limits.maxNestingDepth) at column \(error.column)")
                case .valueTooLarge:
                    return reject(.recordTooLarge, "value longer than \(limits.maxFieldBytes) bytes at column \(error.column)")
                default:
                    return reject(.malformedJSON, "\(error.summary) at column \(error.column)")
                }
            }
        }
    }

    private mutating func reject(_ reason: RecordRejection.Reason, _ detail: String) {
        assembler.abandon()
        sink.reject(RecordRejection(line: line, reason: reason, detail: detail))
        rejected += 1
        skipping = true
    }

    static func article(_ token: JSONToken) -> String {
        switch token {
        case .arrayStart: "an array"
        case .string: "a string"
        case .number: "a number"
        case .true, .false: "a boolean"
        case .null: "null"
        default: "a value"
        }
    }
}

// MARK: - Document mode

/// Document mode: one tokenizer over the whole input; finds the records (`$[]`, `$.key[]`, `$`).
/// A value type, like ``JSONLinesDriver``.
struct JSONDocumentDriver {
    private enum Phase {
        /// Before the first token.
        case start
        /// Inside the top-level object, no record array found yet: building it as the `$` record.
        case rootObject
        /// Between the elements of the record array, whose elements are at depth `depth + 1`.
        case elements(depth: Int)
        /// Inside a record (an element of the record array at `depth`).
        case inRecord(depth: Int)
        /// Inside a rejected element that is an array.
        case skippingElement(depth: Int)
        /// After the record array of the top-level object: the rest is ignored.
        case afterRecordArray
        /// The top-level value is complete.
        case done
    }

    private var tokenizer: JSONTokenizer
    private var assembler: JSONRecordAssembler
    private let record = RecordBuffer()
    private let sink: RecordSink
    private let path: String
    private let limits: IngestLimits
    /// Bytes before the tokenizer's first byte (a skipped byte-order mark).
    private let offsetBase: Int
    private var phase: Phase = .start
    /// A member of the top-level object just opened an array: its first element decides.
    private var candidateArrayMember: Int32 = -1

    private(set) var recordPath: String?
    private(set) var consumed = 0
    private(set) var rejected = 0
    /// Physical lines read.
    var lines: Int { tokenizer.line - 1 + (tokenizer.column > 1 ? 1 : 0) }

    init(path: String, limits: IngestLimits, sink: RecordSink, offsetBase: Int) {
        tokenizer = JSONTokenizer(maxDepth: limits.maxNestingDepth, maxValueBytes: limits.maxFieldBytes)
        tokenizer.keysStayInInput = true
        assembler = JSONRecordAssembler(limits: limits)
        self.sink = sink
        self.path = path
        self.limits = limits
        self.offsetBase = offsetBase
    }

    mutating func feed(_ chunk: UnsafeRawBufferPointer, isFinal: Bool) throws {
        var rest = chunk
        while true {
            let input = rest
            let (result, used) = tokenizer.next(input, isFinal: isFinal, into: &assembler.bytes)
            rest = UnsafeRawBufferPointer(rebasing: input[used...])
            switch result {
            case .token(let token):
                try take(token, input: input)
            case .needMoreInput, .end:
                return
            case .error(let error):
                if error.kind == .noValue { return } // empty document: no record
                throw ingestError(error)
            }
        }
    }

    private mutating func take(_ token: JSONToken, input: UnsafeRawBufferPointer) throws {
        switch phase {
        case .start:
            switch token {
            case .objectStart:
                recordPath = "$"
                assembler.begin(line: tokenizer.line)
                phase = .rootObject
            case .arrayStart:
                recordPath = "$[]"
                phase = .elements(depth: 1)
            default:
                recordPath = "$"
                rejectElement(token)
                phase = .done
            }

        case .rootObject:
            if candidateArrayMember >= 0 {
                let member = candidateArrayMember
                candidateArrayMember = -1
                if token == .objectStart {
                    // The first array of objects among the top-level members: its elements are the records.
                    recordPath = "$." + assembler.name(of: member) + "[]"
                    assembler.abandon()
                    assembler.begin(line: tokenizer.line)
                    phase = .inRecord(depth: 2)
                    return
                }
            }
            if token == .arrayStart && tokenizer.depth == 2 {
                candidateArrayMember = assembler.currentMember
            }
            try step(assembler.take(token, from: tokenizer, input: input))
            if !assembler.isOpen { phase = .done }

        case .elements(let depth):
            switch token {
            case .objectStart:
                assembler.begin(line: tokenizer.line)
                phase = .inRecord(depth: depth)
            case .arrayEnd:
                phase = depth == 1 ? .done : .afterRecordArray
            case .arrayStart:
                rejectElement(token)
                phase = .skippingElement(depth: depth)
            default:
                rejectElement(token)
            }

        case .inRecord(let depth):
            try step(assembler.take(token, from: tokenizer, input: input))
            if !assembler.isOpen { phase = .elements(depth: depth) }

        case .skippingElement(let depth):
            assembler.dropTokenBytes()
            if tokenizer.depth == depth { phase = .elements(depth: depth) }

        case .afterRecordArray:
            assembler.dropTokenBytes()
            if tokenizer.depth == 0 { phase = .done }

        case .done:
            break // the tokenizer refuses anything after the top-level value
        }
    }

    private mutating func step(_ step: JSONRecordAssembler.Step) throws {
        switch step {
        case .more:
            break
        case .complete:
            try assembler.commit(to: sink, through: record)
            consumed += 1
        case .tooLarge:
            throw failure(.recordTooLarge, "record starting at line \(assembler.line) is larger than \(limits.maxRecordBytes) bytes")
        case .tooManyFields:
            throw failure(.tooManyFields, "record starting at line \(assembler.line) has more than \(limits.maxFields) values")
        }
    }

    private mutating func rejectElement(_ token: JSONToken) {
        assembler.dropTokenBytes()
        sink.reject(RecordRejection(line: tokenizer.line, reason: .notAnObject,
                                    detail: "the element is \(JSONLinesDriver.article(token)), not an object"))
        rejected += 1
    }

    private func failure(_ kind: IngestError.Kind, _ message: String) -> IngestError {
        IngestError(kind, path: path, line: tokenizer.line, byteOffset: offsetBase + tokenizer.byteOffset,
                    message: message, recordsBeforeFailure: consumed + rejected)
    }

    private func ingestError(_ error: JSONSyntaxError) -> IngestError {
        let kind: IngestError.Kind
        let message: String
        switch error.kind {
        case .unexpectedEnd:
            kind = .truncatedJSON
            message = error.summary + " (truncated)"
        case .nestingTooDeep:
            kind = .nestingTooDeep
            message = "nesting deeper than \(limits.maxNestingDepth) levels at column \(error.column)"
        case .valueTooLarge:
            kind = .recordTooLarge
            message = "a value longer than \(limits.maxFieldBytes) bytes at column \(error.column)"
        default:
            kind = .malformedJSON
            message = "\(error.summary) at column \(error.column)"
        }
        return IngestError(kind, path: path, line: error.line, byteOffset: offsetBase + error.byteOffset,
                           message: message, recordsBeforeFailure: consumed + rejected)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
