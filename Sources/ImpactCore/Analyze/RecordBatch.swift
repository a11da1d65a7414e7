import ImpactIngest
import CMemoryHints

/// One record seen through raw pointers: the analysis' per-record input, built once per record
/// so that the hot loop reads values without closures, retains or copy-on-write checks.
///
/// Shape: value `i` is `bytes[starts[i]..<ends[i]]` and belongs to field `fieldIDs[i]` (the
/// ``RecordBuffer`` contract). Valid only inside the call that received it: nothing escapes.
struct RecordView {
    let bytes: UnsafeRawPointer?
    let fieldIDs: UnsafePointer<Int32>
    let starts: UnsafePointer<Int32>
    let ends: UnsafePointer<Int32>
    let count: Int
    let line: Int

    init(bytes: UnsafeRawPointer?, fieldIDs: UnsafePointer<Int32>, starts: UnsafePointer<Int32>,
         ends: UnsafePointer<Int32>, count: Int, line: Int) {
        self.bytes = bytes; self.fieldIDs = fieldIDs; self.starts = starts; self.ends = ends
        self.count = count; self.line = line
    }

    /// A view of a reader's storage (``RecordViewSink``).
    init(line: Int, bytes: UnsafeRawBufferPointer, fieldIDs: UnsafeBufferPointer<Int32>,
         starts: UnsafeBufferPointer<Int32>, ends: UnsafeBufferPointer<Int32>) {
        self.init(bytes: bytes.baseAddress, fieldIDs: fieldIDs.baseAddress ?? noValues,
                  starts: starts.baseAddress ?? noValues, ends: ends.baseAddress ?? noValues,
                  count: fieldIDs.count, line: line)
    }

    /// The field id of value `i`.
    @inline(__always) func fieldID(_ i: Int) -> Int { Int(fieldIDs[i]) }

    /// The bytes of value `i`.
    @inline(__always) func value(_ i: Int) -> UnsafeRawBufferPointer {
        let s = Int(starts[i])
        return UnsafeRawBufferPointer(start: bytes.map { $0 + s }, count: Int(ends[i]) - s)
    }

    /// Bytes from the first value's start to the last value's end: the values and what a reader
    /// stores between them (the CSV reader's delimiters).
    var byteCount: Int { count == 0 ? 0 : Int(ends[count - 1]) - Int(starts[0]) }
}

extension RecordBuffer {
    /// Calls `body` with a ``RecordView`` of the record; the view must not escape.
    @inline(__always) func withView<R>(_ body: (RecordView) -> R) -> R {
        let line = self.line
        return bytes.withUnsafeBytes { b in
            fieldIDs.withUnsafeBufferPointer { f in
                starts.withUnsafeBufferPointer { s in
                    ends.withUnsafeBufferPointer { e in
                        body(RecordView(bytes: b.baseAddress, fieldIDs: f.baseAddress ?? noValues,
                                        starts: s.baseAddress ?? noValues, ends: e.baseAddress ?? noValues,
                                        count: f.count, line: line))
                    }
                }
            }
        }
    }
}

/// Stands for the arrays of a record without values (never read: its count is 0).
private var noValues: UnsafePointer<Int32> { UnsafePointer(bitPattern: MemoryLayout<Int32>.alignment)! }

/// What a reader told its sink between records, kept in order inside a ``RecordBatch``.
enum BatchEvent {
    case declare(id: Int, name: String)
    case warn(InputWarning)
    case reject(RecordRejection)
}

/// Records and sink events of one stretch of an input, stored back to back in reusable
/// storage: the unit handed from the reading thread to the analysing thread, and the store of
/// the classification sample.
///
/// Behaviour: ``append(_:)`` copies a record (bytes and value ranges, offsets rebased to the
/// batch's storage); ``appendEvent(_:)`` keeps a declaration, warning or rejection at its
/// position among the records; ``replay(into:)`` hands both to a sink in the original order.
/// ``reset()`` empties the batch and keeps the storage (capacity beyond ``retainedBytes`` is
/// given back after an outsized record).
///
/// Contract: not thread-safe; one thread at a time owns a batch (the queue hands it over).
/// Offsets are `Int32`: one batch holds less than 2 GiB (a batch is flushed after
/// ``AnalysisPipeline/batchBytes`` and a record is bounded by ``IngestLimits/maxRecordBytes``).
final class RecordBatch {
    private(set) var bytes = GrowableStorage<UInt8>(capacity: 1 << 20)
    private(set) var fieldIDs = GrowableStorage<Int32>(capacity: 1 << 14)
    private(set) var starts = GrowableStorage<Int32>(capacity: 1 << 14)
    private(set) var ends = GrowableStorage<Int32>(capacity: 1 << 14)
    /// Per record: index of its first value; one more entry than records.
    private var firstValue = GrowableStorage<Int32>(capacity: 1 << 12)
    private var lines = GrowableStorage<Int>(capacity: 1 << 12)
    /// Events with the number of records appended before each.
    private(set) var events: [(before: Int, event: BatchEvent)] = []
    /// Field declarations among the events.
    private(set) var declarations = 0
    /// The input's stored bytes read when the batch was handed over (progress reports).
    var storedBytesRead = 0

