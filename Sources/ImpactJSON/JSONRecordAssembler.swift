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
/// The tokenizer writes value bytes straight into ``record``'s `bytes` (no copy); bytes past
/// ``kept`` belong to the token being read and are dropped for keys and skipped tokens.
final class JSONRecordAssembler {
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

    let record = RecordBuffer()
    private(set) var paths = JSONFieldPaths()
    private var frames: [Frame] = []
    /// Length of `record.bytes` that holds values of the record.
    private(set) var kept = 0
    let maxRecordBytes: Int
    let maxFields: Int

    init(limits: IngestLimits) {
        maxRecordBytes = limits.maxRecordBytes
        maxFields = limits.maxFields
        frames.reserveCapacity(32)
    }

    /// Whether a record object is open.
    var isOpen: Bool { !frames.isEmpty }

    /// The member being read in the innermost object (-1 if none).
    var currentMember: Int32 { frames.last.map { $0.isArray ? -1 : $0.member } ?? -1 }

    /// Opens a record whose `{` the caller has just read on `line`.
    func begin(line: Int) {
        record.reset()
        record.line = line
        kept = 0
        frames.removeAll(keepingCapacity: true)
        frames.append(Frame(node: JSONFieldPaths.root, isArray: false, member: -1))
    }

    /// Takes the next token of the open record.
    @inline(__always)
    func take(_ token: JSONToken) -> Step {
        switch token {
        case .key:
            let top = frames.count &- 1
            let node = record.bytes.withUnsafeBytes { all in
                paths.member(of: frames[top].node, after: frames[top].member,
                             key: UnsafeRawBufferPointer(rebasing: all[kept...]))
            }
            frames[top].member = node
            dropTokenBytes()
            return .more
        case .string, .number:
            return appendValue()
        case .true:
            record.bytes.append(contentsOf: "true".utf8)
            return appendValue()
        case .false:
            record.bytes.append(contentsOf: "false".utf8)
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
    func dropTokenBytes() {
        if record.bytes.count > kept { record.bytes.removeSubrange(kept...) }
    }

    /// Declares the fields this record introduced, then hands the record to `sink`.
    func commit(to sink: RecordSink) throws {
        paths.declarePending(to: sink)
        try sink.consume(record)
    }

    /// Forgets the open record (rejected, or not a record after all) and the field ids it introduced.
    func abandon() {
        paths.rollBackPending()
        frames.removeAll(keepingCapacity: true)
        record.reset()
        kept = 0
    }

    /// The path of a member node, as named in field names (for `recordPath`).
    func name(of node: Int32) -> String { paths.name(of: node) }

    // MARK: - Private

    private var valueNode: Int32 {
        let top = frames[frames.count &- 1]
        return top.isArray ? top.node : top.member
    }

    @inline(__always)
    private func appendValue() -> Step {
        let id = paths.fieldID(of: valueNode)
        let end = record.bytes.count
        record.fieldIDs.append(id)
        record.starts.append(Int32(truncatingIfNeeded: kept))
        record.ends.append(Int32(truncatingIfNeeded: end))
        kept = end
        if end > maxRecordBytes { return .tooLarge }
        if record.fieldIDs.count > maxFields { return .tooManyFields }
        return .more
    }
}
