import Foundation
import Testing
@testable import ImpactCore

/// `AnalysisOptions.progress` (what `impact --verbose` prints): one final report per input with
/// its records, rejections and the bytes read from storage; counts only.
@Suite struct VerboseProgressTests {
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [InputProgress] = []
        func add(_ p: InputProgress) { lock.lock(); items.append(p); lock.unlock() }
        var all: [InputProgress] { lock.lock(); defer { lock.unlock() }; return items }
    }

    @Test func eachInputEndsWithItsCountsAndBytes() throws {
        let gz = TestPaths.fixtures.appendingPathComponent("lab-leak-fr.csv.gz").path
        let broken = TestPaths.caseFile("015-jsonl-broken-lines", "input.jsonl")
        let missing = "/nonexistent/leak.csv"
        let collected = Collected()
        var options = AnalysisOptions()
        options.progress = { collected.add($0) }
        let report = LeakAnalyzer(options: options).analyze(paths: [gz, broken, missing]).report
        let finished = collected.all.filter(\.finished)
        #expect(finished.map(\.path) == [gz, broken, missing])
        #expect(finished.map(\.records) == report.inputs.map(\.records))
        #expect(finished.map(\.rejectedRecords) == [0, 2, 0])
        // Bytes read from storage: the compressed size for gzip, nothing for a missing file.
        let sizes = try [gz, broken].map { try #require(FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) }
        #expect(finished.map(\.bytesRead) == sizes + [0])
        #expect(finished.allSatisfy { $0.seconds >= 0 })
        // Fewer records than the reporting interval: no intermediate report.
        #expect(collected.all.count == 3)
    }
}
