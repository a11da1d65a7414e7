/// What the leaked data cannot tell: identities, dates, circumstances, measures.
///
/// Read from the file given with `impact draft --incident FILE` (JSON or YAML; described by
/// `schemas/incident.schema.json`, keys snake_case). Every member is optional: a fact that is
/// absent stays "À COMPLÉTER" / "TO BE COMPLETED" in the drafts and is listed for a person to
/// supply, it is never invented. The severity assessor uses documented defaults for the
/// circumstances of the breach when they are absent (``AssessmentRules``), and says so.
///
/// Contract: dates are ISO 8601 strings, with an offset (`2024-03-30T10:00:00+01:00`) or
/// without one (`2024-03-30T10:00`, `2024-03-30 10:00`, `2024-03-30`), then read as
/// Europe/Paris local time (``ParisTime``). Identities of controllers are keyed by the
/// controller id found in the data (`controllers[].id` of the analysis report, e.g. a FINESS).
public struct IncidentFacts: Codable, Sendable, Equatable {
    /// The incident's internal reference (the DPO's register, GDPR Art. 33(5)).
    public var reference: String?
    /// Controller identities, keyed by the controller id of the analysis report.
    public var controllers: [String: ControllerIdentity]?
    /// The processor (Art. 4(8)) involved, when one was (e.g. the LIS vendor).
    public var processor: ProcessorIdentity?
    public var dates: Dates?
    /// True when the breach is established, false when it is only suspected (CNIL form §4).
    public var established: Bool?
    /// By whom, where, when and how the breach was discovered (CNIL form §4).
    public var discoveryCircumstances: String?
    /// Why the notification is made more than 72 h after awareness (Art. 33(1)).
    public var delayReasons: String?
    /// Type of breach and, per type, how bad (ENISA CB, CNIL form §5).
    public var nature: Nature?
    /// Whether the breach results from an intentional act to harm (ENISA CB: +0.5).
    public var malicious: Bool?
    /// CNIL form §6 origin of the incident.
    public var origin: Origin?
    public var originDetail: String?
    /// CNIL form §7 cause of the incident.
    public var cause: Cause?
    /// CNIL form §8 media concerned.
    public var media: [Medium]?
    public var mediaDetail: String?
    /// The leaked data was unintelligible to the recipients (state-of-the-art encryption, key
    /// not compromised): ENISA mitigating factor, basis of an Art. 34(3)(a) exemption.
    public var dataUnintelligible: Bool?
    /// Characteristics of the persons that the counts cannot show.
    public var persons: Persons?
    /// CNIL form §13 measures.
    public var measures: Measures?
    /// CNIL form §14 information of the persons, and any Art. 34(3) exemption claimed.
    public var communication: Communication?
    /// CNIL form §15 cross-border aspects.
    public var crossBorder: CrossBorder?
    /// Other notifications made (ANSSI, police complaint, ARS / CERT Santé…), one line each.
    public var otherNotifications: [String]?

    public init(reference: String? = nil, controllers: [String: ControllerIdentity]? = nil, processor: ProcessorIdentity? = nil,
                dates: Dates? = nil, established: Bool? = nil, discoveryCircumstances: String? = nil, delayReasons: String? = nil,
                nature: Nature? = nil, malicious: Bool? = nil, origin: Origin? = nil, originDetail: String? = nil, cause: Cause? = nil,
                media: [Medium]? = nil, mediaDetail: String? = nil, dataUnintelligible: Bool? = nil, persons: Persons? = nil,
                measures: Measures? = nil, communication: Communication? = nil, crossBorder: CrossBorder? = nil,
                otherNotifications: [String]? = nil) {
        self.reference = reference; self.controllers = controllers; self.processor = processor; self.dates = dates
        self.established = established; self.discoveryCircumstances = discoveryCircumstances; self.delayReasons = delayReasons
        self.nature = nature; self.malicious = malicious; self.origin = origin; self.originDetail = originDetail; self.cause = cause
        self.media = media; self.mediaDetail = mediaDetail; self.dataUnintelligible = dataUnintelligible; self.persons = persons
        self.measures = measures; self.communication = communication; self.crossBorder = crossBorder
        self.otherNotifications = otherNotifications
    }

    /// A controller's identity (CNIL form §2, §3).
    public struct ControllerIdentity: Codable, Sendable, Equatable {
        public var name: String?
        public var siren: String?
        public var siret: String?
        public var finess: String?
        /// NAF code or sector of activity.
        public var naf: String?
        public var address: String?
        public var postcode: String?
        public var city: String?
        public var country: String?
        /// The person handling the case.
        public var contact: Contact?
        /// The data protection officer (Art. 33(3)(b)).
        public var dpo: Contact?
        /// The CNIL number of this controller's initial notification (for a complementary one).
        public var cnilNotificationNumber: String?
        /// When this controller became aware, when it differs from `dates.awareness_at`
        /// (e.g. when the processor informed it, EDPB 9/2022 §IV).
        public var awarenessAt: String?

