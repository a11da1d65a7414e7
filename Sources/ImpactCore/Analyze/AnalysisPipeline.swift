import ImpactIngest

/// Two cores on one input: the reader (decoding, tokenizing, record assembly) runs on its own
/// thread and hands batches of records to the calling thread, which classifies, links and
/// counts them.
///
/// Behaviour: the reader writes into a ``BatchingSink``, which copies each record, declaration,
/// warning and rejection into the current ``RecordBatch`` and hands full batches over a
/// ``BoundedQueue``; the calling thread replays every batch into the ``AnalysisSink`` and gives
/// the emptied batch back. The analysis sink therefore sees exactly the calls it would see
/// from the reader on one thread, in the same order: the report is byte-identical to a
/// single-threaded run (tested on the samples). The reader's result (its ``InputDescription``
/// or its error) comes last, after every batch read before it.
///
/// Memory: ``batches`` batches of about ``batchBytes`` each (a record larger than that makes
/// its batch larger until the batch is reset), fixed.
enum AnalysisPipeline {
    /// A batch is handed over once it holds this many bytes of values...
    static let batchBytes = 256 << 10
    /// ...or this many records.
    static let batchRecords = 4096
    /// Batches in circulation: one being filled, the others queued or being analysed.
    static let batches = 4

    private enum Message {
        case batch(RecordBatch)
        case done(Result<InputDescription, Error>)
    }

    /// The reader and its state, owned by the reading thread while it runs.
    private final class Job: @unchecked Sendable {
        let read: (RecordSink) throws -> InputDescription
        init(_ read: @escaping (RecordSink) throws -> InputDescription) { self.read = read }
    }

    /// Runs `read` (which streams one input into the sink it is given) on a new thread and
    /// replays what it reads into `sink` on the calling thread. Returns the reader's
    /// description or rethrows its error once every record before it has been analysed.
    /// When no thread can be started, `read` runs on the calling thread into `sink`.
    static func run(_ read: @escaping (RecordSink) throws -> InputDescription, into sink: AnalysisSink) throws -> InputDescription {
        let full = BoundedQueue<Message>(capacity: batches + 1)
        let free = BoundedQueue<RecordBatch>(capacity: batches)
        for _ in 0..<batches { free.push(RecordBatch()) }
        let job = Job(read)
        let started = startThread {
            let batching = BatchingSink(full: full, free: free)
            let result = Result { try job.read(batching) }
            batching.flush()
            full.push(.done(result))
        }
        guard started else { return try read(sink) }
        while let message = full.pop() {
            switch message {
            case .batch(let batch):
                batch.replay(into: sink)
                batch.reset()
                free.push(batch)
            case .done(let result):
                return try result.get()
            }
        }
        preconditionFailure("AnalysisPipeline: the reading thread ended without a result")
    }

    /// The reading thread's sink: fills batches and hands them over.
    private final class BatchingSink: RecordSink {
        let full: BoundedQueue<Message>
        let free: BoundedQueue<RecordBatch>
        var batch: RecordBatch

        init(full: BoundedQueue<Message>, free: BoundedQueue<RecordBatch>) {
            self.full = full
            self.free = free
            batch = free.pop()!
        }

        func declareField(_ id: Int, name: String) { batch.appendEvent(.declare(id: id, name: name)) }
        func reject(_ rejection: RecordRejection) { batch.appendEvent(.reject(rejection)) }
        func warn(_ warning: InputWarning) { batch.appendEvent(.warn(warning)) }

        func consume(_ record: RecordBuffer) throws {
            batch.append(record)
            if batch.byteCount >= AnalysisPipeline.batchBytes || batch.recordCount >= AnalysisPipeline.batchRecords {
                full.push(.batch(batch))
                batch = free.pop()!
            }
        }

        /// Hands over the last, partly filled batch.
        func flush() {
            if !batch.isEmpty { full.push(.batch(batch)) }
        }
    }
}
