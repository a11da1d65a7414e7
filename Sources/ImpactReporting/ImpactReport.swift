
import ImpactDetect

/// The analysis report: what `impact FILE --format json` prints and the case database stores.
/// Described by `schemas/impact-report.schema.json` (JSON Schema 2020-12); keys are
/// snake_case; arrays are in a stable order (inputs as given, fields in first-seen order,
/// controllers by subjects descending then id) so that the same input gives the same bytes.
///
/// It holds counts, categories, field names and controller names/ids only: never a value of
/// the leak that identifies a person (field names come from the leak's header and are
/// neutralised by the text renderers). The one exception the user must ask for is
/// ``Field/maskedExamples``: shapes of values (``ValueMask``), not values.
public struct ImpactReport: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = "1.0"

    public var schemaVersion = ImpactReport.currentSchemaVersion
    /// `impact` version that produced the report.
    public var tool: String
    /// False when an input could not be read to its end (truncated gzip or JSON, I/O error):
    /// the counts are then a lower bound and must not be notified as final.
    public var complete: Bool
    /// Why the report is incomplete, one line per failed input (kind and position only).
    public var incompleteReasons: [String]
    /// True when the counts are a lower bound: the report is incomplete, or records were
    /// rejected (their subjects could not be counted).
    public var countsAreLowerBound: Bool
    /// Records read over all inputs = `analysed_records + rejected_records`.
    public var records: Int
    public var analysedRecords: Int
    public var rejectedRecords: Int
    /// Analysed records without any identifying value (no name, id, contact…): not counted as
    /// data subjects.
    public var recordsWithoutIdentifier: Int
    public var inputs: [Input]
    public var fields: [Field]
    /// Distinct data subjects over all controllers.
    public var subjects: Int
    public var subjectsAtTwoOrMoreControllers: Int
    public var subjectsByCategory: [String: Int]
    /// Distinct health professionals (prescribers) over all controllers; never counted as subjects.
    public var healthProfessionals: Int
    /// Records whose subject was identified by each kind of key (the strongest one present).
    public var identityBasis: [String: Int]
    /// The fields that identify the controller.
    public var controllerFields: [String]
    public var controllers: [Controller]
    /// Anomalies in analysed records, per kind, with their first line numbers.
    public var warnings: [WarningSummary]
    /// Rejected records (line and reason), the first 1,000.
    public var rejections: [Rejection]

    public struct Input: Codable, Sendable, Equatable {
        public var path: String
        public var format: String
        public var compression: String?
        public var encoding: String
        public var bom: Bool
        public var delimiter: String?
        public var header: Bool
        public var recordPath: String?
        public var records: Int
        public var analysedRecords: Int
        public var rejectedRecords: Int
        public var bytes: Int
        public var complete: Bool
        public var error: String?

    public init(path: String, format: String, compression: String?, encoding: String, bom: Bool, delimiter: String?, header: Bool, recordPath: String?, records: Int, analysedRecords: Int, rejectedRecords: Int, bytes: Int, complete: Bool, error: String?) {
        self.path = path
        self.format = format
        self.compression = compression
        self.encoding = encoding
        self.bom = bom
        self.delimiter = delimiter
        self.header = header
        self.recordPath = recordPath
        self.records = records
        self.analysedRecords = analysedRecords
        self.rejectedRecords = rejectedRecords
        self.bytes = bytes
        self.complete = complete
        self.error = error
    }

    }

    public struct Field: Codable, Sendable, Equatable {
        public var name: String
        public var role: String?
        public var categories: [String]
        public var confidence: Double
        public var evidence: [String]
        /// Values that look like the field's identifier but fail its check (e.g. a NIR with a
        /// wrong key).
        public var invalidValues: Int
        /// Non-empty values.
        public var values: Int
        /// Up to 3 distinct masked values of the classification sample (``ValueMask``: letters
        /// `X`/`x`, digits `9`, at most 32 characters), in the order first met; nil (absent from
        /// the JSON) unless the analysis was asked for them (`--keep-masked-examples`).
        public var maskedExamples: [String]?

    public init(name: String, role: String?, categories: [String], confidence: Double, evidence: [String], invalidValues: Int, values: Int,
                maskedExamples: [String]? = nil) {
        self.name = name
        self.role = role
        self.categories = categories
        self.confidence = confidence
        self.evidence = evidence
        self.invalidValues = invalidValues
        self.values = values
        self.maskedExamples = maskedExamples
    }

    }

    public struct Controller: Codable, Sendable, Equatable {
        public var id: String
        public var name: String?
        public var records: Int
        public var subjects: Int
        public var healthProfessionals: Int
        public var subjectsByCategory: [String: Int]
        /// Severity, risk and obligations for this controller (``SeverityAssessor``); nil when
        /// not assessed.
        public var assessment: ControllerAssessment?

    public init(id: String, name: String?, records: Int, subjects: Int, healthProfessionals: Int, subjectsByCategory: [String: Int],
                assessment: ControllerAssessment? = nil) {
        self.id = id
        self.name = name
        self.records = records
        self.subjects = subjects
        self.healthProfessionals = healthProfessionals
        self.subjectsByCategory = subjectsByCategory
        self.assessment = assessment
    }

    }

    public struct WarningSummary: Codable, Sendable, Equatable {
        public var kind: String
        public var count: Int
        /// `path:line` of the first occurrences (at most 20).
        public var firstLines: [String]
        public var detail: String

    public init(kind: String, count: Int, firstLines: [String], detail: String) {
        self.kind = kind
        self.count = count
        self.firstLines = firstLines
        self.detail = detail
    }

    }

    public struct Rejection: Codable, Sendable, Equatable {
        public var input: String
        public var line: Int
        public var reason: String
        public var detail: String

    public init(input: String, line: Int, reason: String, detail: String) {
        self.input = input
        self.line = line
        self.reason = reason
        self.detail = detail
    }

    }

    public init(schemaVersion: String = ImpactReport.currentSchemaVersion, tool: String, complete: Bool, incompleteReasons: [String], countsAreLowerBound: Bool, records: Int, analysedRecords: Int, rejectedRecords: Int, recordsWithoutIdentifier: Int, inputs: [Input], fields: [Field], subjects: Int, subjectsAtTwoOrMoreControllers: Int, subjectsByCategory: [String: Int], healthProfessionals: Int, identityBasis: [String: Int], controllerFields: [String], controllers: [Controller], warnings: [WarningSummary], rejections: [Rejection]) {
        self.schemaVersion = schemaVersion
        self.tool = tool
        self.complete = complete
        self.incompleteReasons = incompleteReasons
        self.countsAreLowerBound = countsAreLowerBound
        self.records = records
        self.analysedRecords = analysedRecords
        self.rejectedRecords = rejectedRecords
        self.recordsWithoutIdentifier = recordsWithoutIdentifier
        self.inputs = inputs
        self.fields = fields
        self.subjects = subjects
        self.subjectsAtTwoOrMoreControllers = subjectsAtTwoOrMoreControllers
        self.subjectsByCategory = subjectsByCategory
        self.healthProfessionals = healthProfessionals
        self.identityBasis = identityBasis
        self.controllerFields = controllerFields
        self.controllers = controllers
        self.warnings = warnings
        self.rejections = rejections
    }

}