        public init(name: String? = nil, siren: String? = nil, siret: String? = nil, finess: String? = nil, naf: String? = nil,
                    address: String? = nil, postcode: String? = nil, city: String? = nil, country: String? = nil,
                    contact: Contact? = nil, dpo: Contact? = nil, cnilNotificationNumber: String? = nil, awarenessAt: String? = nil) {
            self.name = name; self.siren = siren; self.siret = siret; self.finess = finess; self.naf = naf; self.address = address
            self.postcode = postcode; self.city = city; self.country = country; self.contact = contact; self.dpo = dpo
            self.cnilNotificationNumber = cnilNotificationNumber; self.awarenessAt = awarenessAt
        }
    }

    /// A contact point (name, function, e-mail, phone).
    public struct Contact: Codable, Sendable, Equatable {
        public var name: String?
        public var function: String?
        public var email: String?
        public var phone: String?
        public var address: String?
        public init(name: String? = nil, function: String? = nil, email: String? = nil, phone: String? = nil, address: String? = nil) {
            self.name = name; self.function = function; self.email = email; self.phone = phone; self.address = address
        }
    }

    /// The processor (CNIL form §16; Art. 28).
    public struct ProcessorIdentity: Codable, Sendable, Equatable {
        public var name: String?
        public var siren: String?
        public var address: String?
        public var contact: Contact?
        public var dpo: Contact?
        /// Reference of the Art. 28(3) contract with the controllers.
        public var contractReference: String?
        public init(name: String? = nil, siren: String? = nil, address: String? = nil, contact: Contact? = nil, dpo: Contact? = nil,
                    contractReference: String? = nil) {
            self.name = name; self.siren = siren; self.address = address; self.contact = contact; self.dpo = dpo
            self.contractReference = contractReference
        }
    }

    /// The timeline (CNIL form §4). ISO 8601; without offset, Europe/Paris local time.
    public struct Dates: Codable, Sendable, Equatable {
        public var start: String?
        public var end: String?
        public var ongoing: Bool?
        public var discoveredAt: String?
        /// When the controller became reasonably certain that personal data was compromised:
        /// the start of the 72 h of Art. 33(1).
        public var awarenessAt: String?
        /// When the processor became aware (Art. 33(2)).
        public var processorAwareAt: String?
        public init(start: String? = nil, end: String? = nil, ongoing: Bool? = nil, discoveredAt: String? = nil,
                    awarenessAt: String? = nil, processorAwareAt: String? = nil) {
            self.start = start; self.end = end; self.ongoing = ongoing; self.discoveredAt = discoveredAt
            self.awarenessAt = awarenessAt; self.processorAwareAt = processorAwareAt
        }
    }

    /// Type of breach, each with its ENISA CB level (nil: not known).
    public struct Nature: Codable, Sendable, Equatable {
        public var confidentiality: ConfidentialityLoss?
        public var integrity: IntegrityLoss?
        public var availability: AvailabilityLoss?
        public init(confidentiality: ConfidentialityLoss? = nil, integrity: IntegrityLoss? = nil, availability: AvailabilityLoss? = nil) {
            self.confidentiality = confidentiality; self.integrity = integrity; self.availability = availability
        }
    }

    /// ENISA 2013 §3.4 loss of confidentiality.
    public enum ConfidentialityLoss: String, Codable, Sendable, CaseIterable {
        /// Exposed to a confidentiality risk, no evidence of unlawful processing (+0).
        case none
        /// Disclosed to a known number of recipients (+0.25).
        case knownRecipients = "known_recipients"
        /// Disclosed to an unknown number of recipients: published, posted, sold (+0.5).
        case unknownRecipients = "unknown_recipients"
    }

    /// ENISA 2013 §3.4 loss of integrity.
    public enum IntegrityLoss: String, Codable, Sendable, CaseIterable {
        case none
        case recoverable
        case notRecoverable = "not_recoverable"
    }

    /// ENISA 2013 §3.4 loss of availability.
    public enum AvailabilityLoss: String, Codable, Sendable, CaseIterable {
        case none
        case temporary
        case full
    }

