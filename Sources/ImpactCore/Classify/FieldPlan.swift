import ImpactDetect

/// What the analysis does with every value of one field, decided once from the header and
/// the content evidence of the classification sample, then applied cheaply per row.
public struct FieldPlan: Sendable {
    /// The role decided for the field, nil when neither header nor content gave one.
    public var role: FieldRole?
    /// Categories every non-empty value of the field brings to its subject
    /// (`national_id` only for values that pass the NIR key).
    public var categories: CategorySet
    /// Whether each value is scanned with the term lexicon (free text, exam labels, and
    /// text fields without a role).
    public var scansLexicon: Bool
    /// 0–1.
    public var confidence: Double
    /// Why: header match, validator hit rates, lexicon terms (filled for the report).
    public var evidence: [String]
    /// Whether the decision used content evidence (false: header only, or nothing).
    public var decidedFromContent: Bool

    public init(role: FieldRole?, categories: CategorySet, scansLexicon: Bool, confidence: Double,
                evidence: [String], decidedFromContent: Bool) {
        self.role = role; self.categories = categories; self.scansLexicon = scansLexicon
        self.confidence = confidence; self.evidence = evidence; self.decidedFromContent = decidedFromContent
    }
}
