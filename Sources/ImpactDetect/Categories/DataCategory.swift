/// A category of personal data, with the identifiers used in every JSON output.
///
/// Special categories are those of GDPR Art. 9(1) (health, genetic, biometric, racial or ethnic
/// origin, political opinions, religious beliefs, trade-union membership, sex life) and the
/// criminal-offence data of Art. 10. `pregnancy` and `drug_treatment` are sub-kinds of health
/// data (Art. 4(15), Recital 35): a subject counted for either is also counted for `health`.
/// `controller` is not a category of personal data but the role of the field that names the
/// lab (the GDPR controller, Art. 4(7)).
public enum DataCategory: String, CaseIterable, Sendable, Codable, Comparable {
    case personName = "person_name"
    case nationalID = "national_id"
    case birthDate = "birth_date"
    case sex = "sex"
    case postalAddress = "postal_address"
    case phoneNumber = "phone_number"
    case emailAddress = "email_address"
    case patientID = "patient_id"
    case examinationDate = "examination_date"
    case healthProfessional = "health_professional"
    case financial = "financial"
    case onlineIdentifier = "online_identifier"
    case health = "health"
    case pregnancy = "pregnancy"
    case drugTreatment = "drug_treatment"
    case genetic = "genetic"
    case biometric = "biometric"
    case racialEthnicOrigin = "racial_ethnic_origin"
    case politicalOpinion = "political_opinion"
    case religiousBelief = "religious_belief"
    case tradeUnionMembership = "trade_union_membership"
    case sexLife = "sex_life"
    case criminalOffence = "criminal_offence"
    /// Role: the field names the controller (lab name, FINESS).
    case controller = "controller"

    /// Position in declaration order (bit position in a ``CategorySet``).
    @inlinable public var index: Int {
        switch self {
        case .personName: return 0
        case .nationalID: return 1
        case .birthDate: return 2
        case .sex: return 3
        case .postalAddress: return 4
        case .phoneNumber: return 5
        case .emailAddress: return 6
        case .patientID: return 7
        case .examinationDate: return 8
        case .healthProfessional: return 9
        case .financial: return 10
        case .onlineIdentifier: return 11
        case .health: return 12
        case .pregnancy: return 13
        case .drugTreatment: return 14
        case .genetic: return 15
        case .biometric: return 16
        case .racialEthnicOrigin: return 17
        case .politicalOpinion: return 18
        case .religiousBelief: return 19
        case .tradeUnionMembership: return 20
        case .sexLife: return 21
        case .criminalOffence: return 22
        case .controller: return 23
        }
    }

    /// Bit position in a ``CategorySet``.
    @inlinable public var bit: UInt32 { 1 << UInt32(index) }

    /// GDPR Art. 9(1) special category (or Art. 10 criminal data).
    public var isSpecial: Bool {
        switch self {
        case .health, .pregnancy, .drugTreatment, .genetic, .biometric, .racialEthnicOrigin,
             .politicalOpinion, .religiousBelief, .tradeUnionMembership, .sexLife, .criminalOffence:
            return true
        default:
            return false
        }
    }

    /// Categories implied by this one: `pregnancy` and `drug_treatment` imply `health`.
    public var implied: [DataCategory] {
        switch self {
        case .pregnancy, .drugTreatment: return [.health]
        default: return []
        }
    }

    public static func < (a: DataCategory, b: DataCategory) -> Bool {
        a.index < b.index
    }
}

/// A set of ``DataCategory`` as a 32-bit mask (cheap to OR per record in hot loops).
public struct CategorySet: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }
    @inlinable public init(_ c: DataCategory) { self.rawValue = c.bit }
    public init(_ cs: [DataCategory]) { self.rawValue = cs.reduce(0) { $0 | $1.bit } }

    @inlinable public func has(_ c: DataCategory) -> Bool { rawValue & c.bit != 0 }

    /// The members in declaration order.
    public var categories: [DataCategory] { DataCategory.allCases.filter { has($0) } }

    /// With implied categories added (pregnancy ⇒ health, drug_treatment ⇒ health).
    @inlinable public var closed: CategorySet {
        let implyHealth = DataCategory.pregnancy.bit | DataCategory.drugTreatment.bit
        return rawValue & implyHealth != 0 ? CategorySet(rawValue: rawValue | DataCategory.health.bit) : self
    }
}
