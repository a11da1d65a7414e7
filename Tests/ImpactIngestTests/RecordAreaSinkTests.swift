import Testing
import ImpactTestSupport
@testable import ImpactIngest

/// A ``RecordAreaSink`` that takes the reader's storage when told to (every `takeEvery`
/// records, or at random) and reads its records back from it: what it sees must be what a plain
/// sink is given, record for record, with the events in the same places.
final class AreaCollectingSink: RecordAreaSink {
    let plain = CollectingSink()
    var bytes = GrowableStorage<UInt8>(capacity: 16), fieldIDs = GrowableStorage<Int32>(capacity: 16)
    var starts = GrowableStorage<Int32>(capacity: 16), ends = GrowableStorage<Int32>(capacity: 16)
    /// Committed, not yet taken: (line, valueEnd, byteEnd, valueBytes), and the events after
    /// each (index: records committed before the event).
    var committed: [(line: Int, valueEnd: Int, byteEnd: Int, valueBytes: Int)] = []
    var events: [(before: Int, apply: () -> Void)] = []
    var rng: SeededGenerator
    let takeEvery: Int
    var takes = 0
    var problems: [String] = []

    init(seed: UInt64, takeEvery: Int) {
        rng = SeededGenerator(seed: seed)
        self.takeEvery = takeEvery
    }
    deinit { bytes.free(); fieldIDs.free(); starts.free(); ends.free() }

    func declareField(_ id: Int, name: String) { events.append((committed.count, { [plain] in plain.declareField(id, name: name) })) }
    func reject(_ rejection: RecordRejection) { events.append((committed.count, { [plain] in plain.reject(rejection) })) }
    func warn(_ warning: InputWarning) { events.append((committed.count, { [plain] in plain.warn(warning) })) }
    func consume(_ record: RecordBuffer) throws { problems.append("copied record at line \(record.line)") }
    func consume(line: Int, bytes: UnsafeRawBufferPointer, fieldIDs: UnsafeBufferPointer<Int32>,
                 starts: UnsafeBufferPointer<Int32>, ends: UnsafeBufferPointer<Int32>) throws {
        problems.append("viewed record at line \(line)")
    }

    func commitRecord(line: Int, valueEnd: Int, byteEnd: Int, valueBytes: Int) throws -> Bool {
        committed.append((line, valueEnd, byteEnd, valueBytes))
        return takeEvery > 0 ? committed.count % takeEvery == 0 : Int.random(in: 0..<4, using: &rng) == 0
    }

    func takeRecords(bytes b: inout GrowableStorage<UInt8>, fieldIDs f: inout GrowableStorage<Int32>,
                     starts s: inout GrowableStorage<Int32>, ends e: inout GrowableStorage<Int32>) {
        takes += 1
        if bytes.count + fieldIDs.count + starts.count + ends.count != 0 { problems.append("own storage not empty") }
        swap(&bytes, &b); swap(&fieldIDs, &f); swap(&starts, &s); swap(&ends, &e)
        if b.count + f.count + s.count + e.count != 0 { problems.append("storage given back not empty") }
        // The records, rebuilt from the storage, with the events at their places.
        var eventIndex = 0
        var value = 0
        for (k, c) in committed.enumerated() {
            while eventIndex < events.count && events[eventIndex].before == k { events[eventIndex].apply(); eventIndex += 1 }
            if k == committed.count - 1, c.byteEnd != bytes.count || c.valueEnd != ends.count { problems.append("storage does not end at the last record") }
            let r = RecordBuffer()
            r.load(line: c.line, bytes: UnsafeRawBufferPointer(start: bytes.base, count: bytes.count),
                   fieldIDs: UnsafeBufferPointer(start: fieldIDs.base + value, count: c.valueEnd - value),
                   starts: UnsafeBufferPointer(start: starts.base + value, count: c.valueEnd - value),
                   ends: UnsafeBufferPointer(start: ends.base + value, count: c.valueEnd - value))
            var valueBytes = 0
            for i in value..<c.valueEnd { valueBytes += Int(ends.base[i] - starts.base[i]) }
            if valueBytes != c.valueBytes { problems.append("line \(c.line): valueBytes \(c.valueBytes), values hold \(valueBytes)") }
            try? plain.consume(r)
            value = c.valueEnd
        }
        // Events after the last record stay for the next storage (their index counts from 0).
        events = events[eventIndex...].map { ($0.before - committed.count, $0.apply) }
        committed = []
        bytes.count = 0; fieldIDs.count = 0; starts.count = 0; ends.count = 0
    }

