import Foundation
import Testing
@testable import ImpactReporting

/// Finding F13 (`noheader_text.csv`): `(confidence 0.5800000000000001)` and an empty
/// `Subjects identified by: ` line in the text report.
@Suite struct ReportDisplayTests {
    static func report(confidence: Double, basis: [String: Int]) -> ImpactReport {
        ImpactReport(tool: "impact test", complete: true, incompleteReasons: [], countsAreLowerBound: false, records: 3,
                     analysedRecords: 3, rejectedRecords: 0, recordsWithoutIdentifier: 0, inputs: [],
                     fields: [.init(name: "col1", role: "last_name", categories: [], confidence: confidence,
                                    evidence: [], invalidValues: 0, values: 3, maskedExamples: nil)],
                     subjects: 0, subjectsAtTwoOrMoreControllers: 0, subjectsByCategory: [:], healthProfessionals: 0,
                     identityBasis: basis, controllerFields: [], controllers: [], warnings: [], rejections: [])
    }

    @Test(arguments: [(0.5 + 0.4 * 0.2, "0.58"), (0.9, "0.9"), (1.0, "1.0"), (0.8549999, "0.85"), (0.2551, "0.26")])
    func confidenceIsRoundedToTwoDecimals(value: Double, shown: String) throws {
        let r = Self.report(confidence: value, basis: [:])
        #expect(TextReport.render(r).contains("col1: -  (confidence \(shown))"))
        let json = String(decoding: try ReportJSON.encode(r), as: UTF8.self)
        let expected = shown == "1.0" ? "1" : shown
        #expect(json.contains("\"confidence\" : \(expected),"))
    }

    @Test func noIdentityBasisLineWhenNothingToList() {
        #expect(!TextReport.render(Self.report(confidence: 0.9, basis: [:])).contains("Subjects identified by"))
        #expect(!TextReport.render(Self.report(confidence: 0.9, basis: ["nir": 0])).contains("Subjects identified by"))
        #expect(TextReport.render(Self.report(confidence: 0.9, basis: ["nir": 3])).hasSuffix("\nSubjects identified by: nir 3\n"))
    }
}
