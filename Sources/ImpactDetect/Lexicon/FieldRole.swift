/// What a field (CSV column, JSON path) holds, as named by its header.
///
/// Contract: raw values are the ids used in JSON output and in `Resources/headers.tsv`.
/// ``categories`` gives the categories of personal data a field of this role carries by itself;
/// `freeText` carries none by itself (its categories come from the term lexicon, cell by cell).
public enum FieldRole: String, CaseIterable, Sendable, Codable {
    case lastName = "last_name"
    case firstName = "first_name"
    case fullName = "full_name"
    case birthDate = "birth_date"
    case age
    case sex
    case nir
    case nirKey = "nir_key"
    case patientID = "patient_id"
    case streetAddress = "street_address"
    case postalCode = "postal_code"
    case city
    case fullAddress = "full_address"
    case country
    case phone
    case email
    case prescriberName = "prescriber_name"
    case prescriberID = "prescriber_id"
    case controllerName = "controller_name"
    case controllerID = "controller_id"
    case examinationDate = "examination_date"
    case examCode = "exam_code"
    case examLabel = "exam_label"
    case examResult = "exam_result"
    case freeText = "free_text"
    case iban
    case onlineIdentifier = "online_identifier"
    case genericDate = "generic_date"
    case notPersonal = "not_personal"
    /// A health attribute named by the header: diagnosis, ICD-10 code, allergies, medical
    /// history, blood group, weight, blood pressure (Art. 9 health; values also scanned).
    case healthAttribute = "health_attribute"
    /// A drug treatment named by the header: medication, dosage, ATC or CIP code (Art. 9 health,
    /// sub-kind drug treatment; values also scanned).
    case medication
    /// Art. 9 special categories named by the header itself.
    case religion
    case ethnicOrigin = "ethnic_origin"
    case politicalOpinion = "political_opinion"
    case tradeUnion = "trade_union"
    case sexualLife = "sexual_life"
    case geneticData = "genetic_data"
    case biometricData = "biometric_data"
    /// Art. 10: criminal convictions and offences.
    case criminalRecord = "criminal_record"

    /// The categories a field of this role carries by itself (GDPR Art. 4(1), 4(15), 9;
    /// regulatory.md §4.2, §7.1). `age` counts as birth-date data (it gives the birth year).
    /// Exam code, label and result are health data (Recital 35: results of tests); the caller
    /// adds pregnancy / genetic / drug_treatment from the term lexicon.
    public var categories: CategorySet {
        switch self {
        case .lastName, .firstName, .fullName: return CategorySet(.personName)
        case .birthDate, .age: return CategorySet(.birthDate)
        case .sex: return CategorySet(.sex)
        case .nir, .nirKey: return CategorySet(.nationalID)
        case .patientID: return CategorySet(.patientID)
        case .streetAddress, .postalCode, .city, .fullAddress, .country: return CategorySet(.postalAddress)
        case .phone: return CategorySet(.phoneNumber)
        case .email: return CategorySet(.emailAddress)
        case .prescriberName, .prescriberID: return CategorySet(.healthProfessional)
        case .controllerName, .controllerID: return CategorySet(.controller)
        case .examinationDate: return CategorySet(.examinationDate)
        case .examCode, .examLabel, .examResult: return CategorySet(.health)
        case .iban: return CategorySet(.financial)
        case .onlineIdentifier: return CategorySet(.onlineIdentifier)
        case .freeText, .genericDate, .notPersonal: return CategorySet()
        case .healthAttribute: return CategorySet(.health)
        case .medication: return CategorySet([.drugTreatment, .health])
        case .religion: return CategorySet(.religiousBelief)
        case .ethnicOrigin: return CategorySet(.racialEthnicOrigin)
        case .politicalOpinion: return CategorySet(.politicalOpinion)
        case .tradeUnion: return CategorySet(.tradeUnionMembership)
        case .sexualLife: return CategorySet(.sexLife)
        case .geneticData: return CategorySet([.genetic, .health])
        case .biometricData: return CategorySet(.biometric)
        case .criminalRecord: return CategorySet(.criminalOffence)
        }
    }
}
