/// The fields of a synthetic lab export, with their names in each shape and their categories
/// in the ground truth.
enum LabField: Int, CaseIterable {
    case familyName, firstName, birthDate, sex, nir, ipp, street, postalCode, city, phone, email
    case prescriber, rpps, labName, finess, samplingDate, examCode, examLabel, result, unit
    case status, comment

    var frenchHeader: String {
        switch self {
        case .familyName: return "nom"
        case .firstName: return "prenom"
        case .birthDate: return "date_naissance"
        case .sex: return "sexe"
        case .nir: return "nir"
        case .ipp: return "ipp"
        case .street: return "adresse"
        case .postalCode: return "code_postal"
        case .city: return "ville"
        case .phone: return "telephone"
        case .email: return "email"
        case .prescriber: return "medecin_prescripteur"
        case .rpps: return "rpps_prescripteur"
        case .labName: return "laboratoire"
        case .finess: return "finess_laboratoire"
        case .samplingDate: return "date_prelevement"
        case .examCode: return "code_examen"
        case .examLabel: return "libelle_examen"
        case .result: return "resultat"
        case .unit: return "unite"
        case .status: return "statut"
        case .comment: return "commentaire"
        }
    }

    var englishHeader: String {
        switch self {
        case .familyName: return "last_name"
        case .firstName: return "first_name"
        case .birthDate: return "date_of_birth"
        case .sex: return "gender"
        case .nir: return "social_security_number"
        case .ipp: return "patient_id"
        case .street: return "street"
        case .postalCode: return "postal_code"
        case .city: return "city"
        case .phone: return "phone_number"
        case .email: return "email"
        case .prescriber: return "ordering_physician"
        case .rpps: return "physician_rpps"
        case .labName: return "laboratory"
        case .finess: return "lab_finess"
        case .samplingDate: return "collection_date"
        case .examCode: return "test_code"
        case .examLabel: return "test_name"
        case .result: return "result"
        case .unit: return "unit"
        case .status: return "status"
        case .comment: return "notes"
        }
    }

    /// Path in the JSON shapes (`exams[]` for JSON Lines, `examen` for the JSON array).
    func jsonPath(nested: Bool) -> String {
        let exam = nested ? "exams[]." : "examen."
        switch self {
        case .familyName: return "patient.nom"
        case .firstName: return "patient.prenom"
        case .birthDate: return "patient.date_naissance"
        case .sex: return "patient.sexe"
        case .nir: return "patient.nir"
        case .ipp: return "patient.ipp"
        case .street: return "patient.adresse.voie"
        case .postalCode: return "patient.adresse.code_postal"
        case .city: return "patient.adresse.ville"
        case .phone: return "patient.contact.telephone"
        case .email: return "patient.contact.email"
        case .prescriber: return "prescripteur.nom"
        case .rpps: return "prescripteur.rpps"
        case .labName: return "laboratoire.nom"
        case .finess: return "laboratoire.finess"
        case .samplingDate: return "date_prelevement"
        case .examCode: return exam + "code"
        case .examLabel: return exam + "libelle"
        case .result: return exam + "resultat"
        case .unit: return exam + "unite"
        case .status: return nested ? "exams[].statut" : "statut"
        case .comment: return nested ? "exams[].commentaire" : "commentaire"
        }
    }

    /// Categories required when the field has a meaningful header (before the adjustments
    /// for values actually written), and those that are acceptable too.
    var categories: (required: [String], acceptable: [String]) {
        switch self {
        case .familyName, .firstName: return (["person_name"], [])
        case .birthDate: return (["birth_date"], [])
        case .sex: return (["sex"], [])
        case .nir: return (["national_id"], [])
        case .ipp: return (["patient_id"], [])
        case .street, .postalCode, .city: return (["postal_address"], [])
        case .phone: return (["phone_number"], [])
        case .email: return (["email_address"], [])
        case .prescriber: return (["health_professional"], ["person_name"])
        case .rpps: return (["health_professional"], [])
        case .labName, .finess: return (["controller"], [])
        case .samplingDate: return (["examination_date"], [])
        case .examCode: return (["health"], ["pregnancy", "genetic", "drug_treatment"])
        case .examLabel: return (["health"], ["sex_life"])
        case .result: return (["health"], ["genetic", "pregnancy"])
        case .unit: return ([], ["health"])
        case .status: return ([], [])
        case .comment: return ([], ["sex_life"])
        }
    }

    /// True when the field's values establish its categories by themselves (check digits,
    /// strong formats, names, revealing text). When the header says nothing (no-header,
    /// obfuscated shapes), the categories of the other fields (bare codes, numbers, dates,
    /// sex letters, IPPs, postal codes, cities) become acceptable instead of required.
    var valuesEstablishCategories: Bool {
        switch self {
        case .familyName, .firstName, .nir, .street, .phone, .email, .prescriber, .rpps,
             .labName, .finess, .examLabel, .comment:
            return true
        case .birthDate, .sex, .ipp, .postalCode, .city, .samplingDate, .examCode, .result,
             .unit, .status:
            return false
        }
    }
}
