@_exported import ImpactReporting
import ImpactIngest
import ImpactJSON
import ImpactDetect
import Foundation

/// The input formats `impact` reads.
public enum InputFormatChoice: String, Sendable, CaseIterable {
    case csv, json, jsonl
}

/// Options of an analysis.
public struct AnalysisOptions: Sendable {
    /// Force the input format (default: detected from content).
    public var inputFormat: InputFormatChoice?
    /// The field whose values identify the controller (default: the FINESS or lab-name field).
    public var controllerColumn: String?
    /// CSV overrides (delimiter, header, encoding); nil members are sniffed.
    public var csv = CSVOptions()
    /// Resource limits of the readers.
    public var limits = IngestLimits()
    /// Records (and bytes) of each input held to decide the field plans.
    public var sampleRecords = 5_000
    public var sampleBytes = 16 << 20
    /// Key of the in-memory subject hashes (default: random per run).
    public var hasher = SubjectKeyHasher()
    /// Called as each input is read (every ``InputProgress/interval`` records, and once when it
    /// ends): `impact --verbose`. Receives counts and sizes only.
    public var progress: (@Sendable (InputProgress) -> Void)? = nil
    /// Keep up to 3 masked examples per field from the classification sample
    /// (`--keep-masked-examples`; ``ValueMask``) in ``ImpactReport/Field/maskedExamples``.
    /// Off by default: the report then holds no trace of a value.
    public var keepMaskedExamples = false
    /// Threads per input: 1 reads and analyses on the calling thread; 2 or more read (and
    /// inflate gzip) on other threads while the calling thread analyses (see
    /// ``AnalysisPipeline``); 0 (default) chooses 2 when the machine has two cores or more.
    /// The report is the same whatever the choice.
    public var threads = 0
    /// How the pipeline batches and shares work (tests vary it; the report never depends on it).
    var pipeline = PipelineTuning()
    /// Memory budget of the distinct-subject tables and where they spill beyond it
    /// (`impact --memory-limit`); nil: no budget, never spills. The report does not depend on it.
    public var subjectMemory: SubjectMemoryBudget?

    public init() {}
}

/// How far the reading of one input has gone: counts, sizes and time, never a value.
public struct InputProgress: Sendable, Equatable {
    /// Records between two reports while an input is read.
    public static let interval = 1 << 18
    /// The input as given.
    public var path: String
    /// Bytes read from storage (compressed bytes for gzip).
    public var bytesRead: Int
    /// Records read so far (analysed + rejected).
    public var records: Int
    public var rejectedRecords: Int
    /// Seconds since the input was opened.
    public var seconds: Double
    /// The input has been read to its end (or to its failure).
    public var finished: Bool

    public init(path: String, bytesRead: Int, records: Int, rejectedRecords: Int, seconds: Double, finished: Bool) {
        self.path = path; self.bytesRead = bytesRead; self.records = records
        self.rejectedRecords = rejectedRecords; self.seconds = seconds; self.finished = finished
    }
}

/// The result of an analysis: the report (complete or not) and the inputs that failed.
public struct AnalysisOutcome {
    public var report: ImpactReport
    /// Inputs that could not be opened or read to their end.
    public var failures: [IngestError]
    /// The subject and controller state after the run (what a case store persists).
    public var linker: SubjectLinker
    public var controllers: ControllerRegistry
    /// Why the spill of the subject tables failed, or nil: when set, the report's counts are
    /// not reliable and must not be used.
    public var spillFailure: String? { linker.spillFailure }
    /// What the subject tables moved out of memory (all zero without a spill).
    public var spill: SubjectSpillStatistics { linker.spillStatistics }
    /// The `--controller-column` asked for when no input has a field of that name (a typo would
    /// otherwise silently switch the controllers from FINESS to names), else nil.
    public var missingControllerColumn: String?
}

