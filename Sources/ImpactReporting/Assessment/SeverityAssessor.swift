/// Assesses the severity of a breach for one controller, its risk level and the obligations.
///
/// Behaviour, with the numbers of ``AssessmentRules``:
/// - **DPC**: the highest score over the data present at the controller (a category counts
///   when `subjects_by_category[c] > 0`). Sensitive data follows ENISA's context ladder for lab
///   data: fields with role `exam_result` → actual results (4); free-text fields whose
///   categories include a special category → named conditions (4); exam labels or codes that
///   reveal a specific condition (pregnancy, genetic, treatment…) → tested for a specific
///   condition (3); health data only from exam labels, codes or the lab context → fact of
///   testing (2); special-category data with no field that tells its context → 4. NIR and
///   financial data score 3, connection data 2, anything else 1. Minors or vulnerable persons
///   (incident file) raise a DPC below 4 by 1. Fields are reported for the whole leak: a field
///   applies to a controller when the controller has subjects in one of the field's categories.
/// - **EI**: NIR, name + birth date, name + address/e-mail/phone, or e-mail/phone → 1; a name
///   alone → 0.75; a patient id with birth date or address → 0.5; else 0.25.
/// - **CB**: the four ENISA elements from the incident facts; an element the facts do not give
///   takes the "file found in the wild" default and is listed in `assumptions`.
/// - **Risk**: no risk only when there is no special-category data, no NIR and SE < 2; high risk
///   when SE ≥ 3, or special-category data with EI ≥ 0.75 disclosed to unknown recipients, or a
///   NIR disclosed to unknown recipients; otherwise a risk. The level is never lowered on the
///   incident's word (encryption is shown as mitigating): in case of doubt, notify.
/// - **Obligations**: notify the CNIL unless no risk, by awareness + 72 h (Europe/Paris);
///   communicate to the persons on high risk unless an Art. 34(3) exemption is claimed.
///
/// Contract: pure and deterministic; `incident: nil` is what the analyzer passes (all CB
/// defaults, no deadline). Never reads or returns a value of the leak: only counts, category ids
/// and field names from the report.
public enum SeverityAssessor {
    public static func assess(controller: ImpactReport.Controller, report: ImpactReport, incident: IncidentFacts?) -> ControllerAssessment {
        let present = Set(controller.subjectsByCategory.filter { $0.value > 0 }.map(\.key))
        func n(_ c: String) -> Int { controller.subjectsByCategory[c] ?? 0 }
        let dpc = dataProcessingContext(controller: controller, report: report, present: present, persons: incident?.persons)
        let ei = easeOfIdentification(present: present, count: n)
        var assumptions: [AssessmentReason] = []
        let cb = circumstances(incident, assumptions: &assumptions)
        let se = dpc.value * ei.value + cb.value
        let band = AssessmentRules.band(se)

        // Risk (EDPB 9/2022; regulatory.md §8.3).
        let special = present.filter { AssessmentRules.specialCategories.contains($0) }
        let specialSubjects = special.map(n).max() ?? 0
        let confidentiality = incident?.nature?.confidentiality ?? AssessmentRules.defaultConfidentiality
        let seText = AssessmentRules.number(se, .en)
        var reasons: [AssessmentReason] = []
        var high = false
        if !special.isEmpty { reasons.append(AssessmentReason("risk.special_categories", [String(specialSubjects), catList(special)])) }
        if present.contains("national_id") { reasons.append(AssessmentReason("risk.national_id", [String(n("national_id"))])) }
        if se >= AssessmentRules.highRiskThreshold { reasons.append(AssessmentReason("risk.se_high", [seText])); high = true }
        else if se >= AssessmentRules.riskThreshold { reasons.append(AssessmentReason("risk.se_medium", [seText])) }
        if confidentiality == .unknownRecipients {
            if !special.isEmpty && ei.value >= AssessmentRules.highRiskEaseOfIdentification {
                reasons.append(AssessmentReason("risk.sensitive_public", [AssessmentRules.number(ei.value, .en)])); high = true
            }
            if present.contains("national_id") { reasons.append(AssessmentReason("risk.national_id_public")); high = true }
        }
        let anyRisk = high || !special.isEmpty || present.contains("national_id") || se >= AssessmentRules.riskThreshold
        if !anyRisk { reasons.append(AssessmentReason("risk.none", [seText])) }
        if controller.subjects > AssessmentRules.manyPersons { reasons.append(AssessmentReason("risk.many_persons", [String(controller.subjects)])) }
        if incident?.dataUnintelligible == true { reasons.append(AssessmentReason("risk.unintelligible")) }
        if report.countsAreLowerBound { reasons.append(AssessmentReason("risk.lower_bound")) }
        let risk: ControllerAssessment.RiskLevel = high ? .highRisk : anyRisk ? .risk : .noRisk

        // Obligations (Art. 33, 34).
        var ob: [AssessmentReason] = []
        let notify = risk != .noRisk
        var awarenessISO: String? = nil, deadlineISO: String? = nil
        if let a = incident?.awarenessAt(controller: controller.id), let t = ParisTime.parse(a) {
            awarenessISO = ParisTime.iso(t)
            deadlineISO = ParisTime.iso(ParisTime.deadline(afterAwareness: t))
        }
        if notify {
            ob.append(AssessmentReason("obligation.notify"))
            if deadlineISO == nil { ob.append(AssessmentReason("obligation.deadline_unknown")) }
        } else {
            ob.append(AssessmentReason("obligation.record_only"))
        }
        let exemption = incident?.communication?.exemption
        var communicate = false, publicCommunication = false
        if risk == .highRisk {
            if let e = exemption {
                let letter = String(e.rawValue.suffix(1))
                ob.append(AssessmentReason("obligation.exempt", [letter]))
                if e == .disproportionateEffort { publicCommunication = true; ob.append(AssessmentReason("obligation.public_communication")) }
            } else {
                communicate = true
                ob.append(AssessmentReason("obligation.communicate"))
            }
        } else {
            ob.append(AssessmentReason("obligation.no_communication"))
        }
        return ControllerAssessment(
            rulesVersion: AssessmentRules.rulesVersion, method: AssessmentRules.method, dpc: dpc, ei: ei, cb: cb, se: se,
            band: band, cnilScale: AssessmentRules.cnilScale(band), risk: risk, riskReasons: reasons,
            obligations: .init(notifyAuthority: notify, awarenessAt: awarenessISO, deadline: deadlineISO,
                               communicateToSubjects: communicate, exemptionClaimed: risk == .highRisk ? exemption : nil,
                               publicCommunicationRequired: publicCommunication, reasons: ob),
            assumptions: assumptions)
    }

