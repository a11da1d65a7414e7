import ImpactReporting

/// The wording of the CNIL notification form, in French and English, as data.
///
/// Source: regulatory.md §4.1 (sections and lists of the teleservice, reconstructed [S]/[U]:
/// treat the labels as configurable strings) and §4.2 (data categories and the mapping from
/// the classifier's categories); §2.3 (likely consequences by data category).
public enum CNILVocabulary {
    /// A label in both languages.
    public struct Label: Sendable {
        public let en: String
        public let fr: String
        public func text(_ lang: DocumentLanguage) -> String { lang == .fr ? fr : en }
    }

    static func L(_ fr: String, _ en: String) -> Label { Label(en: en, fr: fr) }

    /// CNIL data category (§4.2) of each category id of the report, with the GDPR article for
    /// special categories. `controller` has none (it is a role, not personal data).
    public static let dataCategories: [String: (cnil: Label, gdpr: String?)] = [
        "person_name": (L("État civil, identité, données d'identification", "Civil status, identity, identification data"), nil),
        "birth_date": (L("État civil, identité, données d'identification", "Civil status, identity, identification data"), nil),
        "sex": (L("État civil, identité, données d'identification", "Civil status, identity, identification data"), nil),
        "patient_id": (L("État civil, identité, données d'identification", "Civil status, identity, identification data"), nil),
        "postal_address": (L("Coordonnées", "Contact details"), nil),
        "phone_number": (L("Coordonnées", "Contact details"), nil),
        "email_address": (L("Coordonnées", "Contact details"), nil),
        "national_id": (L("Numéro de sécurité sociale / NIR", "Social security number / NIR"), nil),
        "examination_date": (L("Données sensibles : données concernant la santé (prise en charge)", "Sensitive data: data concerning health (provision of care)"), "Art. 9"),
        "health_professional": (L("Vie professionnelle (professionnels de santé prescripteurs)", "Professional life (prescribing health professionals)"), nil),
        "financial": (L("Informations d'ordre économique et financier", "Economic and financial information"), nil),
        "online_identifier": (L("Données de connexion", "Connection data"), nil),
        "health": (L("Données sensibles : données concernant la santé", "Sensitive data: data concerning health"), "Art. 9"),
        "pregnancy": (L("Données sensibles : données concernant la santé (grossesse)", "Sensitive data: data concerning health (pregnancy)"), "Art. 9"),
        "drug_treatment": (L("Données sensibles : données concernant la santé (traitements)", "Sensitive data: data concerning health (treatments)"), "Art. 9"),
        "genetic": (L("Données sensibles : données génétiques", "Sensitive data: genetic data"), "Art. 9"),
        "biometric": (L("Données sensibles : données biométriques", "Sensitive data: biometric data"), "Art. 9"),
        "racial_ethnic_origin": (L("Données sensibles : origine raciale ou ethnique", "Sensitive data: racial or ethnic origin"), "Art. 9"),
        "political_opinion": (L("Données sensibles : opinions politiques", "Sensitive data: political opinions"), "Art. 9"),
        "religious_belief": (L("Données sensibles : convictions religieuses ou philosophiques", "Sensitive data: religious or philosophical beliefs"), "Art. 9"),
        "trade_union_membership": (L("Données sensibles : appartenance syndicale", "Sensitive data: trade-union membership"), "Art. 9"),
        "sex_life": (L("Données sensibles : vie sexuelle ou orientation sexuelle", "Sensitive data: sex life or sexual orientation"), "Art. 9"),
        "criminal_offence": (L("Données relatives aux infractions, condamnations, mesures de sûreté", "Data relating to criminal offences, convictions, security measures"), "Art. 10"),
    ]