/// Streams every input through detection, classification and subject linking, and builds the
/// ``ImpactReport``. Several inputs are counted together (a patient in two files counts once).
///
/// Errors: never throws. An input that cannot be opened, or that fails mid-stream (truncated
/// gzip or JSON, I/O error), is listed in ``AnalysisOutcome/failures``; the records read before
/// the failure are analysed and the report is marked `complete: false`.
public final class LeakAnalyzer {
    public let options: AnalysisOptions

    public init(options: AnalysisOptions = AnalysisOptions()) {
        self.options = options
    }

    /// Analyses `paths` together.
    /// - Parameter prepare: called before the first record with the subject linker and the
    ///   controller registry, so that a case store can import the identities of earlier runs.
    public func analyze(paths: [String], prepare: ((SubjectLinker, ControllerRegistry) -> Void)? = nil) -> AnalysisOutcome {
        StandardLexicons.load(threads: threadsPerInput)
        let processor = RecordProcessor(lexicon: TermLexicon.standard, headers: HeaderLexicon.standard,
                                        hasher: options.hasher, controllerColumn: options.controllerColumn,
                                        keepsMaskedExamples: options.keepMaskedExamples)
        processor.linker.setMemoryBudget(options.subjectMemory)
        processor.linker.tallyThreads = threadsPerInput
        prepare?(processor.linker, processor.controllers)
        var inputs: [ImpactReport.Input] = []
        var failures: [IngestError] = []
        var warnings: [ImpactReport.WarningSummary] = []
        var rejections: [ImpactReport.Rejection] = []
        for path in paths {
            let sink = AnalysisSink(processor: processor, path: path,
                                    sampleRecords: options.sampleRecords, sampleBytes: options.sampleBytes)
            var desc = InputDescription(path: path, format: "unknown")
            var failure: IngestError?
            let started = ContinuousClock.now
            if let progress = options.progress {
                sink.onProgress = { [unowned sink] in
                    progress(InputProgress(path: path, bytesRead: sink.bytesRead(), records: sink.consumedCount + sink.rejectedCount,
                                           rejectedRecords: sink.rejectedCount, seconds: Self.seconds(since: started), finished: false))
                }
            }
            do {
                desc = try read(path: path, into: sink)
            } catch let e as IngestError {
                var e = e
                if e.path.isEmpty { e.path = path }
                // What was read before the failure (dialect, encoding, bytes), when known.
                if let partial = e.input { desc = partial }
                if desc.bytes == 0 { desc.bytes = sink.bytesRead() }
                failure = e
            } catch {
                failure = IngestError(.io, path: path, message: "read error")
            }
            sink.finish()
            options.progress?(InputProgress(path: path, bytesRead: sink.bytesRead(), records: sink.consumedCount + sink.rejectedCount,
                                            rejectedRecords: sink.rejectedCount, seconds: Self.seconds(since: started), finished: true))
            if let failure {
                failures.append(failure)
                desc.records = sink.consumedCount + sink.rejectedCount
                desc.rejectedRecords = sink.rejectedCount
            }
            inputs.append(ImpactReport.Input(
                path: path, format: desc.format, compression: desc.compression, encoding: desc.encoding,
                bom: desc.bom, delimiter: desc.delimiter, header: desc.header, recordPath: desc.recordPath,
                records: sink.consumedCount + sink.rejectedCount, analysedRecords: sink.consumedCount,
                rejectedRecords: sink.rejectedCount, bytes: desc.bytes, complete: failure == nil,
                error: failure?.description))
            for (kind, w) in sink.warnings.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                warnings.append(.init(kind: kind.rawValue, count: w.count, firstLines: w.lines.map { "\(path):\($0)" }, detail: w.detail))
            }
            for r in sink.rejections where rejections.count < 1000 {
                rejections.append(.init(input: path, line: r.line, reason: r.reason.rawValue, detail: r.detail))
            }
        }
        let registry = processor.controllers
        for (named, withID) in registry.nameAlsoBesideID.sorted(by: { $0.key < $1.key }) {
            let entry = registry.entries[named]
            warnings.append(.init(
                kind: "controller_name_also_beside_id", count: entry.records, firstLines: [],
                detail: "\(entry.records) records name the controller '\(entry.id)' without its id; the first of them came before any record wrote that name beside id \(registry.entries[withID].id), so all of them are counted as a separate controller; check whether they belong to \(registry.entries[withID].id) (--controller-column can force one field)"))
        }
        let report = ReportBuilder.build(processor: processor, inputs: inputs, warnings: warnings,
                                         rejections: rejections, failures: failures)
        var outcome = AnalysisOutcome(report: report, failures: failures, linker: processor.linker, controllers: processor.controllers)
        if let column = options.controllerColumn, !report.fields.contains(where: { $0.name == column }) {
            outcome.missingControllerColumn = column
        }
        return outcome
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The number of threads used per input (``AnalysisOptions/threads``, 0 resolved).
    public var threadsPerInput: Int {
        if options.threads > 0 { return options.threads }
        return ProcessInfo.processInfo.activeProcessorCount >= 2 ? 2 : 1
    }

