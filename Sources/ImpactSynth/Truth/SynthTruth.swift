/// The ground truth of a leak: what `impact` must find, in the JSON shape of
/// ../shared/samples/*.truth.json (`file`, `format`, `records`, `fields`, `controllers`,
/// `totals`, `semantics`), plus `invalid_identifiers_seeded`, `seeded` and `generator` for
/// the files written by ``SyntheticLeak``.
///
/// Decoding is lenient on the optional parts so that the samples' truth files (which have no
/// `invalid_identifiers_seeded`) decode too. Semantics: see ``SynthTruth/labSemantics``.
public struct SynthTruth: Codable, Sendable, Equatable {
    public var file: String
    public var format: Format
    public var records: Int
    public var fields: [Field]
    public var controllers: [Controller]
    public var totals: Totals
    public var invalidIdentifiersSeeded: [InvalidIdentifiers]?
    public var seeded: [String: Int]?
    public var generator: Generator?
    public var semantics: [String]

    enum CodingKeys: String, CodingKey {
        case file, format, records, fields, controllers, totals, seeded, generator, semantics
        case invalidIdentifiersSeeded = "invalid_identifiers_seeded"
    }

    public init(file: String, format: Format, records: Int, fields: [Field],
                controllers: [Controller], totals: Totals,
                invalidIdentifiersSeeded: [InvalidIdentifiers]? = nil,
                seeded: [String: Int]? = nil, generator: Generator? = nil,
                semantics: [String] = []) {
        self.file = file; self.format = format; self.records = records; self.fields = fields
        self.controllers = controllers; self.totals = totals
        self.invalidIdentifiersSeeded = invalidIdentifiersSeeded; self.seeded = seeded
        self.generator = generator; self.semantics = semantics
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        file = try c.decodeIfPresent(String.self, forKey: .file) ?? ""
        format = try c.decodeIfPresent(Format.self, forKey: .format) ?? Format(type: "unknown")
        records = try c.decode(Int.self, forKey: .records)
        fields = try c.decodeIfPresent([Field].self, forKey: .fields) ?? []
        controllers = try c.decodeIfPresent([Controller].self, forKey: .controllers) ?? []
        totals = try c.decode(Totals.self, forKey: .totals)
        invalidIdentifiersSeeded = try c.decodeIfPresent([InvalidIdentifiers].self,
                                                         forKey: .invalidIdentifiersSeeded)
        seeded = try c.decodeIfPresent([String: Int].self, forKey: .seeded)
        generator = try c.decodeIfPresent(Generator.self, forKey: .generator)
        semantics = try c.decodeIfPresent([String].self, forKey: .semantics) ?? []
    }

    /// How the leak file is written.
    public struct Format: Codable, Sendable, Equatable {
        /// `csv`, `jsonl` or `json`.
        public var type: String
        public var encoding: String?
        public var bom: Bool?
        public var delimiter: String?
        public var header: Bool?
        public var lineTerminator: String?
        /// `gzip` or absent.
        public var compression: String?
        public var quoting: String?
        /// JSON: what one record is.
        public var record: String?

        enum CodingKeys: String, CodingKey {
            case type, encoding, bom, delimiter, header, compression, quoting, record
            case lineTerminator = "line_terminator"
        }

        public init(type: String, encoding: String? = nil, bom: Bool? = nil,
                    delimiter: String? = nil, header: Bool? = nil, lineTerminator: String? = nil,
                    compression: String? = nil, quoting: String? = nil, record: String? = nil) {
            self.type = type; self.encoding = encoding; self.bom = bom
            self.delimiter = delimiter; self.header = header
            self.lineTerminator = lineTerminator; self.compression = compression
            self.quoting = quoting; self.record = record
        }
    }

    /// A field (CSV column or JSON path) and its categories.
    public struct Field: Codable, Sendable, Equatable {
        public var name: String
        /// Column index (CSV) or order of first appearance (JSON), from 0.
        public var index: Int
        /// Required category ids (`none` when the field holds no personal data).
        public var categories: [String]
        /// Category ids that are neither required nor wrong.
        public var acceptableAlso: [String]

        enum CodingKeys: String, CodingKey {
            case name, index, categories
            case acceptableAlso = "acceptable_also"
        }

        public init(name: String, index: Int, categories: [String], acceptableAlso: [String]) {
            self.name = name; self.index = index; self.categories = categories
            self.acceptableAlso = acceptableAlso
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            index = try c.decodeIfPresent(Int.self, forKey: .index) ?? -1
            categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
            acceptableAlso = try c.decodeIfPresent([String].self, forKey: .acceptableAlso) ?? []
        }

        /// The required categories without the `none` marker.
        public var requiredCategories: [String] { categories.filter { $0 != "none" } }
    }

    /// A controller (laboratory, id = FINESS) and its distinct subjects.
    public struct Controller: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var records: Int
        public var subjects: Int
        public var subjectsByCategory: [String: Int]

        enum CodingKeys: String, CodingKey {
            case id, name, records, subjects
            case subjectsByCategory = "subjects_by_category"
        }