    /// §4.1 section 6: origin of the incident.
    public static let origins: [IncidentFacts.Origin: Label] = [
        .lostOrStolenEquipment: L("Équipement perdu ou volé", "Lost or stolen equipment"),
        .paperLostOrExposed: L("Papier perdu, volé ou laissé accessible dans un endroit non sécurisé", "Paper lost, stolen or left in an unsecured place"),
        .mailLostOrOpened: L("Courrier perdu ou ouvert avant d'être retourné à l'envoyeur", "Mail lost or opened before being returned to sender"),
        .hackingMalwarePhishing: L("Piratage, logiciel malveillant (par exemple rançongiciel) et/ou hameçonnage", "Hacking, malware (e.g. ransomware) and/or phishing"),
        .paperDisposedWithoutDestruction: L("Mise au rebut de documents papier contenant des données personnelles sans destruction physique", "Paper documents disposed of without physical destruction"),
        .deviceDisposedWithoutErasure: L("Mise au rebut d'appareils numériques contenant des données personnelles sans effacement sécurisé", "Digital devices disposed of without secure erasure"),
        .unintendedPublication: L("Publication non volontaire d'informations", "Unintended publication of information"),
        .wrongPersonDataOnPortal: L("Données de la mauvaise personne affichées sur le portail du client", "Wrong person's data shown on the customer portal"),
        .sentToWrongRecipient: L("Données personnelles envoyées à un mauvais destinataire", "Personal data sent to the wrong recipient"),
        .disclosedVerbally: L("Informations personnelles divulguées de façon verbale", "Personal information disclosed verbally"),
        .other: L("Autre", "Other"),
    ]

    /// §4.1 section 7: cause of the incident.
    public static let causes: [IncidentFacts.Cause: Label] = [
        .internalMalicious: L("Acte interne malveillant", "Internal malicious act"),
        .internalAccidental: L("Acte interne accidentel", "Internal accidental act"),
        .externalMalicious: L("Acte externe malveillant", "External malicious act"),
        .externalAccidental: L("Acte externe accidentel", "External accidental act"),
        .unknown: L("Inconnu", "Unknown"),
        .other: L("Autre", "Other"),
    ]

    /// §4.1 section 8: media concerned.
    public static let media: [IncidentFacts.Medium: Label] = [
        .server: L("Serveur", "Server"), .desktop: L("Poste fixe", "Desktop computer"), .laptop: L("Ordinateur portable", "Laptop"),
        .backupDisk: L("Disque de sauvegarde", "Backup disk"), .usbKey: L("Clé USB", "USB key"),
        .mobilePhone: L("Téléphone portable", "Mobile phone"), .paper: L("Document papier", "Paper document"), .other: L("Autre", "Other"),
    ]

    /// §4.1 section 5: nature of the breach.
    public static let nature: [String: Label] = [
        "confidentiality": L("Perte de la confidentialité", "Loss of confidentiality"),
        "integrity": L("Perte de l'intégrité", "Loss of integrity"),
        "availability": L("Perte de la disponibilité", "Loss of availability"),
    ]

    /// §4.1 section 10 / §4.2: categories of persons.
    public static let persons: [String: Label] = [
        "patients": L("Patients", "Patients"),
        "health_professionals": L("Professionnels de santé (prescripteurs)", "Health professionals (prescribers)"),
        "minors": L("Mineurs", "Minors"),
        "vulnerable": L("Personnes vulnérables", "Vulnerable persons"),
    ]

    /// §4.1 section 14: communication status.
    public static let communication: [IncidentFacts.CommunicationStatus: Label] = [
        .informed: L("Oui, les personnes ont été informées", "Yes, the persons have been informed"),
        .planned: L("Non, mais elles le seront", "Not yet, but they will be"),
        .notPlanned: L("Non, elles ne le seront pas", "No, they will not be"),
    ]

    public static let exemptions: [IncidentFacts.Art34Exemption: Label] = [
        .unintelligible: L("Art. 34(3)(a) : données rendues incompréhensibles (chiffrement, clé non compromise)",
                           "Art. 34(3)(a): data made unintelligible (encryption, key not compromised)"),
        .subsequentMeasures: L("Art. 34(3)(b) : mesures ultérieures garantissant que le risque élevé n'est plus susceptible de se matérialiser",
                               "Art. 34(3)(b): subsequent measures ensure the high risk is no longer likely to materialise"),
        .disproportionateEffort: L("Art. 34(3)(c) : efforts disproportionnés ; communication publique à la place",
                                   "Art. 34(3)(c): disproportionate effort; public communication instead"),
    ]

