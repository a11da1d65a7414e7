import Foundation
import Testing
@testable import ImpactStore
import ImpactCore

/// How the runs of a case combine into one report.
@Suite struct CaseReportTests {
    static func field(_ name: String, role: String?, _ cats: [String], confidence: Double, evidence: [String],
                      invalid: Int = 0, values: Int) -> ImpactReport.Field {
        ImpactReport.Field(name: name, role: role, categories: cats, confidence: confidence, evidence: evidence,
                           invalidValues: invalid, values: values)
    }

    static func run(_ id: Int, _ fields: [ImpactReport.Field]) -> RunContribution {
        RunContribution(run: id, inputs: [], fields: fields, warnings: [], rejections: [], recordsWithoutIdentifier: 0,
                        identityBasis: [:], controllerFields: [])
    }

    @Test func aFieldOfOneRunIsShownAsThatRunClassifiedIt() {
        let nir = Self.field("nir", role: "nir", ["national_id"], confidence: 0.99, evidence: ["header \"nir\""], values: 10)
        let merged = CaseReport.mergeFields([Self.run(1, [nir]), Self.run(2, [])])
        #expect(merged == [nir])
    }

    @Test func aFieldOfSeveralRunsUnitesCategoriesSumsCountsAndKeepsEachRunsEvidence() {
        let a = Self.field("notes", role: nil, ["health"], confidence: 0.6, evidence: ["lexicon: 3 values"], values: 40)
        let b = Self.field("notes", role: "free_text", ["pregnancy", "health"], confidence: 0.8,
                           evidence: ["lexicon: 9 values", "file: 90"], invalid: 2, values: 90)
        let other = Self.field("ipp", role: "patient_id", ["patient_id"], confidence: 1, evidence: [], values: 5)
        let merged = CaseReport.mergeFields([Self.run(1, [a]), Self.run(2, [other, b])])
        #expect(merged.map(\.name) == ["notes", "ipp"])
        #expect(merged[0] == Self.field("notes", role: "free_text", ["health", "pregnancy"], confidence: 0.8,
                                        evidence: ["run 1: lexicon: 3 values", "run 2: lexicon: 9 values", "run 2: file: 90"],
                                        invalid: 2, values: 130))
        #expect(merged[1] == other)
    }

    @Test func theRoleOfTheRunWithMostValuesWinsTiesGoToTheEarliest() {
        let a = Self.field("id", role: "patient_id", ["patient_id"], confidence: 0.9, evidence: [], values: 50)
        let b = Self.field("id", role: nil, [], confidence: 0.2, evidence: [], values: 50)
        let c = Self.field("id", role: "nir", ["national_id"], confidence: 0.7, evidence: [], values: 51)
        #expect(CaseReport.mergeFields([Self.run(1, [a]), Self.run(2, [b])]).first?.role == "patient_id")
        #expect(CaseReport.mergeFields([Self.run(1, [a]), Self.run(2, [b]), Self.run(3, [c])]).first?.role == "nir")
        #expect(CaseReport.mergeFields([Self.run(1, [a]), Self.run(2, [b]), Self.run(3, [c])]).first?.confidence == 0.7)
    }
}
