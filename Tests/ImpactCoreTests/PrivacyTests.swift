import Foundation
import Testing
@testable import ImpactCore

/// No raw identifier of a leak appears in any report format (principle 2).
@Suite struct PrivacyTests {
    /// Distinct values of the identifying columns of `labs_en.csv` (read with a naive split:
    /// the columns checked hold no quoted commas).
    static func identifyingValues() throws -> Set<String> {
        let text = try String(contentsOf: TestPaths.samples.appendingPathComponent("labs_en.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let wanted = ["last_name", "social_security_number", "patient_id", "phone_number", "email"]
        let idx = wanted.compactMap { header.firstIndex(of: $0) }
        var values = Set<String>()
        for l in lines.prefix(3000) where !l.contains("\"") {
            let cells = l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for i in idx where i < cells.count && cells[i].count >= 6 { values.insert(cells[i]) }
        }
        return values
    }

    @Test func reportsHoldNoRawIdentifier() throws {
        let values = try Self.identifyingValues()
        #expect(values.count > 500)
        let report = SampleReports.sample("labs_en.csv")
        let json = String(decoding: try ReportJSON.encode(report), as: UTF8.self)
        let text = TextReport.render(report)
        for out in [json, text] {
            let leaked = values.filter { out.contains($0) }
            #expect(leaked.isEmpty, "leaked \(leaked.count) values, e.g. a value of length \(leaked.first?.count ?? 0)")
        }
    }
}
