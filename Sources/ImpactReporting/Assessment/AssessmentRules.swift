import ImpactDetect

/// The rules of the assessment, in one place, each number with its source.
///
/// Sources (regulatory.md in `shared/domain/`):
/// - ENISA, *Recommendations for a methodology of the assessment of severity of personal data
///   breaches*, WD v1.0, Dec. 2013 (§3 of regulatory.md): `SE = DPC × EI + CB`, the DPC
///   context ladder for sensitive data (Annex A1), the EI levels, the CB elements, the bands.
/// - EDPB Guidelines 9/2022 and 01/2021 (§2): what makes a risk and a high risk.
/// - GDPR Art. 33(1) (72 h), 34(1) (high risk → communicate), 34(3) (exemptions).
/// - regulatory.md §8: the decision logic, deliberately cautious ("en cas de doute, notifiez").
///
/// Changing a number here changes ``rulesVersion``, which every assessment records.
public enum AssessmentRules {
    public static let rulesVersion = "1.0"
    public static let method = "ENISA 2013: SE = DPC × EI + CB"

    // MARK: DPC, data processing context (ENISA §3.2, Annex A1; regulatory.md §8.2)

    /// Sensitive data, actual content: test results or diagnoses (ENISA Annex A1 sensitive 4).
    public static let dpcActualSensitiveContent = 4.0
    /// Sensitive data, tested for a specific condition (ENISA Annex A1 sensitive 3).
    public static let dpcSpecificCondition = 3.0
    /// Sensitive data, only the fact of lab testing (ENISA Annex A1 sensitive 2: "general
    /// assumptions"; regulatory.md §8.2 "testing fact only = 2").
    public static let dpcTestingFact = 2.0
    /// NIR (regulatory.md §8.2: "NIR or financial = 3").
    public static let dpcNationalID = 3.0
    /// Financial data (ENISA base 3).
    public static let dpcFinancial = 3.0
    /// Behavioural / connection data (ENISA base 2).
    public static let dpcBehavioural = 2.0
    /// Simple data: identity, contact, dates (ENISA base 1).
    public static let dpcSimple = 1.0
    /// Special characteristics of individuals (minors, vulnerable): +1 while DPC < 4
    /// (ENISA §3.2 context factors; regulatory.md §8.2).
    public static let dpcVulnerableRaise = 1.0

    /// Field roles (ImpactDetect `FieldRole`) that hold results, labels and free text.
    public static let resultRoles: Set<String> = ["exam_result"]
    public static let examLabelRoles: Set<String> = ["exam_label", "exam_code"]
    public static let freeTextRoles: Set<String> = ["free_text"]

    /// Categories that name a specific condition beyond "had a lab test" (pregnancy, genetic,
    /// treatment, sex life…): all special categories but plain `health`.
    public static func isSpecificCondition(_ category: String) -> Bool {
        specialCategories.contains(category) && category != "health"
    }

    /// GDPR Art. 9(1) special categories and Art. 10 criminal data (`DataCategory.isSpecial`).
    public static let specialCategories: Set<String> = Set(DataCategory.allCases.filter(\.isSpecial).map(\.rawValue))

    /// Sorts category ids in `DataCategory` declaration order (unknown ids last, by name).
    public static func sortedCategories(_ ids: some Sequence<String>) -> [String] {
        ids.sorted { (DataCategory(rawValue: $0)?.index ?? 99, $0) < (DataCategory(rawValue: $1)?.index ?? 99, $1) }
    }

    // MARK: EI, ease of identification (ENISA §3.3)

    /// Directly identifiable: NIR, name + birth date, name + contact, e-mail or phone.
    public static let eiMaximum = 1.0
    /// Full name alone: "rare full name" is significant; a lab file mixes rare and common names,
    /// the higher level is taken (in case of doubt).
    public static let eiSignificant = 0.75
    /// Patient id with some other attribute (IPP plus city, plus birth date).
    public static let eiLimited = 0.5
    /// Patient id or sample number alone, or nothing identifying.
    public static let eiNegligible = 0.25

