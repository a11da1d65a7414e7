/// Plain-language names of the categories of personal data (ids of ImpactDetect `DataCategory`),
/// in French and English, for documents a person reads.
public enum CategoryLabels {
    public static let labels: [String: (en: String, fr: String)] = [
        "person_name": ("name", "nom et prénom"),
        "national_id": ("social-security number (NIR)", "numéro de sécurité sociale (NIR)"),
        "birth_date": ("date of birth", "date de naissance"),
        "sex": ("sex", "sexe"),
        "postal_address": ("postal address", "adresse postale"),
        "phone_number": ("phone number", "numéro de téléphone"),
        "email_address": ("e-mail address", "adresse électronique"),
        "patient_id": ("patient number", "numéro de patient"),
        "examination_date": ("date of examination", "date d'examen"),
        "health_professional": ("prescribing health professional", "professionnel de santé prescripteur"),
        "financial": ("financial data", "données financières"),
        "online_identifier": ("online identifier or credentials", "identifiant ou données de connexion"),
        "health": ("health data", "données de santé"),
        "pregnancy": ("pregnancy", "grossesse"),
        "drug_treatment": ("drug treatments", "traitements médicamenteux"),
        "genetic": ("genetic data", "données génétiques"),
        "biometric": ("biometric data", "données biométriques"),
        "racial_ethnic_origin": ("racial or ethnic origin", "origine raciale ou ethnique"),
        "political_opinion": ("political opinions", "opinions politiques"),
        "religious_belief": ("religious or philosophical beliefs", "convictions religieuses ou philosophiques"),
        "trade_union_membership": ("trade-union membership", "appartenance syndicale"),
        "sex_life": ("sex life or sexual orientation", "vie sexuelle ou orientation sexuelle"),
        "criminal_offence": ("criminal offences and convictions", "infractions et condamnations pénales"),
        "controller": ("controller", "responsable de traitement"),
    ]

    /// The label of `id` in `lang`; the id itself when unknown (an id from a newer report).
    public static func label(_ id: String, _ lang: DocumentLanguage) -> String {
        guard let l = labels[id] else { return id }
        return lang == .fr ? l.fr : l.en
    }
}