    /// Applies the events left after the last take (the end of the input).
    func finish() {
        for e in events { e.apply() }
        events = []
    }
}

@Suite struct RecordAreaSinkTests {
    static func compare(_ data: [UInt8], options: CSVOptions = .init(), chunks: [Int] = [], takeEvery: Int, seed: UInt64,
                        _ label: String) throws {
        let open = { OpenedInput(source: PeekableSource(MemoryByteSource(data, chunkSizes: chunks)), compression: nil, storedBytes: data.count) }
        let plain = CollectingSink()
        let expected = try? CSVRecordReader(input: open(), path: "m.csv", options: options, reopen: open).run(into: plain)
        let area = AreaCollectingSink(seed: seed, takeEvery: takeEvery)
        let got = try? CSVRecordReader(input: open(), path: "m.csv", options: options, reopen: open).run(into: area)
        area.finish()
        #expect(area.problems.isEmpty, "\(label): \(area.problems.prefix(3))")
        #expect(area.plain.records == plain.records, "\(label)")
        #expect(area.plain.rejections == plain.rejections, "\(label)")
        #expect(area.plain.warnings == plain.warnings, "\(label)")
        #expect(area.plain.declarationOrder == plain.declarationOrder, "\(label)")
        #expect(got?.records == expected?.records && got?.rejectedRecords == expected?.rejectedRecords, "\(label)")
        #expect(area.takes >= 1, "\(label)")   // at least the final take
    }

    @Test func sharedInputsGiveThePlainSinksRecords() throws {
        for name in ["samples/labs_utf8_multiline.csv", "cases/006-ragged-rows/input.csv", "cases/010-nul-byte-in-field/input.csv",
                     "samples/labs_fr_cp1252.csv", "samples/labs_en.csv"] {
            let data = try sharedBytes(name)
            for takeEvery in [0, 1, 3] {
                try Self.compare(data, takeEvery: takeEvery, seed: 7, "\(name) take \(takeEvery)")
            }
        }
    }

    /// Random CSV with quotes, line breaks in values, ragged rows, NUL bytes, blank lines and
    /// values over small limits, in random chunks: records kept in the reader's storage are
    /// the plain sink's, whatever the storage was taken at.
    @Test func randomInputsWithLimitsGiveThePlainSinksRecords() throws {
        var g = SeededGenerator(seed: 0xA2EA)
        let pieces = ["a", "bb", "Zoë", "", "12", "x y", "\"q;u\"", "\"l1\nl2\"", "\"\"\"\"", "\0", "\"open", "ccccccccccccccccccccccccccccc"]
        for round in 0..<150 {
            var text = "h1;h2;h3\n"
            for _ in 0..<Int.random(in: 0..<25, using: &g) {
                let n = Int.random(in: 1...5, using: &g)
                text += (0..<n).map { _ in pieces.randomElement(using: &g)! }.joined(separator: ";")
                text += ["\n", "\r\n", "\n\n"].randomElement(using: &g)!
            }
            var options = CSVOptions()
            options.bufferSize = [7, 64, 256 << 10].randomElement(using: &g)!
            if round % 3 == 0 { options.limits.maxFieldBytes = 20; options.limits.maxRecordBytes = 40; options.limits.maxFields = 4 }
            let data = Array(text.utf8)
            let chunks = round % 2 == 0 ? [] : [Int.random(in: 1...9, using: &g)]
            try Self.compare(data, options: options, chunks: chunks, takeEvery: round % 4, seed: UInt64(round), "round \(round)")
        }
    }
}
