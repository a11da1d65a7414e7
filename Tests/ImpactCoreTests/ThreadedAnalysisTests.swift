import Foundation
import Testing
import ImpactSynth
@testable import ImpactCore

/// The two-thread pipeline (reading thread + analysing thread, extraction shared between them)
/// must give the report of a single-threaded run, byte for byte, whatever the batch size and
/// whichever thread extracts: linking happens in record order on one thread, and an extraction
/// made under plans that changed since (JSON fields first met later) is redone.
@Suite struct ThreadedAnalysisTests {
    /// Tunings that move the work between the threads: the default; tiny batches with the
    /// reading thread extracting every batch it can (after a short classification sample, so
    /// that most records go through the reader's extraction); the analysing thread doing all of it.
    static let tunings: [(name: String, sampleRecords: Int, tuning: PipelineTuning)] = [
        ("default", 5_000, PipelineTuning()),
        ("reader extracts, batches of 7", 40, PipelineTuning(batchBytes: 1 << 20, batchRecords: 7, readerExtracts: .always)),
        ("analyser extracts, 1 KiB batches", 40, PipelineTuning(batchBytes: 1 << 10, batchRecords: 4096, readerExtracts: .never)),
        // Records over 256 bytes make a batch outsized: one such batch in flight at a time.
        ("128-byte batches, one outsized batch in flight", 40,
         PipelineTuning(batchBytes: 128, batchRecords: 4096, readerExtracts: .whenBehind, outsizedBatches: 1)),
    ]

    static func report(_ paths: [String], threads: Int, sampleRecords: Int = 5_000,
                       tuning: PipelineTuning = PipelineTuning()) throws -> Data {
        var options = AnalysisOptions()
        options.threads = threads
        options.sampleRecords = sampleRecords
        options.pipeline = tuning
        options.hasher = SubjectKeyHasher(k0: 7, k1: 11)
        return try ReportJSON.encode(LeakAnalyzer(options: options).analyze(paths: paths).report)
    }

    static func expectSameReports(_ paths: [String], _ label: String) throws {
        for t in tunings {
            let single = try report(paths, threads: 1, sampleRecords: t.sampleRecords)
            let threaded = try report(paths, threads: 2, sampleRecords: t.sampleRecords, tuning: t.tuning)
            #expect(threaded == single, "\(label), \(t.name)")
        }
    }

    @Test(arguments: SampleTruthTests.samples)
    func threadedReportEqualsSingleThreadedOnTheSamples(sample: String) throws {
        try Self.expectSameReports([TestPaths.samples.appendingPathComponent(sample).path], sample)
    }

    @Test func threadedReportEqualsSingleThreadedOnSeveralInputs() throws {
        let paths = ["labs_en.csv", "labs_nested.jsonl", "labs_fr_cp1252.csv.gz"].map { TestPaths.samples.appendingPathComponent($0).path }
        try Self.expectSameReports(paths, "three inputs")
    }

    /// Generated leaks of the other shapes: a JSON array, header-less CSV, obfuscated headers.
    @Test(arguments: [SynthShape.jsonArray, .noHeader, .obfuscatedHeaders])
    func threadedReportEqualsSingleThreadedOnGeneratedLeaks(shape: SynthShape) throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = SynthConfig(seed: 3, records: 1_500, controllers: 5, shape: shape)
        _ = try SyntheticLeak.write(config, to: dir)
        try Self.expectSameReports([dir.appendingPathComponent(config.leakFileName).path], shape.rawValue)
    }

    /// A failure mid-stream reaches the report after every record read before it, in both modes.
    /// Case folder: 025-truncated-gzip.
    @Test func truncatedGzipGivesTheSameIncompleteReportOnTwoThreads() throws {
        let path = TestPaths.caseFile("025-truncated-gzip", "a-truncated.csv.gz")
        try Self.expectSameReports([path], "truncated gzip")
        let options = { () -> AnalysisOptions in var o = AnalysisOptions(); o.threads = 2; return o }()
        let outcome = LeakAnalyzer(options: options).analyze(paths: [path])
        #expect(outcome.failures.map(\.kind) == [.truncatedGzip])
        #expect(outcome.report.complete == false)
    }

    @Test func threadsDefaultToTwoOnSeveralCoresAndOneWhenAsked() {
        var options = AnalysisOptions()
        options.threads = 1
        #expect(LeakAnalyzer(options: options).threadsPerInput == 1)
        options.threads = 3
        #expect(LeakAnalyzer(options: options).threadsPerInput == 3)
        options.threads = 0
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(LeakAnalyzer(options: options).threadsPerInput == (cores >= 2 ? 2 : 1))
    }
}
