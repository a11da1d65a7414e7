import Foundation
import Testing
import ImpactReporting

/// ENISA `SE = DPC × EI + CB` (regulatory.md §3), EDPB risk and Art. 33/34 obligations (§8) on
/// table cases, each with the numbers worked out by hand.
@Suite struct SeverityAssessorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let categories: [String]
        let fields: [(String, String?, [String])]
        let incident: IncidentFacts?
        let dpc: Double, dpcBasis: String, ei: Double, cb: Double, se: Double
        let band: ControllerAssessment.SeverityBand
        let scale: ControllerAssessment.CNILSeverity
        let risk: ControllerAssessment.RiskLevel
        let notify: Bool, communicate: Bool
        var testDescription: String { name }
    }

    static let results: (String, String?, [String]) = ("resultat", "exam_result", ["health"])
    static let comment: (String, String?, [String]) = ("commentaire", "free_text", ["health", "pregnancy", "genetic"])
    static let quiet = IncidentFacts(nature: .init(confidentiality: IncidentFacts.ConfidentialityLoss.none, integrity: IncidentFacts.IntegrityLoss.none,
                                                   availability: IncidentFacts.AvailabilityLoss.none), malicious: false)
    static let known = IncidentFacts(nature: .init(confidentiality: .knownRecipients, integrity: IncidentFacts.IntegrityLoss.none,
                                                   availability: IncidentFacts.AvailabilityLoss.none), malicious: false)

    static let cases: [Case] = [
        // regulatory.md §3.5 worked example: DPC 4 × EI 1 + CB (0.5 + 0.5) = 5.
        Case(name: "Dedalus-type file found in the wild", categories: ["person_name", "national_id", "birth_date", "health", "pregnancy", "genetic"],
             fields: [results, comment], incident: nil, dpc: 4, dpcBasis: "actual_results", ei: 1, cb: 1, se: 5,
             band: .veryHigh, scale: .maximale, risk: .highRisk, notify: true, communicate: true),
        Case(name: "named conditions in free text only", categories: ["person_name", "birth_date", "health", "pregnancy"],
             fields: [("commentaire", "free_text", ["health", "pregnancy"])], incident: known, dpc: 4, dpcBasis: "named_condition",
             ei: 1, cb: 0.25, se: 4.25, band: .veryHigh, scale: .maximale, risk: .highRisk, notify: true, communicate: true),
        Case(name: "labels for a specific condition, known recipients", categories: ["person_name", "birth_date", "health", "genetic"],
             fields: [("libelle_examen", "exam_label", ["health", "genetic"])], incident: known, dpc: 3, dpcBasis: "specific_condition",
             ei: 1, cb: 0.25, se: 3.25, band: .high, scale: .importante, risk: .highRisk, notify: true, communicate: true),
        Case(name: "routine exam codes with a patient id only", categories: ["patient_id", "health"],
             fields: [("code_examen", "exam_code", ["health"])], incident: quiet, dpc: 2, dpcBasis: "testing_fact",
             ei: 0.25, cb: 0, se: 0.5, band: .low, scale: .negligeable, risk: .risk, notify: true, communicate: false),
        Case(name: "simple data to known recipients", categories: ["person_name", "email_address"], fields: [], incident: known,
             dpc: 1, dpcBasis: "simple", ei: 1, cb: 0.25, se: 1.25, band: .low, scale: .negligeable, risk: .noRisk, notify: false, communicate: false),
        Case(name: "NIR without health data, published", categories: ["person_name", "national_id"], fields: [], incident: nil,
             dpc: 3, dpcBasis: "nir", ei: 1, cb: 1, se: 4, band: .veryHigh, scale: .maximale, risk: .highRisk, notify: true, communicate: true),
        Case(name: "NIR to known recipients", categories: ["national_id"], fields: [], incident: known,
             dpc: 3, dpcBasis: "nir", ei: 1, cb: 0.25, se: 3.25, band: .high, scale: .importante, risk: .highRisk, notify: true, communicate: true),
        Case(name: "minors raise a DPC below 4", categories: ["patient_id", "health"], fields: [("code_examen", "exam_code", ["health"])],
             incident: IncidentFacts(nature: quiet.nature, malicious: false, persons: .init(minors: true)),
             dpc: 3, dpcBasis: "testing_fact+minors", ei: 0.25, cb: 0, se: 0.75, band: .low, scale: .negligeable, risk: .risk, notify: true, communicate: false),
        Case(name: "full name alone is significant", categories: ["person_name", "health"], fields: [results], incident: nil,
             dpc: 4, dpcBasis: "actual_results", ei: 0.75, cb: 1, se: 4, band: .veryHigh, scale: .maximale, risk: .highRisk, notify: true, communicate: true),
        Case(name: "patient id with birth date is limited", categories: ["patient_id", "birth_date", "health"], fields: [results], incident: quiet,
             dpc: 4, dpcBasis: "actual_results", ei: 0.5, cb: 0, se: 2, band: .medium, scale: .limitee, risk: .risk, notify: true, communicate: false),
        Case(name: "special category with no field context takes ENISA's default", categories: ["person_name", "health", "sex_life"], fields: [],
             incident: quiet, dpc: 4, dpcBasis: "sensitive_default", ei: 0.75, cb: 0, se: 3, band: .high, scale: .importante,
             risk: .highRisk, notify: true, communicate: true),
        Case(name: "financial data", categories: ["person_name", "postal_address", "financial"], fields: [], incident: known,
             dpc: 3, dpcBasis: "financial", ei: 1, cb: 0.25, se: 3.25, band: .high, scale: .importante, risk: .highRisk, notify: true, communicate: true),
        Case(name: "connection data", categories: ["online_identifier"], fields: [], incident: quiet,
             dpc: 2, dpcBasis: "behavioural", ei: 0.25, cb: 0, se: 0.5, band: .low, scale: .negligeable, risk: .noRisk, notify: false, communicate: false),
        Case(name: "integrity and availability lost, not recoverable",
             categories: ["person_name", "birth_date"], fields: [],
             incident: IncidentFacts(nature: .init(confidentiality: IncidentFacts.ConfidentialityLoss.none, integrity: .notRecoverable, availability: .full), malicious: true),
             dpc: 1, dpcBasis: "simple", ei: 1, cb: 1.5, se: 2.5, band: .medium, scale: .limitee, risk: .risk, notify: true, communicate: false),
    ]

    @Test(arguments: cases)
    func enisaScore(_ c: Case) {
        let (report, controller) = syntheticReport(categories: c.categories, fields: c.fields)
        let a = SeverityAssessor.assess(controller: controller, report: report, incident: c.incident)
        #expect(a.dpc.value == c.dpc)
        #expect(a.dpc.basis == c.dpcBasis)
        #expect(a.ei.value == c.ei)
        #expect(a.cb.value == c.cb)
        #expect(a.se == c.se)
        #expect(a.se == a.dpc.value * a.ei.value + a.cb.value)
        #expect(a.band == c.band)
        #expect(a.cnilScale == c.scale)
        #expect(a.risk == c.risk)
        #expect(a.obligations.notifyAuthority == c.notify)
        #expect(a.obligations.communicateToSubjects == c.communicate)
        #expect(!a.dpc.reasons.isEmpty && !a.ei.reasons.isEmpty && a.cb.components.count == 4)
    }

    @Test func bandBoundaries() {
        let table: [(Double, ControllerAssessment.SeverityBand)] = [(0, .low), (1.99, .low), (2, .medium), (2.75, .medium), (3, .high),
                                                                    (3.99, .high), (4, .veryHigh), (6, .veryHigh)]
        for (se, band) in table { #expect(AssessmentRules.band(se) == band, "SE \(se)") }
    }

    @Test func defaultsAreListedAsAssumptions() {
        let (report, controller) = syntheticReport(categories: ["national_id", "health"], fields: [Self.results])
        let a = SeverityAssessor.assess(controller: controller, report: report, incident: nil)
        #expect(a.assumptions.map(\.code) == ["assumed.confidentiality", "assumed.integrity", "assumed.availability", "assumed.malicious"])
        #expect(a.cb.components.map(\.assumed) == [true, true, true, true])
        #expect(a.cb.components.map(\.level) == ["unknown_recipients", "none", "none", "yes"])
        #expect(a.obligations.deadline == nil)
        #expect(a.obligations.reasons.map(\.code).contains("obligation.deadline_unknown"))

        let stated = SeverityAssessor.assess(controller: controller, report: report, incident: Self.known)
        #expect(stated.assumptions.isEmpty)
        #expect(stated.cb.components.allSatisfy { !$0.assumed })
    }

    @Test func exemptionClaimedReplacesTheCommunication() {
        let (report, controller) = syntheticReport(categories: ["national_id", "health"], fields: [Self.results])
        var facts = IncidentFacts(communication: .init(exemption: .disproportionateEffort, exemptionJustification: "no addresses"))
        var a = SeverityAssessor.assess(controller: controller, report: report, incident: facts)
        #expect(a.risk == .highRisk)
        #expect(a.obligations.communicateToSubjects == false)
        #expect(a.obligations.exemptionClaimed == .disproportionateEffort)
        #expect(a.obligations.publicCommunicationRequired == true)
        #expect(a.obligations.reasons.map(\.code) == ["obligation.notify", "obligation.deadline_unknown", "obligation.exempt", "obligation.public_communication"])
        facts.communication?.exemption = .unintelligible
        a = SeverityAssessor.assess(controller: controller, report: report, incident: facts)
        #expect(a.obligations.publicCommunicationRequired == false)
        #expect(a.obligations.reasons.first { $0.code == "obligation.exempt" }?.args == ["a"])
    }

    @Test func encryptionIsShownButNeverLowersTheLevel() {
        let (report, controller) = syntheticReport(categories: ["national_id", "health"], fields: [Self.results])
        let a = SeverityAssessor.assess(controller: controller, report: report, incident: IncidentFacts(dataUnintelligible: true))
        #expect(a.risk == .highRisk)
        #expect(a.riskReasons.map(\.code).contains("risk.unintelligible"))
    }

    @Test func lowerBoundCountsAreSaid() {
        let (report, controller) = syntheticReport(categories: ["health"], fields: [Self.results], lowerBound: true)
        let a = SeverityAssessor.assess(controller: controller, report: report, incident: nil)
        #expect(a.riskReasons.map(\.code).contains("risk.lower_bound"))
    }

    @Test func reasonsNameTheFieldsAndRenderInFrench() {
        let (report, controller) = syntheticReport(categories: ["person_name", "birth_date", "health", "pregnancy", "genetic"],
                                                   fields: [Self.results, Self.comment])
        let a = SeverityAssessor.assess(controller: controller, report: report, incident: nil)
        #expect(a.dpc.reasons.map(\.code) == ["dpc.actual_results", "dpc.named_condition"])
        #expect(a.dpc.reasons[0].text.contains("\"resultat\""))
        #expect(a.dpc.reasons[1].args == ["\"commentaire\"", "@cats:health,pregnancy,genetic"])
        #expect(a.dpc.reasons[1].text(.fr).contains("données de santé, grossesse, données génétiques"))
        #expect(a.dpc.reasons[1].text(.en).contains("health data, pregnancy, genetic data"))
        #expect(a.ei.reasons[0].text(.fr).contains("Nom et date de naissance"))
        // Every code used has both texts.
        for r in a.dpc.reasons + a.ei.reasons + a.riskReasons + a.obligations.reasons + a.assumptions + a.cb.components.map(\.reason) {
            #expect(AssessmentRules.texts[r.code] != nil, "\(r.code)")
        }
    }

    @Test func deadlineFromIncidentAwareness() {
        let (report, controller) = syntheticReport(categories: ["health"], fields: [Self.results])
        let a = SeverityAssessor.assess(controller: controller, report: report,
                                        incident: IncidentFacts(dates: .init(awarenessAt: "2024-06-10T14:30:00+02:00")))
        #expect(a.obligations.awarenessAt == "2024-06-10T14:30:00+02:00")
        #expect(a.obligations.deadline == "2024-06-13T14:30:00+02:00")
        // A controller's own awareness (told later by the processor) wins over the incident's.
        let b = SeverityAssessor.assess(controller: controller, report: report, incident: IncidentFacts(
            controllers: [controller.id: .init(awarenessAt: "2024-06-11T09:00")], dates: .init(awarenessAt: "2024-06-10T14:30:00+02:00")))
        #expect(b.obligations.deadline == "2024-06-14T09:00:00+02:00")
    }

    @Test func reportStaysSourceCompatibleAndRoundTrips() throws {
        let (report, controller) = syntheticReport(categories: ["national_id", "health"], fields: [Self.results])
        var r = report
        r.controllers[0].assessment = SeverityAssessor.assess(controller: controller, report: report, incident: nil)
        let back = try ReportJSON.decode(try ReportJSON.encode(r))
        #expect(back == r)
        // Without an assessment the JSON has no `assessment` key (reports made before it decode as before).
        let plain = String(decoding: try ReportJSON.encode(report), as: UTF8.self)
        #expect(!plain.contains("\"assessment\""))
    }
}
