import ImpactIngest

/// The ``RecordSink`` of one input: maps the input's field ids to the analysis' fields,
/// holds the classification sample until the plans are decided, then streams every record
/// through the ``RecordProcessor``. Keeps warnings (per kind, first lines) and rejections.
final class AnalysisSink: RecordSink {
    let processor: RecordProcessor
    let path: String
    let sampleRecords: Int
    let sampleBytes: Int
    private(set) var map: [Int] = []
    private var sample: [RecordBuffer] = []
    private var sampledBytes = 0
    private var decided = false
    var warnings: [InputWarning.Kind: (count: Int, lines: [Int], detail: String)] = [:]
    var rejections: [RecordRejection] = []
    var rejectedCount = 0
    var consumedCount = 0
    /// Bytes read from storage so far (set once the input is open).
    var bytesRead: () -> Int = { 0 }
    /// Called every ``InputProgress/interval`` records (`--verbose`).
    var onProgress: (() -> Void)?

    init(processor: RecordProcessor, path: String, sampleRecords: Int, sampleBytes: Int) {
        self.processor = processor
        self.path = path
        self.sampleRecords = sampleRecords
        self.sampleBytes = sampleBytes
    }

    func declareField(_ id: Int, name: String) {
        if id >= map.count { map.append(contentsOf: repeatElement(-1, count: id - map.count + 1)) }
        map[id] = processor.fields.id(for: name, headers: processor.headers)
        if decided { processor.decideUndecided() }
    }

    func consume(_ record: RecordBuffer) throws {
        consumedCount += 1
        if consumedCount & (InputProgress.interval - 1) == 0, let onProgress { onProgress() }
        if decided {
            processor.process(record, map: map)
            return
        }
        processor.observeSample(record, map: map)
        sample.append(record.copy())
        sampledBytes += record.bytes.count
        if sample.count >= sampleRecords || sampledBytes >= sampleBytes { decideAndReplay() }
    }

    func reject(_ rejection: RecordRejection) {
        rejectedCount += 1
        if rejections.count < 1000 { rejections.append(rejection) }
    }

    func warn(_ warning: InputWarning) {
        var w = warnings[warning.kind] ?? (0, [], warning.detail)
        w.count += 1
        if w.lines.count < 20 { w.lines.append(warning.line) }
        warnings[warning.kind] = w
    }

    /// Decides the plans of the fields met so far and analyses the sampled records.
    func decideAndReplay() {
        guard !decided else { return }
        decided = true
        processor.decideUndecided()
        for r in sample { processor.process(r, map: map) }
        sample = []
    }

    /// Ends the input (also after a failure: the records read so far are analysed).
    func finish() { decideAndReplay() }
}
