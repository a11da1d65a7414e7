import ImpactReporting

/// A value of the notification with where it came from.
///
/// Contract (JSON): `{"value": …, "source": …}`, `value` null when unknown. `source` is
/// `analysis: <path in the report>` (e.g. `analysis: controllers[id=920794955].subjects`),
/// `incident file: <key path>`, `assessment: <what>`, `previous notification: <path>`, or
/// the marker ``Sourced/toComplete(_:)`` (`À COMPLÉTER` / `TO BE COMPLETED`) when a person must
/// supply it. `label` is the CNIL form's wording of an enumerated value, in the document's language.
public struct Sourced<T: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var value: T?
    public var label: String?
    public var source: String

    public init(_ value: T?, source: String, label: String? = nil) {
        self.value = value; self.source = source; self.label = label
    }

    /// The marker of a value left for a person.
    public static func toComplete(_ lang: DocumentLanguage) -> String { lang == .fr ? "À COMPLÉTER" : "TO BE COMPLETED" }

    public var isMissing: Bool { value == nil }

    enum CodingKeys: String, CodingKey { case value, label, source }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(value, forKey: .value) // null when unknown, never omitted
        try c.encodeIfPresent(label, forKey: .label)
        try c.encode(source, forKey: .source)
    }
}

/// The data of one controller's notification to the CNIL (GDPR Art. 33), section by section of
/// the CNIL form (regulatory.md §4.1, §4.3).
///
/// Described by `schemas/cnil-notification.schema.json`; snake_case keys (encode with
/// ``DraftJSON``). Holds counts, category ids, field names, the controller's id and name from
/// the report and the facts of the incident file: never a value of the leak.
public struct CNILNotification: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = "1.0"
    public var schemaVersion = CNILNotification.currentSchemaVersion
    /// `impact` version that made the analysis report.
    public var tool: String
    public var language: DocumentLanguage
    public var controllerId: String
    /// False when the counts are a lower bound (incomplete input or rejected records).
    public var countsAreFinal: Bool
    public var notificationType: NotificationType
    public var organisation: Organisation
    public var contact: Contact
    public var dpo: Contact
    public var timeline: Timeline
    public var nature: Nature
    public var origin: Sourced<String>
    public var originDetail: Sourced<String>
    public var cause: Sourced<String>
    public var media: Sourced<[String]>
    public var dataCategories: [DataCategoryEntry]
    /// Approximate number of personal-data records (Art. 33(3)(a)).
    public var records: Sourced<Int>
    public var persons: Persons
    public var consequences: [Consequence]
    public var severity: Severity
    public var measures: Measures
    public var informationOfPersons: InformationOfPersons
    public var crossBorder: CrossBorder
    public var processor: Processor
    public var otherNotifications: Sourced<[String]>
    /// Key paths of the values left for a person (`organisation.siren`, `timeline.awareness_at`…).
    public var toComplete: [String]

    public struct NotificationType: Codable, Sendable, Equatable {
        /// `initial` or `complementary`.
        public var kind: Sourced<String>
        /// The CNIL number of the initial notification (complementary only).
        public var initialReference: Sourced<String>?
        /// What changed since the previous notification (complementary only).
        public var changes: [Change]?
    }

    /// A difference from the previous notification.
    public struct Change: Codable, Sendable, Equatable {
        /// `persons.total`, `records`, `data_categories[genetic].subjects`, `data_categories[genetic]`, `severity.se`…
        public var item: String
        public var kind: String // changed, added, removed
        public var previous: String?
        public var current: String?
        public init(item: String, kind: String, previous: String?, current: String?) {
            self.item = item; self.kind = kind; self.previous = previous; self.current = current
        }
    }

    public struct Organisation: Codable, Sendable, Equatable {
        public var name: Sourced<String>
        public var siren: Sourced<String>
        public var siret: Sourced<String>
        public var finess: Sourced<String>
        public var naf: Sourced<String>
        public var address: Sourced<String>
        public var postcode: Sourced<String>
        public var city: Sourced<String>
        public var country: Sourced<String>
    }

    public struct Contact: Codable, Sendable, Equatable {
        public var name: Sourced<String>
        public var function: Sourced<String>
        public var email: Sourced<String>
        public var phone: Sourced<String>
    }

    public struct Timeline: Codable, Sendable, Equatable {
        public var start: Sourced<String>
        public var end: Sourced<String>
        public var ongoing: Sourced<Bool>
        public var discoveredAt: Sourced<String>
        public var discoveryCircumstances: Sourced<String>
        /// ISO 8601 with the Europe/Paris offset.
        public var awarenessAt: Sourced<String>
        /// `awareness_at` + 72 h, ISO 8601 with the Europe/Paris offset.
        public var deadline: Sourced<String>
        public var delayReasons: Sourced<String>
        public var established: Sourced<Bool>
    }

    public struct Nature: Codable, Sendable, Equatable {
        public var confidentiality: Sourced<Bool>
        public var integrity: Sourced<Bool>
        public var availability: Sourced<Bool>
    }

    public struct DataCategoryEntry: Codable, Sendable, Equatable {
        /// Category id of the report (`health`, `national_id`…).
        public var category: String
        public var label: String
        public var cnilLabel: String
        /// `Art. 9` or `Art. 10` for special categories.
        public var gdpr: String?
        /// Fields of the leak holding it (header names or JSON paths, from the report).
        public var fields: [String]
        /// Distinct persons with at least one value of the category at this controller.
        public var subjects: Sourced<Int>
    }

    public struct Persons: Codable, Sendable, Equatable {
        /// Approximate number of persons (Art. 33(3)(a)): distinct data subjects.
        public var total: Sourced<Int>
        /// The CNIL open data's band for `total`.
        public var band: String
        public var categories: [PersonCategory]
        public var inOtherMemberStates: Sourced<Bool>
    }

    public struct PersonCategory: Codable, Sendable, Equatable {
        /// `patients`, `health_professionals`, `minors`, `vulnerable`.
        public var category: String
        public var label: String
        /// Whether the category is among the persons (minors, vulnerable: from the incident file).
        public var present: Sourced<Bool>
        public var count: Sourced<Int>
    }

    public struct Consequence: Codable, Sendable, Equatable {
        public var id: String
        public var label: String
        /// Categories present that make it likely (`*`: the loss of confidentiality itself).
        public var because: [String]
        public var source: String
    }

    public struct Severity: Codable, Sendable, Equatable {
        public var source: String
        public var method: String
        public var dpc: Factor
        public var ei: Factor
        public var cb: Factor
        public var se: Double
        public var band: String
        public var bandLabel: String
        public var cnilScale: String
        public var cnilScaleLabel: String
        public var risk: String
        public var riskLabel: String
        public var riskReasons: [String]
        public var assumptions: [String]
        public var notifyAuthority: Bool
        public var communicateToSubjects: Bool
        public var obligations: [String]
    }

    /// A factor of the ENISA formula with its reasons, in the document's language.
    public struct Factor: Codable, Sendable, Equatable {
        public var value: Double
        public var basis: String
        public var reasons: [String]
    }

    public struct Measures: Codable, Sendable, Equatable {
        public var before: Sourced<[String]>
        public var containment: Sourced<[String]>
        public var mitigation: Sourced<[String]>
        public var prevention: Sourced<[String]>
    }

    public struct InformationOfPersons: Codable, Sendable, Equatable {
        /// Art. 34(1) requires it (from the assessment).
        public var required: Sourced<Bool>
        /// `informed`, `planned`, `not_planned`.
        public var status: Sourced<String>
        public var date: Sourced<String>
        public var channels: Sourced<[String]>
        public var exemption: Sourced<String>
        public var exemptionJustification: Sourced<String>?
    }

    public struct CrossBorder: Codable, Sendable, Equatable {
        public var otherStatesAffected: Sourced<Bool>
        public var states: Sourced<[String]>
        public var otherAuthoritiesNotified: Sourced<[String]>
        public var leadAuthority: Sourced<String>
    }

    public struct Processor: Codable, Sendable, Equatable {
        public var involved: Sourced<Bool>
        public var name: Sourced<String>
        public var siren: Sourced<String>
        public var contractReference: Sourced<String>
    }
}
