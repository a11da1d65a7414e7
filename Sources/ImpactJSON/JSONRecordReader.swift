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
/// - a top-level object holding arrays of objects (an *array of objects* is a member whose
///   value is an array whose first element is an object): the records are the elements of the
///   **largest** such array, the one with most elements, the first one on ties (`$.data[]`).
///   To find it while streaming, the input is read twice: a first pass runs the tokenizer alone
///   and counts the elements of each top-level member (no record is built, memory stays flat),
///   then `reopen` opens the input again and the chosen array is read. Without `reopen`
///   (standard input cannot be read twice) the **first** array of objects holds the records,
///   read in one pass. Either way nothing is dropped silently: the members not read as records
///   (the envelope, such as `"count": 3`, and the other arrays) are reported once, after the
///   records, in an ``InputWarning/Kind/skippedMembers`` warning that names them with their kind
///   and element counts (at most 8 by name, cut to 64 bytes, the rest counted; member names only: they are field names, like a CSV header; never a
///   value), on the line of the records' `[`; it also says which rule applied, and flags a
///   skipped array larger than the one read (first rule only). A document that ends in error
///   gets no such warning (the error already marks the counts as a lower bound). If the first
///   pass stops at a syntax error, the second pass reads the largest array met before it and
///   throws that error at the same place, after the records before it. If the two passes do not
///   see the same members and counts (the file changed), `.io` is thrown.
///   Consequence: a single record that holds an array of objects
///   (`{"patient": {…}, "exams": [{…}]}`) is read as records of that array, and `patient`
///   is reported as skipped;
/// - a top-level object without an array of objects: the object is one record (`$`), read in
///   one pass; if it breaks a record limit while an array of objects could still follow, the
///   error is thrown only at its end, when none did;
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
    private let reopen: (() throws -> ByteSource)?

    /// Size of the fixed read buffer.
    static let readBufferSize = 256 << 10
    /// Most bytes looked at to detect the mode.
    static let detectionWindow = 1 << 20

    /// - Parameters:
    ///   - source: the input, already decoded to UTF-8.
    ///   - path: the input's name, for errors.
    ///   - mode: `nil` to detect it from the content.
    ///   - limits: value, record and nesting limits.
    ///   - reopen: opens the same input again from its first byte, decoded the same way (a file,
    ///     not standard input), so that a top-level object's largest array of objects can be
    ///     found before it is read; nil reads the first array of objects (see the type's rules).
    public init(source: ByteSource, path: String, mode: JSONMode? = nil, limits: IngestLimits = .init(),
                reopen: (() throws -> ByteSource)? = nil) {
        self.source = source
        self.reopen = reopen
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
            try input.forEachChunk { try reader.feed($0); return true }
            try reader.finish()
            return InputDescription(path: path, format: chosen.rawValue, recordPath: "lines",
                                    records: reader.consumed + reader.rejected, rejectedRecords: reader.rejected,
                                    lines: reader.lines)
        case .document:
            var reader = JSONDocumentDriver(path: path, limits: limits, sink: sink, offsetBase: input.byteOrderMarkLength,
                                            plan: reopen == nil ? .firstArray : .survey)
            try readDocument(&input, with: &reader)
            if let survey = reader.survey, let reopen {
                // The top-level object holds arrays of objects: read again, taking the largest.
                var again = JSONInput(source: try reopen(), buffer: buffer)
                try again.skipByteOrderMark()
                reader = JSONDocumentDriver(path: path, limits: limits, sink: sink, offsetBase: again.byteOrderMarkLength,
                                            plan: .member(survey))
                try readDocument(&again, with: &reader)
            }
            return InputDescription(path: path, format: chosen.rawValue, recordPath: reader.recordPath,
                                    records: reader.consumed + reader.rejected, rejectedRecords: reader.rejected,
                                    lines: reader.lines)
        }
    }

    private func readDocument(_ input: inout JSONInput, with reader: inout JSONDocumentDriver) throws {
        var wantsMore = true
        try input.forEachChunk {
            wantsMore = try reader.feed($0, isFinal: false)
            return wantsMore
        }
        if wantsMore { _ = try reader.feed(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true) }
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

    /// Calls `body` with the prefix, then with each chunk of the rest of the source, until the
    /// source ends or `body` returns false.
    mutating func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        if !prefix.isEmpty {
            let more = try prefix.withUnsafeBytes(body)
            prefix = []
            if !more { return }
        }
        while !isExhausted {
            let count = try source.read(into: buffer)
            if count == 0 { isExhausted = true; break }
            if try !body(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { return }
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

/// What the document reader does with a top-level object: which of its arrays of objects it reads.
enum JSONRootObjectPlan: Equatable {
    /// One pass: the first array of objects holds the records (the input cannot be read twice).
    case firstArray
    /// First of two passes: follows the members and counts their elements, reads no array as
    /// records (a top-level array, a scalar, or an object without an array of objects is read as
    /// in one pass).
    case survey
    /// Second pass: the elements of the member the survey chose are the records.
    case member(JSONSurvey)
}

/// What the first pass found in a top-level object: the largest array of objects.
struct JSONSurvey: Equatable {
    var chosen: JSONTopLevelMembers.Member
    /// Members of the top-level object.
    var members: Int
    /// The first pass read the whole document (it did not stop at a syntax error).
    var complete: Bool
}

/// Document mode: one tokenizer over the whole input; finds the records (`$[]`, `$.key[]`, `$`).
/// A value type, like ``JSONLinesDriver``.
struct JSONDocumentDriver {
    private enum Phase {
        /// Before the first token.
        case start
        /// Inside the top-level object, no record array found yet: following its members, and
        /// building it as the `$` record while `envelopeOpen`.
        case rootObject
        /// Between the elements of the record array, whose elements are at depth `depth + 1`.
        case elements(depth: Int)
        /// Inside a record (an element of the record array at `depth`).
        case inRecord(depth: Int)
        /// Inside a rejected element that is an array.
        case skippingElement(depth: Int)
        /// Inside the top-level object, not reading records there: only following its members
        /// (after the record array, while surveying, or before the member chosen by the survey).
        case otherMembers
        /// The top-level value is complete.
        case done
    }

    private var tokenizer: JSONTokenizer
    private var assembler: JSONRecordAssembler
    private let record = RecordBuffer()
    private let sink: RecordSink
    private let path: String
    private let limits: IngestLimits
    private let plan: JSONRootObjectPlan
    /// Bytes before the tokenizer's first byte (a skipped byte-order mark).
    private let offsetBase: Int
    private var phase: Phase = .start
    /// The members of a top-level object.
    private var members = JSONTopLevelMembers()
    /// The top-level object is being built as the `$` record.
    private var envelopeOpen = false
    /// The `$` record broke a limit: thrown if no array of objects follows.
    private var envelopeFailure: IngestError?
    /// The top-level value is an object.
    private var rootIsObject = false
    /// Line of the `[` of the last top-level member array met.
    private var arrayLine = 0
    /// Line of the `[` of the member array read as records (0 until it is met).
    private var recordsLine = 0

    private(set) var recordPath: String?
    private(set) var consumed = 0
    private(set) var rejected = 0
    /// Set by a survey that found an array of objects: the second pass reads it.
    private(set) var survey: JSONSurvey?
    /// The survey stopped at a syntax error: feed no more.
    private(set) var stopped = false
    /// Physical lines read.
    var lines: Int { tokenizer.line - 1 + (tokenizer.column > 1 ? 1 : 0) }

    init(path: String, limits: IngestLimits, sink: RecordSink, offsetBase: Int, plan: JSONRootObjectPlan = .firstArray) {
        tokenizer = JSONTokenizer(maxDepth: limits.maxNestingDepth, maxValueBytes: limits.maxFieldBytes)
        tokenizer.keysStayInInput = true
        assembler = JSONRecordAssembler(limits: limits)
        self.sink = sink
        self.path = path
        self.limits = limits
        self.offsetBase = offsetBase
        self.plan = plan
    }

    /// Reads `chunk`; returns false once no more input is wanted (a survey stopped at an error).
    mutating func feed(_ chunk: UnsafeRawBufferPointer, isFinal: Bool) throws -> Bool {
        guard !stopped else { return false }
        var rest = chunk
        while true {
            let input = rest
            let (result, used) = tokenizer.next(input, isFinal: isFinal, into: &assembler.bytes)
            rest = UnsafeRawBufferPointer(rebasing: input[used...])
            switch result {
            case .token(let token):
                try take(token, input: input)
            case .needMoreInput:
                return true
            case .end:
                try finishDocument()
                return false
            case .error(let error):
                if error.kind == .noValue { return false } // empty document: no record
                if plan == .survey && rootIsObject {
                    // Read again up to the error through the largest array met so far, so that the
                    // records before the error are analysed and the error is thrown from there.
                    members.finishOpenMember()
                    if let largest = members.largestArrayOfObjects {
                        survey = JSONSurvey(chosen: largest, members: members.count, complete: false)
                        stopped = true
                        return false
                    }
                }
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
                rootIsObject = true
                if case .member = plan {
                    phase = .otherMembers
                } else {
                    assembler.begin(line: tokenizer.line)
                    envelopeOpen = true
                    phase = .rootObject
                }
            case .arrayStart:
                recordPath = "$[]"
                phase = .elements(depth: 1)
            default:
                recordPath = "$"
                rejectElement(token)
                phase = .done
            }

        case .rootObject:
            if trackMember(token, input: input) == .firstElementIsObject {
                // The first array of objects among the top-level members.
                if envelopeOpen { assembler.abandon() } else { assembler.dropTokenBytes() }
                envelopeOpen = false
                envelopeFailure = nil
                if plan == .firstArray {
                    recordPath = "$." + members.currentName + "[]"
                    recordsLine = arrayLine
                    assembler.begin(line: tokenizer.line)
                    phase = .inRecord(depth: 2)
                } else {
                    phase = .otherMembers // surveying: count, read no record
                }
                return
            }
            if envelopeOpen {
                switch assembler.take(token, from: tokenizer, input: input) {
                case .more:
                    break
                case .complete:
                    // No array of objects: the top-level object is the one record.
                    try assembler.commit(to: sink, through: record)
                    consumed += 1
                    envelopeOpen = false
                    phase = .done
                    return
                case .tooLarge:
                    envelopeFailure = failure(.recordTooLarge, "record starting at line \(assembler.line) is larger than \(limits.maxRecordBytes) bytes")
                    assembler.abandon()
                    envelopeOpen = false
                case .tooManyFields:
                    envelopeFailure = failure(.tooManyFields, "record starting at line \(assembler.line) has more than \(limits.maxFields) values")
                    assembler.abandon()
                    envelopeOpen = false
                }
            } else {
                assembler.dropTokenBytes()
            }
            if tokenizer.depth == 0 {
                phase = .done
                if let envelopeFailure { throw envelopeFailure }
            }

        case .elements(let depth):
            if depth == 2 { _ = members.observe(token, depthAfter: tokenizer.depth) }
            switch token {
            case .objectStart:
                assembler.begin(line: tokenizer.line)
                phase = .inRecord(depth: depth)
            case .arrayEnd:
                phase = depth == 1 ? .done : .otherMembers
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

        case .otherMembers:
            let event = trackMember(token, input: input)
            assembler.dropTokenBytes()
            if event == .arrayStarted, case .member(let survey) = plan, members.currentOrdinal == survey.chosen.ordinal {
                recordPath = "$." + members.currentName + "[]"
                recordsLine = arrayLine
                phase = .elements(depth: 2)
            } else if tokenizer.depth == 0 {
                phase = .done
            }

        case .done:
            break // the tokenizer refuses anything after the top-level value
        }
    }

    /// Passes a token of the top-level object (outside the records) to ``members``.
    @inline(__always)
    private mutating func trackMember(_ token: JSONToken, input: UnsafeRawBufferPointer) -> JSONTopLevelMembers.Event {
        if token == .key {
            if tokenizer.depth == 1 {
                if let range = tokenizer.keyRangeInInput {
                    members.beginMember(named: UnsafeRawBufferPointer(rebasing: input[range]))
                } else {
                    let kept = assembler.kept
                    assembler.bytes.withUnsafeBytes { members.beginMember(named: UnsafeRawBufferPointer(rebasing: $0[kept...])) }
                }
            }
            return .none
        }
        let event = members.observe(token, depthAfter: tokenizer.depth)
        if event == .arrayStarted { arrayLine = tokenizer.line }
        return event
    }

    /// The document ended cleanly: a survey hands over its choice; records read from a member
    /// array are checked (second pass) and the other members reported.
    private mutating func finishDocument() throws {
        guard rootIsObject else { return }
        switch plan {
        case .survey:
            if let largest = members.largestArrayOfObjects {
                survey = JSONSurvey(chosen: largest, members: members.count, complete: true)
            }
        case .member(let expected):
            guard expected.complete, let largest = members.largestArrayOfObjects,
                  largest.ordinal == expected.chosen.ordinal, largest.elements == expected.chosen.elements,
                  members.count == expected.members, recordsLine > 0 else {
                throw failure(.io, "the input changed between its two reads: the records' array no longer matches")
            }
            warnSkippedMembers(recordsFrom: largest, rule: .largest)
        case .firstArray:
            if let first = members.firstArrayOfObjects { warnSkippedMembers(recordsFrom: first, rule: .first) }
        }
    }

    private func warnSkippedMembers(recordsFrom chosen: JSONTopLevelMembers.Member, rule: JSONTopLevelMembers.Rule) {
        guard let detail = members.skippedMembersDetail(recordsFrom: chosen, rule: rule) else { return }
        sink.warn(InputWarning(line: recordsLine, kind: .skippedMembers, detail: detail))
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
