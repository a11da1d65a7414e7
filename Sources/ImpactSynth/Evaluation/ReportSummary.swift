import Foundation

/// The parts of an `impact` analysis report (`impact FILE --format json`) that the evaluation
/// compares with a truth file, decoded leniently: unknown keys are ignored, missing optional
/// keys are nil or empty, a controller id may be a JSON string or number.
///
/// Keys read: `records`, `rejected_records`, `subjects`, `subjects_at_two_or_more_controllers`,
/// `subjects_by_category`, `fields[{name, role, categories, invalid_values}]`,
/// `controller_fields`, `controllers[{id, name, records, subjects, subjects_by_category}]`
/// (schemas/impact-report.schema.json).
public struct ReportSummary: Decodable, Sendable, Equatable {
    public var records: Int?
    public var rejectedRecords: Int?
    public var subjects: Int?
    public var subjectsAtTwoOrMoreControllers: Int?
    public var subjectsByCategory: [String: Int]?
    public var fields: [Field]
    /// Names of the fields that identify the controller (their category is `controller`).
    public var controllerFields: [String]
    public var controllers: [Controller]

    public struct Field: Decodable, Sendable, Equatable {
        public var name: String
        public var role: String?
        public var categories: [String]
        public var invalidValues: Int?

        enum CodingKeys: String, CodingKey {
            case name, role, categories
            case invalidValues = "invalid_values"
        }

        public init(name: String, role: String? = nil, categories: [String],
                    invalidValues: Int? = nil) {
            self.name = name; self.role = role; self.categories = categories
            self.invalidValues = invalidValues
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
            role = try? c.decodeIfPresent(String.self, forKey: .role)
            categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
            invalidValues = try? c.decodeIfPresent(Int.self, forKey: .invalidValues)
        }
    }

    public struct Controller: Decodable, Sendable, Equatable {
        public var id: String
        public var name: String?
        public var records: Int?
        public var subjects: Int
        public var subjectsByCategory: [String: Int]

        enum CodingKeys: String, CodingKey {
            case id, name, records, subjects
            case subjectsByCategory = "subjects_by_category"
        }

        public init(id: String, name: String? = nil, records: Int? = nil, subjects: Int,
                    subjectsByCategory: [String: Int] = [:]) {
            self.id = id; self.name = name; self.records = records; self.subjects = subjects
            self.subjectsByCategory = subjectsByCategory
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let s = try? c.decode(String.self, forKey: .id) {
                id = s
            } else if let n = try? c.decode(Int.self, forKey: .id) {
                id = String(n)
            } else {
                id = ""
            }
            name = try? c.decodeIfPresent(String.self, forKey: .name)
            records = try? c.decodeIfPresent(Int.self, forKey: .records)
            subjects = try c.decodeIfPresent(Int.self, forKey: .subjects) ?? 0
            subjectsByCategory = (try? c.decodeIfPresent([String: Int].self,
                                                         forKey: .subjectsByCategory)) ?? [:]
        }
    }

    enum CodingKeys: String, CodingKey {
        case records, subjects, fields, controllers
        case rejectedRecords = "rejected_records"
        case subjectsAtTwoOrMoreControllers = "subjects_at_two_or_more_controllers"
        case subjectsByCategory = "subjects_by_category"
        case controllerFields = "controller_fields"
    }

    public init(records: Int? = nil, rejectedRecords: Int? = nil, subjects: Int? = nil,
                subjectsAtTwoOrMoreControllers: Int? = nil,
                subjectsByCategory: [String: Int]? = nil, fields: [Field] = [],
                controllerFields: [String] = [], controllers: [Controller] = []) {
        self.records = records; self.rejectedRecords = rejectedRecords; self.subjects = subjects
        self.subjectsAtTwoOrMoreControllers = subjectsAtTwoOrMoreControllers
        self.subjectsByCategory = subjectsByCategory; self.fields = fields
        self.controllerFields = controllerFields; self.controllers = controllers
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        records = try? c.decodeIfPresent(Int.self, forKey: .records)
        rejectedRecords = try? c.decodeIfPresent(Int.self, forKey: .rejectedRecords)
        subjects = try? c.decodeIfPresent(Int.self, forKey: .subjects)
        subjectsAtTwoOrMoreControllers = try? c.decodeIfPresent(
            Int.self, forKey: .subjectsAtTwoOrMoreControllers)
        subjectsByCategory = try? c.decodeIfPresent([String: Int].self, forKey: .subjectsByCategory)
        fields = try c.decodeIfPresent([Field].self, forKey: .fields) ?? []
        controllerFields = (try? c.decodeIfPresent([String].self, forKey: .controllerFields)) ?? []
        controllers = try c.decodeIfPresent([Controller].self, forKey: .controllers) ?? []
    }

    /// Decodes a report from JSON bytes.
    public static func decode(_ data: Data) throws -> ReportSummary {
        try JSONDecoder().decode(ReportSummary.self, from: data)
    }
}
