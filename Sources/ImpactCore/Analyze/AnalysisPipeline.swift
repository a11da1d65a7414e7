#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ImpactIngest

/// Two cores on one input: the reader (decoding, tokenizing, record assembly) runs on its own
/// thread and hands batches of records to the calling thread, which classifies, links and
/// counts them; the per-record extraction (validators, name keys, lexicon scans: see
/// ``RecordExtractor``) is shared between the two threads.
///
/// Behaviour: the reader writes into a ``BatchingSink``, which copies each record, declaration,
/// warning and rejection into the current ``RecordBatch`` and hands full batches over a
/// ``BoundedQueue``; the calling thread delivers every batch to the ``AnalysisSink`` in order
/// and gives the emptied batch back. Work sharing: when batches are already waiting for the
/// calling thread (it is the slower one), the reading thread extracts the next batch itself
/// under the plans the sink last published (``PlanBoard``) before handing it over; the calling
/// thread then only links it, unless the plans changed meanwhile (JSON fields first met later),
/// in which case it replays the batch whole. A batch the reading thread did not extract is
/// extracted whole by the calling thread before it is linked (when the plans are decided and the
/// batch declares no field), so that linking can prefetch the table slots of the records ahead
/// (``RecordBatch/deliver(to:)``). Extraction depends on the record and the plans
/// only, and linking happens in record order on one thread, so the analysis sink ends in
/// exactly the state it would reach on one thread: the report is byte-identical to a
/// single-threaded run (tested on the samples). The reader's result (its
/// ``InputDescription`` or its error) comes last, after every batch read before it.
///
/// Memory: ``batches`` batches, fixed: each holds about ``PipelineTuning/batchBytes`` of values
/// (256 KiB; a record larger than that makes its batch larger until the batch is reset) plus
/// 12 bytes of value ranges per value and the extraction per record, about 0.9 MB on the
/// benchmark's lab records.
enum AnalysisPipeline {
    /// Batches in circulation: one being filled, the others queued or being analysed. Sixteen
    /// (not four) let the reading thread run ahead while the analysing thread is held up (the
    /// classification sample, a subject table growing: up to 15 ms): with four it sat idle for
    /// 52–120 ms of a 2M-record analysis, with sixteen 10–30 ms (wait timers on both queues).
    static let batches = 16

    private enum Message {
        /// A batch, and whether it is outsized (it holds an outsized-batch token, see
        /// ``PipelineTuning/outsizedBatches``).
        case batch(RecordBatch, outsized: Bool)
        case done(Result<InputDescription, Error>)
    }

    /// The reader and its extractor, owned by the reading thread while it runs.
    private final class Job: @unchecked Sendable {
        let read: (RecordSink) throws -> InputDescription
        let extractor: RecordExtractor
        let bytesRead: () -> Int
        init(_ read: @escaping (RecordSink) throws -> InputDescription, extractor: RecordExtractor,
             bytesRead: @escaping () -> Int) {
            self.read = read
            self.extractor = extractor
            self.bytesRead = bytesRead
        }
    }