    // MARK: CB, circumstances of the breach (ENISA §3.4)

    public static func cbValue(_ c: IncidentFacts.ConfidentialityLoss) -> Double {
        switch c { case .none: 0; case .knownRecipients: 0.25; case .unknownRecipients: 0.5 }
    }
    public static func cbValue(_ i: IncidentFacts.IntegrityLoss) -> Double {
        switch i { case .none: 0; case .recoverable: 0.25; case .notRecoverable: 0.5 }
    }
    public static func cbValue(_ a: IncidentFacts.AvailabilityLoss) -> Double {
        switch a { case .none: 0; case .temporary: 0.25; case .full: 0.5 }
    }
    /// Intentional action to harm (theft, hacking, selling data).
    public static let cbMalicious = 0.5
    /// Defaults when the incident facts do not say: a leaked file "found in the wild"
    /// (regulatory.md §8.2): disclosed to unknown recipients, malicious; no evidence of
    /// alteration or loss of availability.
    public static let defaultConfidentiality = IncidentFacts.ConfidentialityLoss.unknownRecipients
    public static let defaultMalicious = true
    public static let defaultIntegrity = IncidentFacts.IntegrityLoss.none
    public static let defaultAvailability = IncidentFacts.AvailabilityLoss.none

    // MARK: Bands (ENISA §3.5) and CNIL scale

    /// SE < 2 low (négligeable), < 3 medium (limitée), < 4 high (importante), else very high (maximale).
    public static func band(_ se: Double) -> ControllerAssessment.SeverityBand {
        se < 2 ? .low : se < 3 ? .medium : se < 4 ? .high : .veryHigh
    }
    public static func cnilScale(_ b: ControllerAssessment.SeverityBand) -> ControllerAssessment.CNILSeverity {
        switch b { case .low: .negligeable; case .medium: .limitee; case .high: .importante; case .veryHigh: .maximale }
    }

    // MARK: Risk and obligations (EDPB 9/2022; regulatory.md §8.3)

    /// SE at or above which there is a risk: notify (regulatory.md §8.3, ENISA "medium").
    public static let riskThreshold = 2.0
    /// SE at or above which the risk is high: communicate to the persons (ENISA "high").
    public static let highRiskThreshold = 3.0
    /// EI at or above which Art. 9/10 data disclosed to unknown recipients is a high risk.
    public static let highRiskEaseOfIdentification = 0.75
    /// ENISA flags the number of persons as aggravating beyond this (a reproduction's value [S]).
    public static let manyPersons = 100

    // MARK: Texts

