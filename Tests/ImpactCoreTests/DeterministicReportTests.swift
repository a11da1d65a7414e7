import Foundation
import Testing
@testable import ImpactCore

/// Issue 7, deterministic output: the same inputs give a byte-identical JSON report whatever the
/// size of the CSV reader's rolling buffer (`CSVOptions.bufferSize`), so records cut by a buffer
/// end (quoted line breaks, UTF-16 and Windows-1252 characters, gzip blocks) count the same.
/// A plain rerun giving the same bytes is `CommandLineTests.outputFileIsOwnerOnlyAndSameBytesOnRerun`.
/// (No threaded mode exists yet; when one does, its thread counts belong here too.)
@Suite struct DeterministicReportTests {
    static let inputs = [
        TestPaths.fixtures.appendingPathComponent("lab-leak-fr.csv.gz").path,
        TestPaths.caseFile("003-quoted-newline", "a.csv"),
        TestPaths.caseFile("006-ragged-rows", "input.csv"),
        TestPaths.caseFile("010-nul-byte-in-field", "input.csv"),
        TestPaths.caseFile("011-windows-1252-french-export", "input.csv"),
        TestPaths.caseFile("013-utf16le-excel-unicode-text", "with-bom.txt"),
        TestPaths.caseFile("015-jsonl-broken-lines", "input.jsonl"),
    ]

    static func report(bufferSize: Int) throws -> Data {
        var options = AnalysisOptions()
        options.csv.bufferSize = bufferSize
        return try ReportJSON.encode(LeakAnalyzer(options: options).analyze(paths: inputs).report)
    }

    @Test func jsonReportIsByteIdenticalUnderEveryBufferSize() throws {
        let reference = try Self.report(bufferSize: AnalysisOptions().csv.bufferSize)
        #expect(reference.count > 10_000)
        for size in [1, 7, 65_537] {
            let other = try Self.report(bufferSize: size)
            #expect(other == reference, "buffer of \(size) bytes")
        }
    }
}