    /// Runs `read` (which streams one input into the sink it is given) on a new thread and
    /// replays what it reads into `sink` on the calling thread. Returns the reader's
    /// description or rethrows its error once every record before it has been analysed.
    /// When no thread can be started, `read` runs on the calling thread into `sink`.
    /// `bytesRead` (the input's stored bytes read so far) is called on the reading thread, as
    /// each batch is handed over; the sink sees the value of the batch it analyses.
    static func run(_ read: @escaping (RecordSink) throws -> InputDescription, into sink: AnalysisSink,
                    tuning: PipelineTuning = PipelineTuning(),
                    bytesRead: @escaping () -> Int = { 0 }) throws -> InputDescription {
        let full = BoundedQueue<Message>(capacity: batches + 1)
        let free = BoundedQueue<RecordBatch>(capacity: batches)
        let all = (0..<batches).map { _ in RecordBatch() }
        for b in all { free.push(b) }
        let outsizedTokens = BoundedQueue<Bool>(capacity: max(tuning.outsizedBatches, 1))
        for _ in 0..<max(tuning.outsizedBatches, 1) { outsizedTokens.push(true) }
        // Every batch stays alive until the reading thread has ended (see BatchingSink.batch).
        defer { withExtendedLifetime(all) {} }
        let board = PlanBoard()
        let job = Job(read, extractor: RecordExtractor(lexicon: sink.processor.extractor.lexicon, hasher: sink.processor.hasher),
                      bytesRead: bytesRead)
        let started = startThread {
            let batching = BatchingSink(full: full, free: free, outsizedTokens: outsizedTokens, board: board,
                                        extractor: job.extractor, tuning: tuning, bytesRead: job.bytesRead)
            let result = Result { try job.read(batching) }
            batching.flush()
            full.push(.done(result))
        }
        guard started else { return try read(sink) }
        sink.board = board
        sink.bytesReadByPipeline = 0
        defer {
            sink.board = nil
            sink.bytesReadByPipeline = nil
        }
        while let message = full.pop() {
            switch message {
            case .batch(let batch, let outsized):
                sink.bytesReadByPipeline = batch.storedBytesRead
                // Extracted here when the reading thread did not: linking an extracted batch
                // prefetches its keys ahead (RecordBatch.deliver(to:)).
                if !batch.isExtracted(for: sink), batch.declarations == 0, let plans = sink.currentPlans {
                    batch.extract(with: plans, using: sink.processor.extractor)
                }
                batch.deliver(to: sink)
                batch.reset()
                if outsized { outsizedTokens.push(true) }
                free.push(batch)
            case .done(let result):
                // The reading thread is done with the batches: drop the queue's references, so
                // that every batch is freed when this returns (the tally can then reuse the memory).
                while free.waiting > 0 { _ = free.pop() }
                return try result.get()
            }
        }
        preconditionFailure("AnalysisPipeline: the reading thread ended without a result")
    }

    /// The reading thread's sink: fills batches and hands them over, extracting them first
    /// when the analysing thread is behind.
    private final class BatchingSink: RecordAreaSink {
        let full: BoundedQueue<Message>
        let free: BoundedQueue<RecordBatch>
        let outsizedTokens: BoundedQueue<Bool>
        let board: PlanBoard
        let extractor: RecordExtractor
        let tuning: PipelineTuning
        let bytesRead: () -> Int
        /// The batch being filled. Not retained at each record: the pipeline's `all` keeps every
        /// batch alive while the reading thread runs.
        unowned(unsafe) var batch: RecordBatch
        /// Fields declared so far.
        var declarations = 0

        init(full: BoundedQueue<Message>, free: BoundedQueue<RecordBatch>, outsizedTokens: BoundedQueue<Bool>,
             board: PlanBoard, extractor: RecordExtractor, tuning: PipelineTuning, bytesRead: @escaping () -> Int) {
            self.bytesRead = bytesRead
            self.full = full
            self.free = free
            self.outsizedTokens = outsizedTokens
            self.board = board
            self.extractor = extractor
            self.tuning = tuning
            batch = free.pop()!
        }

        func declareField(_ id: Int, name: String) {
            declarations += 1
            batch.appendEvent(.declare(id: id, name: name))
        }
        func reject(_ rejection: RecordRejection) { batch.appendEvent(.reject(rejection)) }
        func warn(_ warning: InputWarning) { batch.appendEvent(.warn(warning)) }

        func consume(_ record: RecordBuffer) throws {
            batch.append(record)
            handOverWhenFull()
        }

        func consume(line: Int, bytes: UnsafeRawBufferPointer, fieldIDs: UnsafeBufferPointer<Int32>,
                     starts: UnsafeBufferPointer<Int32>, ends: UnsafeBufferPointer<Int32>) throws {
            // Without a retain of the batch: its reference count is shared with the analysing
            // thread (which releases batches), and the atomic update of a line both cores write
            // cost ~3 % of an analysis (perf).
            Unmanaged.passUnretained(batch)._withUnsafeGuaranteedRef {
                $0.append(RecordView(line: line, bytes: bytes, fieldIDs: fieldIDs, starts: starts, ends: ends))
            }
            handOverWhenFull()
        }