    /// Reason texts by code: English and French, `{0}`, `{1}`… filled from the arguments.
    public static let texts: [String: (en: String, fr: String)] = [
        "dpc.actual_results": (
            "Actual test results: field(s) {0} hold exam results (ENISA Annex A1, sensitive data level 4: actual sensitive content).",
            "Résultats d'examens : le(s) champ(s) {0} contiennent des résultats (ENISA, annexe A1, données sensibles niveau 4 : contenu sensible réel)."),
        "dpc.named_condition": (
            "Named conditions in free text: field(s) {0} reveal {1} (diagnoses or treatments: ENISA sensitive data level 4).",
            "Pathologies nommées en texte libre : le(s) champ(s) {0} révèlent {1} (diagnostics ou traitements : ENISA, données sensibles niveau 4)."),
        "dpc.specific_condition": (
            "Tests for a specific condition: exam labels or codes in {0} reveal {1} (ENISA Annex A1, sensitive data level 3).",
            "Examens d'une affection précise : les libellés ou codes d'examens de {0} révèlent {1} (ENISA, annexe A1, données sensibles niveau 3)."),
        "dpc.testing_fact": (
            "Only the fact of lab testing is shown ({0}); being a lab patient is health data (Recital 35): ENISA sensitive data level 2.",
            "Seul le fait d'avoir eu un examen de biologie apparaît ({0}) ; être patient d'un laboratoire est une donnée de santé (considérant 35) : ENISA, données sensibles niveau 2."),
        "dpc.sensitive_default": (
            "Special-category data present ({0}) without a field that tells its context: ENISA default for sensitive data (4).",
            "Données sensibles présentes ({0}) sans champ qui en précise le contexte : valeur par défaut ENISA des données sensibles (4)."),
        "dpc.national_id": (
            "NIR (social-security number) present for {0} persons: score 3 (regulatory.md §8.2; identity and social-security fraud).",
            "NIR (numéro de sécurité sociale) présent pour {0} personnes : score 3 (usurpation d'identité, fraude sociale)."),
        "dpc.financial": (
            "Financial data present for {0} persons: ENISA base score 3.",
            "Données financières présentes pour {0} personnes : score de base ENISA 3."),
        "dpc.behavioural": (
            "Connection or behavioural data present for {0} persons: ENISA base score 2.",
            "Données de connexion ou de comportement présentes pour {0} personnes : score de base ENISA 2."),
        "dpc.simple": (
            "Only simple data (identity, contact, dates): ENISA base score 1.",
            "Données simples uniquement (identité, coordonnées, dates) : score de base ENISA 1."),
        "dpc.raised_minors": (
            "Minors are among the persons (incident file): +1 (ENISA special characteristics of individuals).",
            "Des mineurs figurent parmi les personnes (fichier d'incident) : +1 (ENISA, caractéristiques particulières des personnes)."),
        "dpc.raised_vulnerable": (
            "Vulnerable persons are among them (incident file): +1 (ENISA special characteristics of individuals).",
            "Des personnes vulnérables figurent parmi elles (fichier d'incident) : +1 (ENISA, caractéristiques particulières des personnes)."),
        "ei.national_id": (
            "NIR present for {0} persons: directly identifiable (ENISA EI maximum, 1).",
            "NIR présent pour {0} personnes : identification directe (ENISA, facilité d'identification maximale, 1)."),
        "ei.name_birth_date": (
            "Name and birth date present: directly identifiable (ENISA EI maximum, 1).",
            "Nom et date de naissance présents : identification directe (ENISA, facilité d'identification maximale, 1)."),
        "ei.name_contact": (
            "Name with postal address, e-mail or phone: directly identifiable (ENISA EI maximum, 1).",
            "Nom avec adresse postale, courriel ou téléphone : identification directe (ENISA, facilité d'identification maximale, 1)."),
        "ei.contact": (
            "E-mail address or phone number present: directly identifiable (ENISA EI maximum, 1).",
            "Adresse électronique ou numéro de téléphone présent : identification directe (ENISA, facilité d'identification maximale, 1)."),
        "ei.name_only": (
            "Full name without other identifier: significant (ENISA EI 0.75; some names are rare).",
            "Nom complet sans autre identifiant : importante (ENISA, 0,75 ; certains noms sont rares)."),
        "ei.patient_id_plus": (
            "Patient id with birth date or address: limited (ENISA EI 0.5).",
            "Identifiant patient avec date de naissance ou adresse : limitée (ENISA, 0,5)."),
        "ei.negligible": (
            "No direct identifier (patient or sample id at most): negligible (ENISA EI 0.25).",
            "Aucun identifiant direct (au plus un identifiant patient ou d'échantillon) : négligeable (ENISA, 0,25)."),
        "cb.confidentiality.none": (
            "Confidentiality at risk, no evidence of unlawful processing: +0.",
            "Confidentialité menacée, sans preuve de traitement illicite : +0."),
        "cb.confidentiality.known_recipients": (
            "Disclosed to a known number of recipients: +0.25.",
            "Divulgation à un nombre connu de destinataires : +0,25."),
        "cb.confidentiality.unknown_recipients": (
            "Disclosed to an unknown number of recipients (published, posted, sold): +0.5.",
            "Divulgation à un nombre inconnu de destinataires (publication, mise en ligne, vente) : +0,5."),
        "cb.integrity.none": ("No identified alteration: +0.", "Pas d'altération constatée : +0."),
        "cb.integrity.recoverable": ("Altered, possibly misused, recoverable: +0.25.", "Données altérées, possiblement mal utilisées, récupérables : +0,25."),
        "cb.integrity.not_recoverable": ("Altered, possibly misused, not recoverable: +0.5.", "Données altérées, possiblement mal utilisées, non récupérables : +0,5."),
        "cb.availability.none": ("Recoverable without difficulty: +0.", "Récupérables sans difficulté : +0."),
        "cb.availability.temporary": ("Temporarily unavailable: +0.25.", "Indisponibilité temporaire : +0,25."),
        "cb.availability.full": ("Fully unavailable: +0.5.", "Indisponibilité totale : +0,5."),
        "cb.malicious.yes": ("Intentional action to harm (theft, hacking, sale): +0.5.", "Action intentionnelle malveillante (vol, piratage, vente) : +0,5."),
        "cb.malicious.no": ("Error or accident, no malicious intent: +0.", "Erreur ou accident, sans intention malveillante : +0."),
        "assumed.confidentiality": (
            "Loss of confidentiality not stated in the incident file: assumed disclosed to unknown recipients (file found in the wild).",
            "Perte de confidentialité non précisée dans le fichier d'incident : divulgation à un nombre inconnu de destinataires supposée (fichier trouvé en circulation)."),
        "assumed.malicious": (
            "Malicious intent not stated in the incident file: assumed (file found in the wild).",
            "Intention malveillante non précisée dans le fichier d'incident : supposée (fichier trouvé en circulation)."),
        "assumed.integrity": (
            "Loss of integrity not stated in the incident file: none assumed.",
            "Perte d'intégrité non précisée dans le fichier d'incident : aucune supposée."),
        "assumed.availability": (
            "Loss of availability not stated in the incident file: none assumed.",
            "Perte de disponibilité non précisée dans le fichier d'incident : aucune supposée."),
        "risk.special_categories": (
            "Special-category data (GDPR Art. 9/10) for {0} persons ({1}): damage is to be considered likely (EDPB 9/2022).",
            "Données sensibles (RGPD art. 9/10) pour {0} personnes ({1}) : un dommage doit être considéré comme probable (CEPD, lignes directrices 9/2022)."),
        "risk.national_id": (
            "NIR for {0} persons: identity theft and fraud are possible (EDPB 01/2021, case 14).",
            "NIR pour {0} personnes : usurpation d'identité et fraude possibles (CEPD, lignes directrices 01/2021, cas 14)."),
        "risk.se_high": ("ENISA severity {0} ≥ 3: high.", "Gravité ENISA {0} ≥ 3 : élevée."),
        "risk.se_medium": ("ENISA severity {0} ≥ 2.", "Gravité ENISA {0} ≥ 2."),
        "risk.sensitive_public": (
            "Sensitive data, directly identifiable (EI {0}), disclosed to unknown recipients: high risk (regulatory.md §8.3).",
            "Données sensibles, directement identifiantes (EI {0}), divulguées à des destinataires inconnus : risque élevé."),
        "risk.national_id_public": (
            "National identifier disclosed to unknown recipients: high risk (EDPB 01/2021).",
            "Identifiant national divulgué à des destinataires inconnus : risque élevé (CEPD, lignes directrices 01/2021)."),
        "risk.none": (
            "No sensitive data, no NIR and ENISA severity {0} < 2: unlikely to result in a risk (Art. 33(1)); record it in the register (Art. 33(5)).",
            "Ni donnée sensible ni NIR, gravité ENISA {0} < 2 : risque improbable (art. 33(1)) ; à inscrire au registre des violations (art. 33(5))."),
        "risk.many_persons": (
            "{0} persons affected: aggravating (ENISA, more than 100).",
            "{0} personnes concernées : facteur aggravant (ENISA, plus de 100)."),
        "risk.unintelligible": (
            "The incident file says the data was unintelligible to recipients (encryption): mitigating; the level is not lowered automatically.",
            "Le fichier d'incident indique des données inintelligibles pour les destinataires (chiffrement) : facteur atténuant ; le niveau n'est pas abaissé automatiquement."),
        "risk.lower_bound": (
            "The counts are a lower bound (incomplete input or rejected records).",
            "Les décomptes sont un minimum (entrée incomplète ou enregistrements rejetés)."),
        "obligation.notify": (
            "Notify the CNIL without undue delay, within 72 hours of awareness (GDPR Art. 33(1)).",
            "Notifier la CNIL dans les meilleurs délais, au plus tard 72 heures après en avoir pris connaissance (RGPD art. 33(1))."),
        "obligation.record_only": (
            "No notification required; document the breach in the register (GDPR Art. 33(5)).",
            "Pas de notification requise ; documenter la violation dans le registre (RGPD art. 33(5))."),
        "obligation.deadline_unknown": (
            "Awareness date missing from the incident file: the 72-hour deadline cannot be computed.",
            "Date de prise de connaissance absente du fichier d'incident : l'échéance de 72 heures ne peut pas être calculée."),
        "obligation.communicate": (
            "High risk: communicate the breach to the persons without undue delay (GDPR Art. 34(1)).",
            "Risque élevé : informer les personnes concernées dans les meilleurs délais (RGPD art. 34(1))."),
        "obligation.exempt": (
            "High risk, but the controller claims the exemption of Art. 34(3)({0}): no individual communication; the CNIL may decide otherwise (Art. 34(4)).",
            "Risque élevé, mais le responsable invoque l'exception de l'art. 34(3)({0}) : pas d'information individuelle ; la CNIL peut en décider autrement (art. 34(4))."),
        "obligation.public_communication": (
            "Art. 34(3)(c): a public communication (or equally effective measure) is required instead.",
            "Art. 34(3)(c) : une communication publique (ou une mesure aussi efficace) est alors requise."),
        "obligation.no_communication": (
            "Risk not high: no communication to the persons required (GDPR Art. 34(1)).",
            "Risque non élevé : pas d'information des personnes requise (RGPD art. 34(1))."),
    ]

