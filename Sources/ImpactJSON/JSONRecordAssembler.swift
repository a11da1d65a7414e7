import ImpactIngest

/// Builds one record from the tokens of one JSON object: flattens nested values into
/// (field id, bytes) pairs of a ``RecordBuffer``.
///
/// Behaviour (the values of a record all belong to its data subject, so nothing nested becomes a
/// record of its own):
/// - a nested object's members get dotted paths (`patient.adresse.ville`);
/// - each element of an array is a value of the path `name[]` (`emails[]`), the members of
///   objects in it get `name[].key` (`exams[].code`), nested arrays `name[][]`; all are appended
///   to the same record, in document order;
/// - strings are their unescaped UTF-8, numbers their exact text, `true`/`false` the text
///   `true`/`false`; `null` appends nothing, nor do empty objects and arrays (so a path seen
///   only with `null` or `{}` gets no field id);
/// - a key met twice in one object gives two values of the same field.
///
/// The tokenizer writes value bytes straight into ``bytes`` (no staging buffer); bytes past ``kept``
/// belong to the token being read and are dropped for keys and skipped tokens. The assembler is
/// a value type kept in the reader's local state, so the hot loop pays no dynamic exclusivity
/// checks; its arrays are swapped into a ``RecordBuffer`` only to hand the record to the sink.
struct JSONRecordAssembler {
    enum Step {
        case more
        /// The record object closed.
        case complete
        /// The record passed `maxRecordBytes`.
        case tooLarge
        /// The record passed `maxFields` values.
        case tooManyFields
    }

    private struct Frame {
        /// The object's node, or for an array the node of its elements.
        var node: Int32
        var isArray: Bool
        /// Object frames: the member being read (-1 before the first key).
        var member: Int32
    }

    /// The record's values, then the bytes of the token being read (the tokenizer's output).
    var bytes: [UInt8] = []
    private var fieldIDs: [Int32] = []
    private var starts: [Int32] = []
    private var ends: [Int32] = []
    /// 1-based line of the record's `{`.
    private(set) var line = 0
    private(set) var paths = JSONFieldPaths()
    private var frames: [Frame] = []
    /// Length of `bytes` that holds values of the record.
    private(set) var kept = 0
    let maxRecordBytes: Int
    let maxFields: Int

    init(limits: IngestLimits) {
        maxRecordBytes = limits.maxRecordBytes
        maxFields = limits.maxFields
        bytes.reserveCapacity(4096)
        fieldIDs.reserveCapacity(64)
        starts.reserveCapacity(64)
        ends.reserveCapacity(64)
        frames.reserveCapacity(32)
    }

    /// Whether a record object is open.
    var isOpen: Bool { !frames.isEmpty }

    /// The member being read in the innermost object (-1 if none).
    var currentMember: Int32 { frames.last.map { $0.isArray ? -1 : $0.member } ?? -1 }

    /// Opens a record whose `{` the caller has just read on `line`.
    mutating func begin(line: Int) {
        clearValues()
        self.line = line
        frames.removeAll(keepingCapacity: true)
        frames.append(Frame(node: JSONFieldPaths.root, isArray: false, member: -1))
    }

    /// Takes the next token of the open record, read by `tokenizer` from `input`.
    @inline(__always)
    mutating func take(_ token: JSONToken, from tokenizer: JSONTokenizer, input: UnsafeRawBufferPointer) -> Step {
        switch token {
        case .key:
            if let range = tokenizer.keyRangeInInput {
                takeKey(UnsafeRawBufferPointer(rebasing: input[range]))
            } else {
                let copy = bytes
                copy.withUnsafeBytes { all in takeKey(UnsafeRawBufferPointer(rebasing: all[kept...])) }
                dropTokenBytes()
            }
            return .more
        case .string, .number:
            return appendValue()
        case .true:
            bytes.append(contentsOf: "true".utf8)
            return appendValue()
        case .false:
            bytes.append(contentsOf: "false".utf8)
            return appendValue()
        case .null:
            return .more
        case .objectStart:
            frames.append(Frame(node: valueNode, isArray: false, member: -1))
            return .more
        case .arrayStart:
            frames.append(Frame(node: paths.element(of: valueNode), isArray: true, member: -1))
            return .more
        case .objectEnd, .arrayEnd:
            frames.removeLast()
            return frames.isEmpty ? .complete : .more
        }
    }

    /// Drops bytes the tokenizer wrote for a token that is not kept.
    @inline(__always)
    mutating func dropTokenBytes() {
        if bytes.count > kept { bytes.removeSubrange(kept...) }
    }

    /// Declares the fields this record introduced, then hands the record to `sink` through
    /// `record` (whose arrays are swapped with the assembler's for the call, and swapped back).
    mutating func commit(to sink: RecordSink, through record: RecordBuffer) throws {
        paths.declarePending(to: sink)
        record.line = line
        swap(&record.bytes, &bytes)
        swap(&record.fieldIDs, &fieldIDs)
        swap(&record.starts, &starts)
        swap(&record.ends, &ends)
        defer {
            swap(&record.bytes, &bytes)
            swap(&record.fieldIDs, &fieldIDs)
            swap(&record.starts, &starts)
            swap(&record.ends, &ends)
            record.line = 0
        }
        try sink.consume(record)
    }

    /// Forgets the open record (rejected, or not a record after all) and the field ids it introduced.
    mutating func abandon() {
        paths.rollBackPending()
        frames.removeAll(keepingCapacity: true)
        clearValues()
    }

    /// The path of a member node, as named in field names (for `recordPath`).
    func name(of node: Int32) -> String { paths.name(of: node) }

    // MARK: - Private

    private mutating func takeKey(_ key: UnsafeRawBufferPointer) {
        let top = frames.count &- 1
        frames[top].member = paths.member(of: frames[top].node, after: frames[top].member, key: key)
    }

    private var valueNode: Int32 {
        let top = frames[frames.count &- 1]
        return top.isArray ? top.node : top.member
    }

    @inline(__always)
    private mutating func appendValue() -> Step {
        let id = paths.fieldID(of: valueNode)
        let end = bytes.count
        fieldIDs.append(id)
        starts.append(Int32(truncatingIfNeeded: kept))
        ends.append(Int32(truncatingIfNeeded: end))
        kept = end
        if end > maxRecordBytes { return .tooLarge }
        if fieldIDs.count > maxFields { return .tooManyFields }
        return .more
    }

    private mutating func clearValues() {
        bytes.removeAll(keepingCapacity: true)
        fieldIDs.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        kept = 0
    }
}