    /// `@cats:` argument of the categories, in `DataCategory` order.
    static func catList(_ cats: some Sequence<String>) -> String {
        "@cats:" + AssessmentRules.sortedCategories(cats).joined(separator: ",")
    }

    static func fieldList(_ fields: [ImpactReport.Field]) -> String {
        fields.map { "\"\($0.name)\"" }.joined(separator: ", ")
    }

    static func dataProcessingContext(controller: ImpactReport.Controller, report: ImpactReport, present: Set<String>,
                                      persons: IncidentFacts.Persons?) -> ControllerAssessment.Factor {
        func n(_ c: String) -> Int { controller.subjectsByCategory[c] ?? 0 }
        // Fields that apply to this controller: one of their categories is present there.
        let fields = report.fields.filter { $0.values > 0 && $0.categories.contains { present.contains($0) } }
        let special = present.filter { AssessmentRules.specialCategories.contains($0) }
        var candidates: [(Double, String, AssessmentReason)] = []
        if !special.isEmpty {
            let results = fields.filter { AssessmentRules.resultRoles.contains($0.role ?? "") }
            let free = fields.filter { ($0.role == nil || AssessmentRules.freeTextRoles.contains($0.role!))
                && $0.categories.contains { AssessmentRules.specialCategories.contains($0) && present.contains($0) } }
            let labels = fields.filter { AssessmentRules.examLabelRoles.contains($0.role ?? "") }
            let labelSpecific = labels.filter { $0.categories.contains { AssessmentRules.isSpecificCondition($0) && present.contains($0) } }
            if !results.isEmpty {
                candidates.append((AssessmentRules.dpcActualSensitiveContent, "actual_results",
                                   AssessmentReason("dpc.actual_results", [fieldList(results)])))
            }
            if !free.isEmpty {
                let cats = Set(free.flatMap(\.categories)).intersection(special)
                candidates.append((AssessmentRules.dpcActualSensitiveContent, "named_condition",
                                   AssessmentReason("dpc.named_condition", [fieldList(free), catList(cats)])))
            }
            if !labelSpecific.isEmpty {
                let cats = Set(labelSpecific.flatMap(\.categories)).filter { AssessmentRules.isSpecificCondition($0) && present.contains($0) }
                candidates.append((AssessmentRules.dpcSpecificCondition, "specific_condition",
                                   AssessmentReason("dpc.specific_condition", [fieldList(labelSpecific), catList(cats)])))
            }
            // Special categories that no result, free-text or exam field explains: ENISA's default.
            let covered = Set((results + free + labels).flatMap(\.categories))
            let unexplained = special.filter { !covered.contains($0) }
            if !unexplained.isEmpty {
                candidates.append((AssessmentRules.dpcActualSensitiveContent, "sensitive_default",
                                   AssessmentReason("dpc.sensitive_default", [catList(unexplained)])))
            } else if candidates.isEmpty {
                candidates.append((AssessmentRules.dpcTestingFact, "testing_fact",
                                   AssessmentReason("dpc.testing_fact", [fieldList(labels)])))
            }
        }
        if present.contains("national_id") {
            candidates.append((AssessmentRules.dpcNationalID, "nir", AssessmentReason("dpc.national_id", [String(n("national_id"))])))
        }
        if present.contains("financial") {
            candidates.append((AssessmentRules.dpcFinancial, "financial", AssessmentReason("dpc.financial", [String(n("financial"))])))
        }
        if present.contains("online_identifier") {
            candidates.append((AssessmentRules.dpcBehavioural, "behavioural", AssessmentReason("dpc.behavioural", [String(n("online_identifier"))])))
        }
        if candidates.isEmpty { candidates.append((AssessmentRules.dpcSimple, "simple", AssessmentReason("dpc.simple"))) }
        // The highest score; every candidate is shown, the deciding one first.
        let sorted = candidates.enumerated().sorted { ($0.element.0, -$0.offset) > ($1.element.0, -$1.offset) }.map(\.element)
        var value = sorted[0].0
        var reasons = sorted.map(\.2)
        var basis = sorted[0].1
        if value < 4, persons?.minors == true {
            value = min(4, value + AssessmentRules.dpcVulnerableRaise); reasons.append(AssessmentReason("dpc.raised_minors")); basis += "+minors"
        } else if value < 4, persons?.vulnerable == true {
            value = min(4, value + AssessmentRules.dpcVulnerableRaise); reasons.append(AssessmentReason("dpc.raised_vulnerable")); basis += "+vulnerable"
        }
        return .init(value: value, basis: basis, reasons: reasons)
    }