    /// The extraction of the records, when one was made (``extract(with:using:)``): the plan
    /// version it used (0: none), one ``ExtractedRecord`` per record, the per-field counts and
    /// the lexicon hits in record order.
    private(set) var planVersion = 0
    private(set) var extracted = GrowableStorage<ExtractedRecord>(capacity: 1 << 10)
    private(set) var counters = GrowableStorage<FieldCounters>(capacity: 64)
    private(set) var terms: [TermHit] = []
    /// Per record, while the batch is delivered: its controller and patient-id key.
    private var prepared = GrowableStorage<PreparedLink>(capacity: 1 << 10)

    /// Capacity kept by ``reset()``: the initial 1 MiB, so that sixteen batches in circulation
    /// (``AnalysisPipeline/batches``) keep no more after a run of large records than four did
    /// with 4 MiB each.
    static let retainedBytes = 1 << 20

    init() {
        firstValue.append(0)
    }

    deinit {
        bytes.free(); fieldIDs.free(); starts.free(); ends.free(); firstValue.free(); lines.free()
        extracted.free(); counters.free(); prepared.free()
    }

    var recordCount: Int { lines.count }
    /// Bytes stored (values and what a reader keeps between them), including the records
    /// committed in a reader's storage and not taken yet (``commit(line:valueEnd:byteEnd:valueBytes:)``).
    var byteCount: Int { max(bytes.count, committedBytes) }
    /// Bytes of the committed records in the reader's storage (0: the batch copies records).
    private var committedBytes = 0
    /// Bytes of the records' values alone: what the classification sample is bounded by.
    private(set) var valueByteCount = 0
    var isEmpty: Bool { lines.count == 0 && events.isEmpty }

    /// Records a record the reader built in its own storage (``RecordAreaSink``): its values
    /// end at value `valueEnd` and byte `byteEnd` of that storage, which the batch takes with
    /// ``take(bytes:fieldIDs:starts:ends:)`` before anything reads the records. A batch holds
    /// either such records or copied ones (``append(_:)``), not both.
    func commit(line: Int, valueEnd: Int, byteEnd: Int, valueBytes: Int) {
        precondition(bytes.count == 0, "RecordBatch: committed records after copied ones")
        firstValue.append(Int32(truncatingIfNeeded: valueEnd))
        lines.append(line)
        valueByteCount &+= valueBytes
        committedBytes = byteEnd
    }

    /// Takes the reader's storage holding the committed records (swapped with the batch's own,
    /// empty, storage).
    func take(bytes b: inout GrowableStorage<UInt8>, fieldIDs f: inout GrowableStorage<Int32>,
              starts s: inout GrowableStorage<Int32>, ends e: inout GrowableStorage<Int32>) {
        precondition(bytes.count == 0 && fieldIDs.count == 0 && b.count == committedBytes
                     && e.count == Int(firstValue[firstValue.count - 1]), "RecordBatch: storage does not hold the committed records")
        Self.adopt(&bytes, &b, copyingPast: 2 * Self.retainedBytes)
        Self.adopt(&fieldIDs, &f, copyingPast: Self.retainedBytes / 2)
        Self.adopt(&starts, &s, copyingPast: Self.retainedBytes / 2)
        Self.adopt(&ends, &e, copyingPast: Self.retainedBytes / 2)
        committedBytes = 0
    }

    /// Takes `given`'s elements into `own` (empty), leaving `given` empty: by swapping the two,
    /// or, when `given` grew past `limit` elements (an outsized record), by a copy, so that the
    /// reader keeps its large storage for its next large record instead of growing a new one
    /// while this batch is in flight (reviewer: records near the 16 / 32 MiB limits peaked at
    /// 151 MB with swaps, 104 MB with copies as before).
    private static func adopt<E>(_ own: inout GrowableStorage<E>, _ given: inout GrowableStorage<E>, copyingPast limit: Int) {
        if given.capacity > limit {
            own.append(contentsOf: given.base, count: given.count)
            given.count = 0
        } else {
            swap(&own, &given)
        }
    }