    /// CNIL form §6 origin of the incident (regulatory.md §4.1).
    public enum Origin: String, Codable, Sendable, CaseIterable {
        case lostOrStolenEquipment = "lost_or_stolen_equipment"
        case paperLostOrExposed = "paper_lost_or_exposed"
        case mailLostOrOpened = "mail_lost_or_opened"
        case hackingMalwarePhishing = "hacking_malware_phishing"
        case paperDisposedWithoutDestruction = "paper_disposed_without_destruction"
        case deviceDisposedWithoutErasure = "device_disposed_without_erasure"
        case unintendedPublication = "unintended_publication"
        case wrongPersonDataOnPortal = "wrong_person_data_on_portal"
        case sentToWrongRecipient = "sent_to_wrong_recipient"
        case disclosedVerbally = "disclosed_verbally"
        case other
    }

    /// CNIL form §7 cause of the incident.
    public enum Cause: String, Codable, Sendable, CaseIterable {
        case internalMalicious = "internal_malicious"
        case internalAccidental = "internal_accidental"
        case externalMalicious = "external_malicious"
        case externalAccidental = "external_accidental"
        case unknown
        case other
    }

    /// CNIL form §8 media concerned.
    public enum Medium: String, Codable, Sendable, CaseIterable {
        case server, desktop, laptop
        case backupDisk = "backup_disk"
        case usbKey = "usb_key"
        case mobilePhone = "mobile_phone"
        case paper, other
    }

    /// What the counts cannot show about the persons.
    public struct Persons: Codable, Sendable, Equatable {
        /// Minors are among the persons (ENISA DPC +1, CNIL category "mineurs").
        public var minors: Bool?
        /// Vulnerable persons are among them (protected adults, detainees…).
        public var vulnerable: Bool?
        /// Persons in other EU/EEA states are affected.
        public var inOtherMemberStates: Bool?
        public init(minors: Bool? = nil, vulnerable: Bool? = nil, inOtherMemberStates: Bool? = nil) {
            self.minors = minors; self.vulnerable = vulnerable; self.inOtherMemberStates = inOtherMemberStates
        }
    }

    /// CNIL form §13: measures before the breach, containment, mitigation, prevention.
    public struct Measures: Codable, Sendable, Equatable {
        public var before: [String]?
        public var containment: [String]?
        public var mitigation: [String]?
        public var prevention: [String]?
        public init(before: [String]? = nil, containment: [String]? = nil, mitigation: [String]? = nil, prevention: [String]? = nil) {
            self.before = before; self.containment = containment; self.mitigation = mitigation; self.prevention = prevention
        }
    }

    /// CNIL form §14: information of the persons.
    public struct Communication: Codable, Sendable, Equatable {
        public var status: CommunicationStatus?
        /// Date of the communication made or planned.
        public var date: String?
        /// Channels: mail, email, sms, phone, website, press…
        public var channels: [String]?
        /// The Art. 34(3) exemption the controller claims, if any.
        public var exemption: Art34Exemption?
        /// Why the exemption applies (required with an exemption).
        public var exemptionJustification: String?
        public init(status: CommunicationStatus? = nil, date: String? = nil, channels: [String]? = nil,
                    exemption: Art34Exemption? = nil, exemptionJustification: String? = nil) {
            self.status = status; self.date = date; self.channels = channels; self.exemption = exemption
            self.exemptionJustification = exemptionJustification
        }
    }

    public enum CommunicationStatus: String, Codable, Sendable, CaseIterable {
        case informed, planned
        case notPlanned = "not_planned"
    }

    /// GDPR Art. 34(3): (a) data unintelligible (encryption), (b) subsequent measures make the
    /// high risk no longer likely, (c) disproportionate effort (then a public communication).
    public enum Art34Exemption: String, Codable, Sendable, CaseIterable {
        case unintelligible = "art34_3_a"
        case subsequentMeasures = "art34_3_b"
        case disproportionateEffort = "art34_3_c"
    }

    /// CNIL form §15.
    public struct CrossBorder: Codable, Sendable, Equatable {
        public var otherStatesAffected: Bool?
        public var states: [String]?
        public var otherAuthoritiesNotified: [String]?
        public var leadAuthority: String?
        public init(otherStatesAffected: Bool? = nil, states: [String]? = nil, otherAuthoritiesNotified: [String]? = nil, leadAuthority: String? = nil) {
            self.otherStatesAffected = otherStatesAffected; self.states = states
            self.otherAuthoritiesNotified = otherAuthoritiesNotified; self.leadAuthority = leadAuthority
        }
    }

    /// The awareness date for a controller: its own `awareness_at`, else the incident's.
    public func awarenessAt(controller id: String) -> String? {
        controllers?[id]?.awarenessAt ?? dates?.awarenessAt
    }
}