        public init(id: String, name: String, records: Int, subjects: Int,
                    subjectsByCategory: [String: Int]) {
            self.id = id; self.name = name; self.records = records; self.subjects = subjects
            self.subjectsByCategory = subjectsByCategory
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
            records = try c.decodeIfPresent(Int.self, forKey: .records) ?? 0
            subjects = try c.decode(Int.self, forKey: .subjects)
            subjectsByCategory = try c.decodeIfPresent([String: Int].self,
                                                       forKey: .subjectsByCategory) ?? [:]
        }
    }

    /// Distinct subjects over all controllers.
    public struct Totals: Codable, Sendable, Equatable {
        public var subjects: Int
        public var subjectsAtTwoOrMoreControllers: Int
        public var subjectsByCategory: [String: Int]

        enum CodingKeys: String, CodingKey {
            case subjects
            case subjectsAtTwoOrMoreControllers = "subjects_at_two_or_more_controllers"
            case subjectsByCategory = "subjects_by_category"
        }

        public init(subjects: Int, subjectsAtTwoOrMoreControllers: Int,
                    subjectsByCategory: [String: Int]) {
            self.subjects = subjects
            self.subjectsAtTwoOrMoreControllers = subjectsAtTwoOrMoreControllers
            self.subjectsByCategory = subjectsByCategory
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            subjects = try c.decode(Int.self, forKey: .subjects)
            subjectsAtTwoOrMoreControllers = try c.decodeIfPresent(
                Int.self, forKey: .subjectsAtTwoOrMoreControllers) ?? 0
            subjectsByCategory = try c.decodeIfPresent([String: Int].self,
                                                       forKey: .subjectsByCategory) ?? [:]
        }
    }

    /// Identifier-shaped values seeded with a wrong check digit on purpose.
    public struct InvalidIdentifiers: Codable, Sendable, Equatable {
        /// The field (name as in `fields`).
        public var field: String
        /// `nir_wrong_key`: a patient's NIR as one lab typed it, key wrong;
        /// `nir_shaped_wrong_key`: a 15-digit code shaped like a NIR whose key never matches.
        public var kind: String
        /// Distinct values.
        public var values: Int
        /// Records carrying one.
        public var records: Int

        public init(field: String, kind: String, values: Int, records: Int) {
            self.field = field; self.kind = kind; self.values = values; self.records = records
        }
    }

    /// How to regenerate the file.
    public struct Generator: Codable, Sendable, Equatable {
        public var tool: String
        public var seed: UInt64
        public var shape: String
        public var records: Int
        public var controllers: Int
        public var delimiter: String?
        public var encoding: String
        public var lineEnding: String
        public var gzip: Bool
        public var bom: Bool

        enum CodingKeys: String, CodingKey {
            case tool, seed, shape, records, controllers, delimiter, encoding, gzip, bom
            case lineEnding = "line_ending"
        }

        public init(tool: String, seed: UInt64, shape: String, records: Int, controllers: Int,
                    delimiter: String?, encoding: String, lineEnding: String, gzip: Bool,
                    bom: Bool) {
            self.tool = tool; self.seed = seed; self.shape = shape; self.records = records
            self.controllers = controllers; self.delimiter = delimiter; self.encoding = encoding
            self.lineEnding = lineEnding; self.gzip = gzip; self.bom = bom
        }
    }

    /// The semantics of a lab truth (those of the samples, plus what the generator adds).
    public static let labSemantics: [String] = [
        "A data subject is a patient. Per controller (lab, id = FINESS), 'subjects' counts distinct patients with at least one record at that lab; a patient at two labs counts at both, and once in totals.",
        "Patient ids (IPP) are local to a lab: the same person has different IPPs at different labs. Some labs write last names in upper case. Homonyms exist: same first and last name, different people, always born on different days (name + birth date tells people apart; the NIR may be missing).",
        "national_id counts distinct subjects whose records at that lab carry a NIR with a valid key. A NIR typed with a wrong key (invalid_identifiers_seeded) does not count; temporary numbers (7/8) and Corsican 2A/2B numbers with a valid key do.",
        "health: every record is a lab exam, so every subject has health data. pregnancy / genetic / drug_treatment: subjects with at least one record whose exam label or free-text comment reveals it.",
        "Fields: 'categories' are required; 'acceptable_also' are neither required nor wrong. A category is required only where the file lets a reader establish it: from the header, or from the values alone when there is no meaningful header (no-header and obfuscated shapes). A field whose values are all empty requires nothing.",
        "Health professionals (prescribers) are not data subjects.",
        "records: CSV rows after the header, JSON Lines lines, JSON array elements. A controller's 'records' counts the same units.",
    ]

    /// The semantics of the decoy truth.
    public static let decoySemantics: [String] = [
        "A warehouse delivery export: no field holds personal data. 'nom' names products, 'code_produit' holds 15-digit codes shaped like NIRs whose key never matches, 'date_livraison' holds delivery dates.",
        "There is no controller and no data subject: 'controllers' is empty and every total is 0. A report may name a controller only with 0 subjects (e.g. one 'unknown' controller); any subject counted is an error.",
        "Fields: 'categories' are required; 'acceptable_also' are neither required nor wrong.",
    ]
}
