import ImpactIngest

/// The ``RecordSink`` of one input: maps the input's field ids to the analysis' fields,
/// holds the classification sample until the plans are decided, then streams every record
/// through the ``RecordProcessor``. Keeps warnings (per kind, first lines) and rejections.
///
/// The same sink is fed directly by a reader (one thread) or by ``RecordBatch/deliver(to:)``
/// on the analysing thread of an ``AnalysisPipeline``: either way it sees the reader's calls in
/// their order, so the analysis is the same. In a pipeline it publishes its plans (a
/// ``PlanSnapshot``) whenever they change, so that the reading thread can extract records too;
/// an extraction made under older plans is not used (``isCurrent(_:)``).
final class AnalysisSink: RecordViewSink {
    let processor: RecordProcessor
    let path: String
    let sampleRecords: Int
    let sampleBytes: Int
    private(set) var map: [Int] = []
    /// The classification sample, stored compactly until the plans are decided.
    private var sample: RecordBatch? = RecordBatch()
    private var decided = false
    var warnings: [InputWarning.Kind: (count: Int, lines: [Int], detail: String)] = [:]
    /// Sum of the warnings' ``InputWarning/amount`` per kind (NUL bytes removed).
    private var amounts: [InputWarning.Kind: Int] = [:]
    var rejections: [RecordRejection] = []
    var rejectedCount = 0
    var consumedCount = 0
    /// Bytes read from storage so far (set once the input is open).
    var bytesRead: () -> Int = { 0 }
    /// While an ``AnalysisPipeline`` reads the input on another thread: the bytes read from
    /// storage as of the last batch delivered (the source itself belongs to the reading thread).
    var bytesReadByPipeline: Int?
    /// Called every ``InputProgress/interval`` records (`--verbose`).
    var onProgress: (() -> Void)?
    /// Bumped at every field declaration and plan decision.
    private(set) var version = 1
    private var declarations = 0
    /// Where the plans are published for the reading thread (pipelines only).
    var board: PlanBoard?

    init(processor: RecordProcessor, path: String, sampleRecords: Int, sampleBytes: Int) {
        self.processor = processor
        self.path = path
        self.sampleRecords = sampleRecords
        self.sampleBytes = sampleBytes
    }

    func declareField(_ id: Int, name: String) {
        if id >= map.count { map.append(contentsOf: repeatElement(-1, count: id - map.count + 1)) }
        map[id] = processor.fieldID(for: name)
        declarations += 1
        version += 1
        if decided {
            processor.decideUndecided()
            publish()
        }
    }

    /// Rebuilds ``routes`` when a field was declared or a plan decided since they were built.
    private func refreshRoutes() {
        let key = (version, processor.planVersion)
        guard key != routesKey else { return }
        routes = map.withUnsafeBufferPointer { processor.routes(for: $0) }
        routesKey = key
    }

    /// The routes of this input's field ids under the current plans (direct path,
    /// ``consume(view:)``), and the versions they were built at.
    private var routes: [FieldRoute] = []
    private var routesKey = (-1, -1)

    /// Publishes the current plans to the reading thread, when there is one.
    private func publish() {
        guard let board else { return }
        let codes = Array(UnsafeBufferPointer(start: processor.codes.base, count: processor.codes.count))
        let plans = PlanSnapshot(version: version, declarations: declarations, codes: codes, map: map)
        published = plans
        board.publish(plans)
    }

    /// The plans last published (pipelines only).
    private var published: PlanSnapshot?

    /// The plans the analysis applies now, when they are decided and were published: a batch
    /// without field declarations can be extracted under them before it is delivered.
    var currentPlans: PlanSnapshot? {
        guard let published, isCurrent(published.version) else { return nil }
        return published
    }

    /// Whether an extraction made under plan `version` is valid now.
    func isCurrent(_ version: Int) -> Bool { decided && version == self.version }

    func consume(_ record: RecordBuffer) throws {
        record.withView { consume(view: $0) }
    }

    func consume(line: Int, bytes: UnsafeRawBufferPointer, fieldIDs: UnsafeBufferPointer<Int32>,
                 starts: UnsafeBufferPointer<Int32>, ends: UnsafeBufferPointer<Int32>) throws {
        consume(view: RecordView(line: line, bytes: bytes, fieldIDs: fieldIDs, starts: starts, ends: ends))
    }

    /// ``consume(_:)`` for a record seen through a view.
    func consume(view r: RecordView) {
        consumedCount += 1
        if consumedCount & (InputProgress.interval - 1) == 0, let onProgress { onProgress() }
        if decided {
            refreshRoutes()
            routes.withUnsafeBufferPointer { processor.process(r, routes: $0.baseAddress ?? FieldRoute.none) }
            return
        }
        map.withUnsafeBufferPointer { processor.observeSample(r, map: $0) }
        let sample = self.sample!
        sample.append(r)
        if sample.recordCount >= sampleRecords || sample.valueByteCount >= sampleBytes { decideAndReplay() }
    }

    /// ``consume(view:)`` for a record extracted elsewhere under the current plans, its link
    /// prepared (``RecordProcessor/prepareLink(_:_:)``).
    func consume(view r: RecordView, extracted e: ExtractedRecord, prepared p: PreparedLink) {
        consumedCount += 1
        if consumedCount & (InputProgress.interval - 1) == 0, let onProgress { onProgress() }
        processor.link(e, r, p)
    }

    /// Adds the counts and lexicon hits of a batch extracted elsewhere.
    func absorb(counters: UnsafePointer<FieldCounters>, fields: Int, terms: [TermHit]) {
        processor.absorb(counters: counters, fields: fields)
        processor.noteTerms(terms)
    }

    func reject(_ rejection: RecordRejection) {
        rejectedCount += 1
        if rejections.count < 1000 { rejections.append(rejection) }
    }

    func warn(_ warning: InputWarning) {
        var w = warnings[warning.kind] ?? (0, [], warning.detail)
        w.count += 1
        if w.lines.count < 20 { w.lines.append(warning.line) }
        if let amount = warning.amount, warning.kind == .nulBytes {
            // The summary's detail counts every NUL byte, not the first warning's.
            let total = amounts[warning.kind, default: 0] + amount
            amounts[warning.kind] = total
            w.detail = "\(total) NUL byte\(total == 1 ? "" : "s") removed on \(w.count) line\(w.count == 1 ? "" : "s")"
        }
        warnings[warning.kind] = w
    }

    /// Applies a declaration, warning or rejection kept in a ``RecordBatch``.
    func apply(_ event: BatchEvent) {
        switch event {
        case .declare(let id, let name): declareField(id, name: name)
        case .warn(let w): warn(w)
        case .reject(let r): reject(r)
        }
    }

    /// Decides the plans of the fields met so far and analyses the sampled records.
    func decideAndReplay() {
        guard !decided else { return }
        decided = true
        processor.decideUndecided()
        version += 1
        if let sample {
            map.withUnsafeBufferPointer { map in
                for k in 0..<sample.recordCount { sample.withRecord(k) { processor.registerControllerNames($0, map: map) } }
            }
            refreshRoutes()
            routes.withUnsafeBufferPointer { routes in
                let routes = routes.baseAddress ?? FieldRoute.none
                for k in 0..<sample.recordCount { sample.withRecord(k) { processor.process($0, routes: routes) } }
            }
        }
        sample = nil
        publish()
    }

    /// Ends the input (also after a failure: the records read so far are analysed).
    func finish() { decideAndReplay() }
}