    static func easeOfIdentification(present: Set<String>, count: (String) -> Int) -> ControllerAssessment.Factor {
        let name = present.contains("person_name")
        let contact = present.contains("email_address") || present.contains("phone_number")
        if present.contains("national_id") {
            return .init(value: AssessmentRules.eiMaximum, basis: "nir", reasons: [AssessmentReason("ei.national_id", [String(count("national_id"))])])
        }
        if name && present.contains("birth_date") {
            return .init(value: AssessmentRules.eiMaximum, basis: "name_birth_date", reasons: [AssessmentReason("ei.name_birth_date")])
        }
        if name && (contact || present.contains("postal_address")) {
            return .init(value: AssessmentRules.eiMaximum, basis: "name_contact", reasons: [AssessmentReason("ei.name_contact")])
        }
        if contact {
            return .init(value: AssessmentRules.eiMaximum, basis: "contact", reasons: [AssessmentReason("ei.contact")])
        }
        if name {
            return .init(value: AssessmentRules.eiSignificant, basis: "name_only", reasons: [AssessmentReason("ei.name_only")])
        }
        if present.contains("patient_id") && (present.contains("birth_date") || present.contains("postal_address")) {
            return .init(value: AssessmentRules.eiLimited, basis: "patient_id_plus", reasons: [AssessmentReason("ei.patient_id_plus")])
        }
        return .init(value: AssessmentRules.eiNegligible, basis: "negligible", reasons: [AssessmentReason("ei.negligible")])
    }

    static func circumstances(_ incident: IncidentFacts?, assumptions: inout [AssessmentReason]) -> ControllerAssessment.Circumstances {
        var parts: [ControllerAssessment.Component] = []
        let c = incident?.nature?.confidentiality
        let cv = c ?? AssessmentRules.defaultConfidentiality
        if c == nil { assumptions.append(AssessmentReason("assumed.confidentiality")) }
        parts.append(.init(element: "confidentiality", level: cv.rawValue, value: AssessmentRules.cbValue(cv), assumed: c == nil,
                           reason: AssessmentReason("cb.confidentiality." + cv.rawValue)))
        let i = incident?.nature?.integrity
        let iv = i ?? AssessmentRules.defaultIntegrity
        if i == nil { assumptions.append(AssessmentReason("assumed.integrity")) }
        parts.append(.init(element: "integrity", level: iv.rawValue, value: AssessmentRules.cbValue(iv), assumed: i == nil,
                           reason: AssessmentReason("cb.integrity." + iv.rawValue)))
        let a = incident?.nature?.availability
        let av = a ?? AssessmentRules.defaultAvailability
        if a == nil { assumptions.append(AssessmentReason("assumed.availability")) }
        parts.append(.init(element: "availability", level: av.rawValue, value: AssessmentRules.cbValue(av), assumed: a == nil,
                           reason: AssessmentReason("cb.availability." + av.rawValue)))
        let m = incident?.malicious
        let mv = m ?? AssessmentRules.defaultMalicious
        if m == nil { assumptions.append(AssessmentReason("assumed.malicious")) }
        parts.append(.init(element: "malicious", level: mv ? "yes" : "no", value: mv ? AssessmentRules.cbMalicious : 0, assumed: m == nil,
                           reason: AssessmentReason(mv ? "cb.malicious.yes" : "cb.malicious.no")))
        return .init(value: parts.reduce(0) { $0 + $1.value }, components: parts)
    }
}
