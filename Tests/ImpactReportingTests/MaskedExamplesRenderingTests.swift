import Foundation
import Testing
@testable import ImpactReporting

/// How `masked_examples` (`--keep-masked-examples`) appears in the reports: absent from the
/// JSON when nil, one indented text line when present, neutralised like every text of the
/// leak (case `023-csv-formula-injection`: a masked formula keeps its leading `=`).
@Suite struct MaskedExamplesRenderingTests {
    static func report(_ examples: [String]?) -> ImpactReport {
        ImpactReport(tool: "impact test", complete: true, incompleteReasons: [], countsAreLowerBound: false, records: 3,
                     analysedRecords: 3, rejectedRecords: 0, recordsWithoutIdentifier: 0, inputs: [],
                     fields: [.init(name: "commentaire", role: "free_text", categories: [], confidence: 0.9,
                                    evidence: ["file: 3 non-empty values"], invalidValues: 0, values: 3,
                                    maskedExamples: examples)],
                     subjects: 0, subjectsAtTwoOrMoreControllers: 0, subjectsByCategory: [:], healthProfessionals: 0,
                     identityBasis: [:], controllerFields: [], controllers: [], warnings: [], rejections: [])
    }

    @Test func absentWithoutTheFlag() throws {
        let json = String(decoding: try ReportJSON.encode(Self.report(nil)), as: UTF8.self)
        #expect(!json.contains("masked_examples"))
        #expect(!TextReport.render(Self.report(nil)).contains("masked examples"))
        // Asked for, but the field had no non-empty value: an empty array, no text line.
        #expect(String(decoding: try ReportJSON.encode(Self.report([])), as: UTF8.self).contains("\"masked_examples\" : [\n\n      ]"))
        #expect(!TextReport.render(Self.report([])).contains("masked examples"))
    }

    @Test func neutralisedInJSONAndText() throws {
        let masked = ["=XXXXXXXXX(\"xxxx\")", "@XXX(X9:X9)", "Xxxx, xxxxx"]
        let data = try ReportJSON.encode(Self.report(masked))
        let back = try ReportJSON.decode(data)
        #expect(back.fields[0].maskedExamples == ["'=XXXXXXXXX(\"xxxx\")", "'@XXX(X9:X9)", "Xxxx, xxxxx"])
        // Neutralising is idempotent: the decoded report encodes to the same bytes.
        #expect(try ReportJSON.encode(back) == data)
        let text = TextReport.render(Self.report(masked))
        #expect(text.contains("      file: 3 non-empty values\n      masked examples: '=XXXXXXXXX(\"xxxx\") | '@XXX(X9:X9) | Xxxx, xxxxx\n"))
    }
}
