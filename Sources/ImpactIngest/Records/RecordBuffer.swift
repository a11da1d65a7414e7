/// One logical record of a leak, as UTF-8 field values that a reader hands to a ``RecordSink``.
///
/// A reader owns one `RecordBuffer`, fills it, passes it to ``RecordSink/consume(_:)`` and
/// `reset()`s it for the next record: no allocation per record once the arrays have grown.
///
/// Shape:
/// - `bytes`: the concatenated, already decoded (UTF-8) and unescaped values of the record.
/// - `fieldIDs[i]`, `starts[i]`, `ends[i]`: value `i` is `bytes[starts[i]..<ends[i]]` and belongs
///   to field `fieldIDs[i]` (a CSV column index, or the id of an interned JSON path). A field id
///   may occur several times in one record (JSON arrays: `exams[].code`), and a field may be
///   absent (empty CSV cell: the reader may append it with an empty range or omit it).
/// - `line`: 1-based physical line where the record starts in the decoded text (for
///   rejections and warnings; never the data itself).
public final class RecordBuffer {
    public var line: Int = 0
    public var bytes: [UInt8] = []
    public var fieldIDs: [Int32] = []
    public var starts: [Int32] = []
    public var ends: [Int32] = []

    public init() {
        bytes.reserveCapacity(4096)
        fieldIDs.reserveCapacity(64)
        starts.reserveCapacity(64)
        ends.reserveCapacity(64)
    }

    /// Number of values in the record.
    @inlinable public var count: Int { fieldIDs.count }

    /// Empties the record, keeping the capacity.
    @inlinable public func reset() {
        line = 0
        bytes.removeAll(keepingCapacity: true)
        fieldIDs.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// Replaces the whole record with values built elsewhere, in one pass (a reader that builds
    /// values in its own storage hands them over once per record instead of once per field).
    ///
    /// `fieldIDs`, `starts` and `ends` must have the same count; `starts[i]..<ends[i]` must lie
    /// within `bytes`.
    @inlinable public func load(line: Int, bytes newBytes: UnsafeRawBufferPointer,
                                fieldIDs newIDs: UnsafeBufferPointer<Int32>,
                                starts newStarts: UnsafeBufferPointer<Int32>,
                                ends newEnds: UnsafeBufferPointer<Int32>) {
        self.line = line
        bytes.replaceSubrange(0..<bytes.count, with: newBytes)
        fieldIDs.replaceSubrange(0..<fieldIDs.count, with: newIDs)
        starts.replaceSubrange(0..<starts.count, with: newStarts)
        ends.replaceSubrange(0..<ends.count, with: newEnds)
    }

    /// Appends one value for field `field`, copying its bytes.
    @inlinable public func append(field: Int, value: UnsafeRawBufferPointer) {
        let start = bytes.count
        if value.count > 0 { bytes.append(contentsOf: value) }
        fieldIDs.append(Int32(truncatingIfNeeded: field))
        starts.append(Int32(truncatingIfNeeded: start))
        ends.append(Int32(truncatingIfNeeded: bytes.count))
    }

    /// Appends one value for field `field` from a byte array.
    @inlinable public func append(field: Int, value: [UInt8]) {
        value.withUnsafeBytes { append(field: field, value: $0) }
    }

    /// Starts a value for `field` whose bytes the caller then appends to `bytes` directly;
    /// finish it with ``endValue()``. Lets a tokenizer unescape into the buffer without a copy.
    @inlinable public func beginValue(field: Int) {
        fieldIDs.append(Int32(truncatingIfNeeded: field))
        starts.append(Int32(truncatingIfNeeded: bytes.count))
        ends.append(Int32(truncatingIfNeeded: bytes.count))
    }

    /// Closes the value opened by ``beginValue(field:)`` at the current end of `bytes`.
    @inlinable public func endValue() {
        ends[ends.count - 1] = Int32(truncatingIfNeeded: bytes.count)
    }

    /// The field id of value `i`.
    @inlinable public func fieldID(at i: Int) -> Int { Int(fieldIDs[i]) }

    /// Calls `body` with the bytes of value `i`; the pointer must not escape.
    @inlinable public func withValue<R>(at i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let s = Int(starts[i]), e = Int(ends[i])
        return try bytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[s..<e]))
        }
    }

    /// The value `i` as a fresh array (tests and slow paths only).
    public func value(at i: Int) -> [UInt8] {
        Array(bytes[Int(starts[i])..<Int(ends[i])])
    }

    /// The value `i` decoded as a `String` (tests and slow paths only).
    public func string(at i: Int) -> String {
        String(decoding: value(at: i), as: UTF8.self)
    }

    /// A deep copy (tests, and the classification sample that is replayed once).
    public func copy() -> RecordBuffer {
        let c = RecordBuffer()
        c.line = line
        c.bytes = bytes
        c.fieldIDs = fieldIDs
        c.starts = starts
        c.ends = ends
        return c
    }
}