    /// Copies `r` at the end of the batch.
    func append(_ r: RecordView) {
        precondition(committedBytes == 0, "RecordBatch: copied records after committed ones")
        let n = r.count
        let base = n == 0 ? 0 : Int(r.starts[0])
        let span = n == 0 ? 0 : Int(r.ends[n - 1]) - base
        let shift = Int32(truncatingIfNeeded: bytes.count - base)
        if span > 0, let src = r.bytes {
            bytes.append(contentsOf: (src + base).assumingMemoryBound(to: UInt8.self), count: span)
        }
        fieldIDs.append(contentsOf: r.fieldIDs, count: n)
        starts.reserve(starts.count + n)
        ends.reserve(ends.count + n)
        // Rebased four at a time (``ValueOffsets``); the values' own bytes are counted too, not
        // the gaps between them such as the CSV reader's delimiters (``valueByteCount``).
        let startSum = ValueOffsets.copy(r.starts, to: starts.base + starts.count, count: n, adding: shift)
        let endSum = ValueOffsets.copy(r.ends, to: ends.base + ends.count, count: n, adding: shift)
        valueByteCount &+= Int(endSum &- startSum)
        starts.count += n
        ends.count += n
        firstValue.append(Int32(truncatingIfNeeded: fieldIDs.count))
        lines.append(r.line)
    }

    /// Copies `r` at the end of the batch.
    func append(_ r: RecordBuffer) {
        r.withView { append($0) }
    }

    func appendEvent(_ e: BatchEvent) {
        if case .declare = e { declarations += 1 }
        events.append((lines.count, e))
    }

    /// Extracts every record under `plans` (on whichever thread owns the batch).
    func extract(with plans: PlanSnapshot, using extractor: RecordExtractor) {
        let fields = plans.fields
        counters.count = 0
        counters.reserve(fields)
        counters.base.initialize(repeating: FieldCounters(), count: fields)
        counters.count = fields
        extracted.count = 0
        extracted.reserve(recordCount)
        terms.removeAll(keepingCapacity: true)
        plans.routes.withUnsafeBufferPointer { routes in
            let routes = routes.baseAddress ?? FieldRoute.none
            for k in 0..<recordCount {
                let e = withRecord(k) { extractor.extract($0, routes: routes, counters: counters.base, terms: &terms) }
                extracted.base[k] = e
            }
        }
        extracted.count = recordCount
        planVersion = plans.version
    }

    /// Calls `body` with a view of record `k`.
    @inline(__always) func withRecord<R>(_ k: Int, _ body: (RecordView) -> R) -> R {
        let lo = Int(firstValue[k]), hi = Int(firstValue[k + 1])
        return body(RecordView(bytes: UnsafeRawPointer(bytes.base), fieldIDs: fieldIDs.base + lo,
                               starts: starts.base + lo, ends: ends.base + lo, count: hi - lo, line: lines[k]))
    }

    /// Hands the records and events to `sink`, in the order they were appended.
    func replay(into sink: AnalysisSink) {
        var next = 0
        for k in 0..<recordCount {
            while next < events.count && events[next].before == k {
                sink.apply(events[next].event)
                next += 1
            }
            withRecord(k) { sink.consume(view: $0) }
        }
        while next < events.count {
            sink.apply(events[next].event)
            next += 1
        }
    }

    /// Whether the batch was extracted under the sink's current plans.
    func isExtracted(for sink: AnalysisSink) -> Bool { planVersion != 0 && sink.isCurrent(planVersion) }

    /// Hands the records and events to `sink`: linking the extraction when it was made under
    /// the sink's current plans, else replaying the records whole (``replay(into:)``).
    func deliver(to sink: AnalysisSink) {
        guard isExtracted(for: sink) else {
            replay(into: sink)
            return
        }
        let processor = sink.processor
        let linker = processor.linker
        // First every record's controller and patient-id key (in record order: the controller
        // registry counts records as it goes), so that all of a record's keys are known before
        // it is linked.
        prepared.count = 0
        prepared.reserve(recordCount)
        for k in 0..<recordCount {
            // The values this step reads of a record a few places ahead (its controller's id and
            // name, its patient id) were written by the other thread when it read or extracted
            // the batch: prefetched, so that those transfers overlap.
            if k &+ Self.valuePrefetchDistance < recordCount { prefetchLinkValues(of: k &+ Self.valuePrefetchDistance) }
            prepared.base[k] = withRecord(k) { processor.prepareLink(extracted[k], $0) }
        }
        prepared.count = recordCount
        // Then the linking, with the key slots of the record `prefetchDistance` ahead prefetched:
        // the tables of a large leak do not fit in the caches, and the hint lets the misses of
        // the next records overlap with the linking of this one.
        let ahead = min(Self.prefetchDistance, recordCount)
        for j in 0..<ahead { prefetchKeys(of: j, into: linker) }
        var next = 0
        let near = min(Self.prefetchDistance / 2, recordCount)
        for j in 0..<near { prefetchSubject(of: j, into: linker) }
        for k in 0..<recordCount {
            if k &+ ahead < recordCount { prefetchKeys(of: k &+ ahead, into: linker) }
            if k &+ near < recordCount { prefetchSubject(of: k &+ near, into: linker) }
            while next < events.count && events[next].before == k {
                sink.apply(events[next].event)
                next += 1
            }
            withRecord(k) { sink.consume(view: $0, extracted: extracted[k], prepared: prepared[k]) }
        }
        while next < events.count {
            sink.apply(events[next].event)
            next += 1
        }
        sink.absorb(counters: counters.base, fields: counters.count, terms: terms)
    }