    public static let bands: [ControllerAssessment.SeverityBand: Label] = [
        .low: L("faible", "low"), .medium: L("moyenne", "medium"), .high: L("élevée", "high"), .veryHigh: L("très élevée", "very high"),
    ]
    public static let cnilScale: [ControllerAssessment.CNILSeverity: Label] = [
        .negligeable: L("Négligeable", "Negligible"), .limitee: L("Limitée", "Limited"),
        .importante: L("Importante", "Significant"), .maximale: L("Maximale", "Maximum"),
    ]
    public static let risk: [ControllerAssessment.RiskLevel: Label] = [
        .noRisk: L("pas de risque", "no risk"), .risk: L("risque", "risk"), .highRisk: L("risque élevé", "high risk"),
    ]

    /// §4.1 section 10: the CNIL open data's bands of numbers of persons.
    public static func personsBand(_ n: Int) -> String {
        switch n {
        case ...5: return "0–5"
        case 6...50: return "6–50"
        case 51...300: return "51–300"
        case 301...5000: return "301–5 000"
        default: return "> 5 000"
        }
    }

    /// A likely consequence (§4.1 section 11, §2.3) and the categories that make it likely.
    public struct Harm: Sendable {
        public let id: String
        public let label: Label
        /// Present when any of these categories is present ("*" always, for a confidentiality loss).
        public let when: [String]
    }

    /// §2.3 harm catalogue: the consequences to pre-fill from the categories present.
    public static let harms: [Harm] = [
        Harm(id: "loss_of_control", label: L("Perte de contrôle sur les données (diffusion hors du besoin, recoupement possible avec d'autres données)",
                                             "Loss of control over the data (spread beyond need, may be cross-matched with other data)"), when: ["*"]),
        Harm(id: "medical_secrecy", label: L("Perte de confidentialité de données protégées par le secret médical",
                                             "Loss of confidentiality of data protected by medical secrecy"),
             when: ["health", "pregnancy", "drug_treatment", "genetic", "examination_date"]),
        Harm(id: "discrimination", label: L("Discrimination (emploi, assurance, prêt) et stigmatisation",
                                            "Discrimination (employment, insurance, loans) and stigma"),
             when: ["health", "pregnancy", "drug_treatment", "genetic", "sex_life", "racial_ethnic_origin", "religious_belief",
                    "political_opinion", "trade_union_membership", "criminal_offence", "biometric"]),
        Harm(id: "distress_extortion", label: L("Détresse psychologique, chantage ou extorsion", "Psychological distress, blackmail or extortion"),
             when: ["health", "pregnancy", "genetic", "sex_life", "criminal_offence"]),
        Harm(id: "targeted_phishing", label: L("Hameçonnage ciblé utilisant le contexte médical", "Targeted phishing using the medical context"),
             when: ["health", "pregnancy", "drug_treatment", "genetic"]),
        Harm(id: "identity_theft", label: L("Usurpation d'identité, fraude sociale ou à la mutuelle", "Identity theft, social-security or insurance fraud"),
             when: ["national_id"]),
        Harm(id: "financial_loss", label: L("Fraude et pertes financières", "Fraud and financial loss"), when: ["financial"]),
        Harm(id: "account_takeover", label: L("Prise de contrôle de comptes", "Account takeover"), when: ["online_identifier"]),
        Harm(id: "spam_harassment", label: L("Sollicitations non désirées, hameçonnage, harcèlement", "Unwanted solicitation, phishing, harassment"),
             when: ["postal_address", "phone_number", "email_address"]),
        Harm(id: "reputation", label: L("Atteinte à la réputation", "Damage to reputation"), when: ["criminal_offence", "sex_life", "health"]),
    ]
}