    /// Opens one input, detects its format and streams it into `sink` (through an
    /// ``AnalysisPipeline`` when more than one thread is allowed).
    private func read(path: String, into sink: AnalysisSink) throws -> InputDescription {
        let threaded = threadsPerInput >= 2
        let opened = try InputOpener.open(path: path, inflateAhead: threaded)
        sink.bytesRead = { [unowned sink, source = opened.source] in sink.bytesReadByPipeline ?? source.storedBytesRead }
        let format = try options.inputFormat ?? detectFormat(opened)
        let run: (RecordSink) throws -> InputDescription
        switch format {
        case .csv:
            // A file can be read again (to resume after an unterminated quote); standard input cannot.
            let reopen: (() throws -> OpenedInput)? = path == "-" || opened.storedBytes == 0 ? nil : {
                try InputOpener.open(path: path, inflateAhead: threaded)
            }
            let reader = try CSVRecordReader(input: opened, path: path, options: mergedCSVOptions(),
                                             reopen: reopen, headerEvidence: LexiconHeaderEvidence())
            run = { try reader.run(into: $0) }
        case .json, .jsonl:
            let decoded = try DecodingByteSource(opened.source, forced: options.csv.encoding)
            let mode: JSONMode? = options.inputFormat.map { $0 == .json ? .document : .lines }
            // A top-level object's largest array of objects is found by a first pass, then the file
            // is opened again (decompressed and decoded again, in the encoding found the first time).
            // Standard input, pipes and devices (stored size 0) cannot be read twice.
            let encoding = decoded.encoding
            let reopen: (() throws -> ByteSource)? = path == "-" || opened.storedBytes == 0 ? nil : {
                try DecodingByteSource(InputOpener.open(path: path, inflateAhead: threaded).source, forced: encoding)
            }
            let reader = JSONRecordReader(source: decoded, path: path, mode: mode, limits: options.limits,
                                          reopen: reopen)
            run = { target in
                var desc = try reader.run(into: target)
                desc.path = path
                desc.compression = opened.compression
                desc.encoding = decoded.encoding.rawValue
                desc.bom = decoded.hadBOM
                desc.bytes = opened.storedBytes
                return desc
            }
        }
        guard threaded else { return try run(sink) }
        return try AnalysisPipeline.run(run, into: sink, tuning: options.pipeline,
                                        bytesRead: { [source = opened.source] in source.storedBytesRead })
    }

    private func mergedCSVOptions() -> CSVOptions {
        var o = options.csv
        o.limits = options.limits
        return o
    }

    /// JSON when the first non-space byte (after a UTF-8 BOM) is `{` or `[`, else CSV.
    private func detectFormat(_ opened: OpenedInput) throws -> InputFormatChoice {
        let head = try opened.source.peek(upTo: 4096)
        var i = 0
        if head.count >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF { i = 3 }
        while i < head.count, head[i] == 0x20 || head[i] == 0x09 || head[i] == 0x0A || head[i] == 0x0D { i += 1 }
        guard i < head.count else { return .csv }
        return head[i] == UInt8(ascii: "{") || head[i] == UInt8(ascii: "[") ? .json : .csv
    }
}