    /// Records between the one whose link is prepared and the one whose values are prefetched.
    static let valuePrefetchDistance = 4

    @inline(__always) private func prefetchLinkValues(of j: Int) {
        let e = extracted[j], first = Int(firstValue[j])
        let base = UnsafeRawPointer(bytes.base)
        if e.idAt >= 0 { impact_prefetch(base + Int(starts[first &+ Int(e.idAt)])) }
        if e.nameAt >= 0 { impact_prefetch(base + Int(starts[first &+ Int(e.nameAt)])) }
        if e.pidAt >= 0 { impact_prefetch(base + Int(starts[first &+ Int(e.pidAt)])) }
    }

    /// Records between the one being linked and the one whose key slots are prefetched: enough
    /// to cover a memory access (a record links in ~100 ns), few enough to stay in L1.
    static let prefetchDistance = 8

    @inline(__always) private func prefetchKeys(of j: Int, into linker: SubjectLinker) {
        let e = extracted[j]
        if e.nirKey != 0 { linker.prefetch(SubjectKey(rawValue: e.nirKey)) }
        if e.nameKey != 0 { linker.prefetch(SubjectKey(rawValue: e.nameKey)) }
        let p = prepared[j].patientKey
        if p != 0 { linker.prefetch(SubjectKey(rawValue: p)) }
    }

    /// Half as far ahead as the keys: the record's subject node and observation slot, and its
    /// health professional's slots.
    @inline(__always) private func prefetchSubject(of j: Int, into linker: SubjectLinker) {
        let e = extracted[j]
        let first = e.nirKey != 0 ? e.nirKey : e.nameKey != 0 ? e.nameKey : prepared[j].patientKey
        if first != 0 { linker.prefetchSubject(of: SubjectKey(rawValue: first), controller: prepared[j].controller) }
        if e.professional != 0 { linker.prefetchHealthProfessional(SubjectKey(rawValue: e.professional), controller: prepared[j].controller) }
    }

    /// Empties the batch, keeping its storage.
    func reset() {
        bytes.count = 0; fieldIDs.count = 0; starts.count = 0; ends.count = 0; lines.count = 0
        valueByteCount = 0
        committedBytes = 0
        firstValue.count = 1
        events.removeAll(keepingCapacity: true)
        declarations = 0
        planVersion = 0
        extracted.count = 0
        terms.removeAll(keepingCapacity: true)
        bytes.shrink(to: Self.retainedBytes)
        fieldIDs.shrink(to: Self.retainedBytes / 4); starts.shrink(to: Self.retainedBytes / 4)
        ends.shrink(to: Self.retainedBytes / 4)
    }
}

/// The field plans of one input as the analysing thread last decided them, for extractions on
/// another thread: immutable once published.
final class PlanSnapshot: @unchecked Sendable {
    /// The sink's state version these plans belong to (> 0).
    let version: Int
    /// Field declarations the sink had received: a batch is extracted under these plans only
    /// when its reader had declared exactly as many fields (so every field id is mapped).
    let declarations: Int
    /// Global fields the plans cover (the per-field counters an extraction fills).
    let fields: Int
    /// The route of each input field id (``FieldRoute/routes(codes:map:)``): all an extraction
    /// reads of the plans.
    let routes: [FieldRoute]

    init(version: Int, declarations: Int, codes: [FieldCode], map: [Int]) {
        self.version = version
        self.declarations = declarations
        fields = codes.count
        routes = codes.withUnsafeBufferPointer { c in map.withUnsafeBufferPointer { FieldRoute.routes(codes: c, map: $0) } }
    }
}
