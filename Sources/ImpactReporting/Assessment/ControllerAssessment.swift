/// The severity of a breach for one controller, the risk level and the obligations that follow.
///
/// Made by ``SeverityAssessor/assess(controller:report:incident:)`` from the analysis report
/// (counts and categories per controller, field roles) and the incident facts. Every number
/// carries the reasons it was given, as stable codes with arguments (``AssessmentReason``) so
/// that the documents can show them in French or English; the JSON keeps the English text too.
///
/// Contract: ENISA 2013 `SE = DPC × EI + CB` (regulatory.md §3): `dpc` 1…4, `ei` one of
/// 0.25 / 0.5 / 0.75 / 1, `cb` 0…2 in steps of 0.25, `se` exact (quarters times integers);
/// `band` from `se` (< 2 low, < 3 medium, < 4 high, ≥ 4 very high) and `cnil_scale` its CNIL
/// equivalent; `risk` per EDPB 9/2022 and regulatory.md §8; `obligations` per GDPR Art. 33,
/// 34. The thresholds and their sources are in ``AssessmentRules``.
public struct ControllerAssessment: Codable, Sendable, Equatable {
    /// Version of ``AssessmentRules`` that made this assessment.
    public var rulesVersion: String
    /// `SE = DPC × EI + CB` (ENISA 2013).
    public var method: String
    public var dpc: Factor
    public var ei: Factor
    public var cb: Circumstances
    public var se: Double
    public var band: SeverityBand
    public var cnilScale: CNILSeverity
    public var risk: RiskLevel
    public var riskReasons: [AssessmentReason]
    public var obligations: Obligations
    /// Defaults used because an incident fact was absent (each also marked on its factor).
    public var assumptions: [AssessmentReason]

    public init(rulesVersion: String, method: String, dpc: Factor, ei: Factor, cb: Circumstances, se: Double, band: SeverityBand,
                cnilScale: CNILSeverity, risk: RiskLevel, riskReasons: [AssessmentReason], obligations: Obligations,
                assumptions: [AssessmentReason]) {
        self.rulesVersion = rulesVersion; self.method = method; self.dpc = dpc; self.ei = ei; self.cb = cb; self.se = se
        self.band = band; self.cnilScale = cnilScale; self.risk = risk; self.riskReasons = riskReasons
        self.obligations = obligations; self.assumptions = assumptions
    }

    /// A factor of the formula with the reasons for its value.
    public struct Factor: Codable, Sendable, Equatable {
        public var value: Double
        /// Short id of the rung that gave the value (e.g. `actual_results`, `nir`).
        public var basis: String
        public var reasons: [AssessmentReason]
        public init(value: Double, basis: String, reasons: [AssessmentReason]) {
            self.value = value; self.basis = basis; self.reasons = reasons
        }
    }

    /// ENISA circumstances of the breach: the sum of its four elements.
    public struct Circumstances: Codable, Sendable, Equatable {
        public var value: Double
        public var components: [Component]
        public init(value: Double, components: [Component]) { self.value = value; self.components = components }
    }

    /// One CB element: `confidentiality`, `integrity`, `availability` or `malicious`.
    public struct Component: Codable, Sendable, Equatable {
        public var element: String
        /// The level read from the incident facts, or assumed (e.g. `unknown_recipients`).
        public var level: String
        public var value: Double
        /// True when the incident facts did not say and the documented default was used.
        public var assumed: Bool
        public var reason: AssessmentReason
        public init(element: String, level: String, value: Double, assumed: Bool, reason: AssessmentReason) {
            self.element = element; self.level = level; self.value = value; self.assumed = assumed; self.reason = reason
        }
    }

    /// What the controller must do (GDPR Art. 33, 34).
    public struct Obligations: Codable, Sendable, Equatable {
        /// Notify the supervisory authority (CNIL) under Art. 33.
        public var notifyAuthority: Bool
        /// The awareness instant used, ISO 8601 in Paris time; nil when not known.
        public var awarenessAt: String?
        /// `awareness_at` + 72 h (Art. 33(1)), ISO 8601 in Paris time; nil when awareness is unknown.
        public var deadline: String?
        /// Communicate the breach to the data subjects under Art. 34.
        public var communicateToSubjects: Bool
        /// The Art. 34(3) exemption the controller claimed (then `communicate_to_subjects` is false).
        public var exemptionClaimed: IncidentFacts.Art34Exemption?
        /// Art. 34(3)(c): a public communication replaces the individual one.
        public var publicCommunicationRequired: Bool
        public var reasons: [AssessmentReason]
        public init(notifyAuthority: Bool, awarenessAt: String?, deadline: String?, communicateToSubjects: Bool,
                    exemptionClaimed: IncidentFacts.Art34Exemption?, publicCommunicationRequired: Bool, reasons: [AssessmentReason]) {
            self.notifyAuthority = notifyAuthority; self.awarenessAt = awarenessAt; self.deadline = deadline
            self.communicateToSubjects = communicateToSubjects; self.exemptionClaimed = exemptionClaimed
            self.publicCommunicationRequired = publicCommunicationRequired; self.reasons = reasons
        }
    }

    /// ENISA 2013 severity levels (§3.5).
    public enum SeverityBand: String, Codable, Sendable, CaseIterable {
        case low, medium, high
        case veryHigh = "very_high"
    }

    /// The CNIL's four-level scale (PIA methodology; CNIL form §12).
    public enum CNILSeverity: String, Codable, Sendable, CaseIterable {
        case negligeable, limitee, importante, maximale
    }

    /// EDPB 9/2022 risk to the rights and freedoms of persons.
    public enum RiskLevel: String, Codable, Sendable, CaseIterable {
        case noRisk = "no_risk"
        case risk
        case highRisk = "high_risk"
    }
}

/// A reason, as a stable code with its arguments and the English text.
///
/// Contract: `code` is a key of ``AssessmentRules/texts``; `args` fill its `{0}`, `{1}`…
/// placeholders (field names from the leak's header, category ids, numbers); `text` is the
/// English rendering, kept for readers of the JSON. Use ``text(_:)`` for another language.
public struct AssessmentReason: Codable, Sendable, Equatable {
    public var code: String
    public var args: [String]
    public var text: String

    public init(_ code: String, _ args: [String] = []) {
        self.code = code
        self.args = args
        self.text = AssessmentRules.render(code, args, .en)
    }

    /// The reason in `lang` (arguments are not escaped: escape the result for its output).
    public func text(_ lang: DocumentLanguage) -> String { AssessmentRules.render(code, args, lang) }
}