    /// The text of `code` in `lang` with `{i}` replaced by `args[i]`; the code itself when unknown.
    /// An argument `@cats:a,b` is a list of category ids, shown as their labels in `lang`; a
    /// decimal argument takes a decimal comma in French.
    public static func render(_ code: String, _ args: [String], _ lang: DocumentLanguage) -> String {
        guard let t = texts[code] else { return code }
        var s = Array((lang == .fr ? t.fr : t.en).utf8)
        for (i, a) in args.enumerated() {
            var v = Array(a.utf8)
            if a.hasPrefix("@cats:") {
                v = Array(a.dropFirst(6).split(separator: ",").map { CategoryLabels.label(String($0), lang) }.joined(separator: ", ").utf8)
            } else if lang == .fr, a.contains("."), Double(a) != nil {
                v = replacing(Array(".".utf8), with: Array(",".utf8), in: v)
            }
            s = replacing(Array("{\(i)}".utf8), with: v, in: s)
        }
        return String(decoding: s, as: UTF8.self)
    }

    /// `text` with every occurrence of `token` replaced by `value`, left to right, on UTF-8
    /// bytes (the tokens are ASCII, which never occurs inside a multi-byte character). What
    /// Foundation's `replacingOccurrences(of:with:)` did here, at a fraction of its cost: a
    /// report renders a few hundred texts (1,300 instructions each instead of ~65,000).
    static func replacing(_ token: [UInt8], with value: [UInt8], in text: [UInt8]) -> [UInt8] {
        guard !token.isEmpty, text.count >= token.count else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.count + value.count)
        var i = 0
        while i < text.count {
            if text[i] == token[0], i + token.count <= text.count, text[i..<(i + token.count)].elementsEqual(token) {
                out += value
                i += token.count
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }

    /// A decimal for a person: `4`, `0.75` (en) or `0,75` (fr).
    public static func number(_ v: Double, _ lang: DocumentLanguage) -> String {
        let s = v == v.rounded() ? String(Int(v)) : String(v)
        return lang == .fr ? String(decoding: replacing(Array(".".utf8), with: Array(",".utf8), in: Array(s.utf8)), as: UTF8.self) : s
    }
}