        func commitRecord(line: Int, valueEnd: Int, byteEnd: Int, valueBytes: Int) throws -> Bool {
            Unmanaged.passUnretained(batch)._withUnsafeGuaranteedRef {
                $0.commit(line: line, valueEnd: valueEnd, byteEnd: byteEnd, valueBytes: valueBytes)
                return $0.byteCount >= tuning.batchBytes || $0.recordCount >= tuning.batchRecords
            }
        }

        func takeRecords(bytes: inout GrowableStorage<UInt8>, fieldIDs: inout GrowableStorage<Int32>,
                         starts: inout GrowableStorage<Int32>, ends: inout GrowableStorage<Int32>) {
            batch.take(bytes: &bytes, fieldIDs: &fieldIDs, starts: &starts, ends: &ends)
            handOverWhenFull()
        }

        @inline(__always) private func handOverWhenFull() {
            let full = Unmanaged.passUnretained(batch)._withUnsafeGuaranteedRef {
                $0.byteCount >= tuning.batchBytes || $0.recordCount >= tuning.batchRecords
            }
            if full {
                handOver()
                batch = free.pop()!
            }
        }

        /// Hands over the last, partly filled batch.
        func flush() {
            if !batch.isEmpty { handOver() }
        }

        /// Extracts the batch when the analysing thread has work waiting and the published
        /// plans cover every field declared so far, then queues it.
        private func handOver() {
            let behind: Bool
            switch tuning.readerExtracts {
            case .never: behind = false
            case .whenBehind: behind = full.waiting > 1
            case .always: behind = true
            }
            if behind, batch.declarations == 0, let plans = board.current, plans.declarations == declarations {
                batch.extract(with: plans, using: extractor)
            }
            batch.storedBytesRead = bytesRead()
            // An outsized batch (a record larger than a batch) waits for a token: at most
            // `outsizedBatches` of them are in flight, whatever the number of batches.
            let outsized = batch.byteCount > 2 * tuning.batchBytes
            if outsized { _ = outsizedTokens.pop() }
            full.push(.batch(batch, outsized: outsized))
        }
    }
}

/// How an ``AnalysisPipeline`` batches records and shares the extraction. The defaults suit
/// large inputs; tests use tiny batches and force either side to extract, since the report
/// must not depend on any of it.
struct PipelineTuning: Sendable {
    /// A batch is handed over once it holds this many bytes of values...
    var batchBytes = 256 << 10
    /// ...or this many records.
    var batchRecords = 4096
    /// When the reading thread extracts a batch itself.
    var readerExtracts = ReaderExtraction.whenBehind
    /// Outsized batches (more than twice `batchBytes`: a record larger than a batch) in flight
    /// at most. A batch grows to hold a record of up to ``IngestLimits/maxRecordBytes``
    /// (32 MiB), so sixteen of them could hold 512 MiB; four keep the bound of the four-batch
    /// pipeline (reviewer: 40 records of 12 MB peaked at 271 MB instead of 130 MB).
    var outsizedBatches = 4

    enum ReaderExtraction: Sendable {
        /// Never: the analysing thread does all the extraction.
        case never
        /// When batches are waiting for the analysing thread (the default).
        case whenBehind
        /// Whenever the published plans allow it.
        case always
    }
}

/// The latest ``PlanSnapshot`` of an input, shared between the analysing thread (which
/// publishes) and the reading thread (which extracts under it).
final class PlanBoard: @unchecked Sendable {
    private var latest: PlanSnapshot?
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func publish(_ plans: PlanSnapshot) {
        pthread_mutex_lock(mutex)
        latest = plans
        pthread_mutex_unlock(mutex)
    }

    var current: PlanSnapshot? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return latest
    }
}
