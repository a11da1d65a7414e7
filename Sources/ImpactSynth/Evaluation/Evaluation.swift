import Foundation

/// The thresholds an evaluation must meet.
///
/// A count passes when its absolute error is at most `maxCountError` **or** its relative error
/// (|reported − truth| / truth, truth > 0) is at most `maxRelativeError`: each option relaxes
/// the check, so `--max-count-error 0 --max-relative-error 0` demands exact counts. Every
/// category evaluated must reach `minF1`.
public struct EvaluationThresholds: Sendable, Equatable, Codable {
    public var minF1: Double
    public var maxCountError: Int
    public var maxRelativeError: Double

    enum CodingKeys: String, CodingKey {
        case minF1 = "min_f1"
        case maxCountError = "max_count_error"
        case maxRelativeError = "max_relative_error"
    }

    public init(minF1: Double = 0.98, maxCountError: Int = 0, maxRelativeError: Double = 0.005) {
        self.minF1 = minF1; self.maxCountError = maxCountError
        self.maxRelativeError = maxRelativeError
    }
}

/// Field-classification score of one category over all fields.
public struct CategoryScore: Sendable, Equatable, Codable {
    public var category: String
    public var truePositives: Int
    public var falsePositives: Int
    public var falseNegatives: Int
    /// TP / (TP + FP); nil when the report claims the category nowhere.
    public var precision: Double?
    /// TP / (TP + FN); nil when the truth requires it nowhere.
    public var recall: Double?
    /// 2TP / (2TP + FP + FN).
    public var f1: Double
    public var passed: Bool

    enum CodingKeys: String, CodingKey {
        case category, precision, recall, f1, passed
        case truePositives = "true_positives"
        case falsePositives = "false_positives"
        case falseNegatives = "false_negatives"
    }
}

/// One count compared: a controller's (or the totals') subjects, or subjects of a category.
public struct CountCheck: Sendable, Equatable, Codable {
    /// A controller id, `totals`, or `file`.
    public var scope: String
    /// The controller's name from the truth file (never from the report).
    public var name: String?
    /// `subjects`, `records`, `subjects_at_two_or_more_controllers` or a category id.
    public var metric: String
    public var truth: Int
    /// nil when the report does not give this count.
    public var reported: Int?
    public var absoluteError: Int
    /// nil when the truth is 0.
    public var relativeError: Double?
    public var passed: Bool

    enum CodingKeys: String, CodingKey {
        case scope, name, metric, truth, reported, passed
        case absoluteError = "absolute_error"
        case relativeError = "relative_error"
    }
}

/// A truth field whose reported categories differ from the truth.
public struct FieldMismatch: Sendable, Equatable, Codable {
    /// The truth's field name.
    public var field: String
    /// Required categories the report lacks.
    public var missing: [String]
    /// Categories the report gives that the truth neither requires nor accepts.
    public var unexpected: [String]
    /// False when no report field matched this truth field.
    public var matched: Bool
}

/// The comparison of an `impact` report with a truth file.
///
/// Field classification, per category over all fields: a category the truth requires for a
/// field (`categories`) and the report gives is a true positive; required and not given, a
/// false negative; given but neither required nor in `acceptable_also`, a false positive;
/// given and only acceptable, ignored. A field's reported categories are its `categories`,
/// plus `controller` when the report lists it in `controller_fields` or its `role` starts with
/// `controller`, plus its `role` when that is a category id. Every category required or (wrongly) claimed somewhere is scored, so a
/// category claimed only where the truth has none has F1 = 0.
///
/// Fields are matched by exact name, then by normalised name (case, BOM, `[0]`/`[*]` → `[]`),
/// then, for CSV, by position. Report fields left unmatched count their categories as false
/// positives. Controllers are matched by `id`; a reported controller absent from the truth
/// must have 0 subjects.
///
/// Privacy: the evaluation prints truth field names, truth controller ids and names, counts
/// and category ids — never a report field name (it could be a header made of data).
public struct Evaluation: Sendable, Equatable, Codable {
    public var thresholds: EvaluationThresholds
    public var categories: [CategoryScore]
    public var counts: [CountCheck]
    public var fieldMismatches: [FieldMismatch]
    /// Report fields that match no truth field.
    public var unmatchedReportFields: Int
    /// Thresholds missed, one line each.
    public var failures: [String]
    public var passed: Bool

    enum CodingKeys: String, CodingKey {
        case thresholds, categories, counts, failures, passed
        case fieldMismatches = "field_mismatches"
        case unmatchedReportFields = "unmatched_report_fields"
    }

    /// Compares `report` with `truth`.
    public static func evaluate(truth: SynthTruth, report: ReportSummary,
                                thresholds: EvaluationThresholds = EvaluationThresholds()) -> Evaluation {
        var failures: [String] = []

        // Field classification.
        let pairs = matchFields(truth: truth, report: report)
        var tp: [String: Int] = [:], fp: [String: Int] = [:], fn: [String: Int] = [:]
        var mismatches: [FieldMismatch] = []
        for (t, r) in zip(truth.fields, pairs.matches) {
            let required = Set(t.requiredCategories)
            let acceptable = Set(t.acceptableAlso)
            let given = r.map { effectiveCategories(report.fields[$0], report: report) } ?? []
            var missing: [String] = [], unexpected: [String] = []
            for c in required {
                if given.contains(c) { tp[c, default: 0] += 1 } else { fn[c, default: 0] += 1; missing.append(c) }
            }
            for c in given where !required.contains(c) && !acceptable.contains(c) {
                fp[c, default: 0] += 1
                unexpected.append(c)
            }
            if !missing.isEmpty || !unexpected.isEmpty || r == nil {
                mismatches.append(FieldMismatch(field: t.name, missing: sortCategories(missing),
                                                unexpected: sortCategories(unexpected),
                                                matched: r != nil))
            }
        }
        for i in pairs.unmatchedReport {
            for c in effectiveCategories(report.fields[i], report: report) { fp[c, default: 0] += 1 }
        }
        let evaluated = sortCategories(Array(Set(tp.keys).union(fp.keys).union(fn.keys)))
        var scores: [CategoryScore] = []
        for c in evaluated {
            let t = tp[c] ?? 0, p = fp[c] ?? 0, n = fn[c] ?? 0
            let f1 = Double(2 * t) / Double(2 * t + p + n)
            let passed = f1 + 1e-12 >= thresholds.minF1
            scores.append(CategoryScore(
                category: c, truePositives: t, falsePositives: p, falseNegatives: n,
                precision: t + p > 0 ? Double(t) / Double(t + p) : nil,
                recall: t + n > 0 ? Double(t) / Double(t + n) : nil,
                f1: f1, passed: passed))
            if !passed {
                failures.append("F1 of \(c) is \(format(f1, digits: 3)) < \(format(thresholds.minF1, digits: 3)) (TP \(t), FP \(p), FN \(n))")
            }
        }

        // Counts.
        var counts: [CountCheck] = []
        func check(_ scope: String, _ name: String?, _ metric: String, truth: Int, reported: Int?) {
            let value = reported ?? 0
            let abs = Swift.abs(value - truth)
            let rel: Double? = truth > 0 ? Double(abs) / Double(truth) : nil
            let passed = reported != nil
                && (abs <= thresholds.maxCountError || (rel.map { $0 <= thresholds.maxRelativeError + 1e-12 } ?? false))
            counts.append(CountCheck(scope: scope, name: name, metric: metric, truth: truth,
                                     reported: reported, absoluteError: abs, relativeError: rel,
                                     passed: passed))
            if !passed {
                let where_ = scope == "totals" || scope == "file" ? scope : "controller \(scope)"
                if reported == nil {
                    failures.append("\(where_) \(metric): not in the report (truth \(truth))")
                } else {
                    failures.append("\(where_) \(metric): reported \(value), truth \(truth) (error \(abs)\(rel.map { ", " + percent($0) } ?? ""))")
                }
            }
        }
        if let records = report.records {
            check("file", nil, "records", truth: truth.records, reported: records)
        }
        var reportedByID: [String: ReportSummary.Controller] = [:]
        for c in report.controllers where reportedByID[c.id] == nil { reportedByID[c.id] = c }
        let truthIDs = Set(truth.controllers.map(\.id))
        for c in truth.controllers {
            let r = reportedByID[c.id]
            check(c.id, c.name, "subjects", truth: c.subjects, reported: r?.subjects ?? 0)
            for key in sortCategories(Array(c.subjectsByCategory.keys)) {
                check(c.id, c.name, key, truth: c.subjectsByCategory[key]!,
                      reported: r.map { $0.subjectsByCategory[key] ?? 0 } ?? 0)
            }
        }
        for c in report.controllers where !truthIDs.contains(c.id) && c.subjects != 0 {
            // Not in the truth: any subject counted there is an error. The id is printed as
            // "unknown controller" (it could come from the data).
            check("(not in truth)", nil, "subjects", truth: 0, reported: c.subjects)
        }
        check("totals", nil, "subjects", truth: truth.totals.subjects, reported: report.subjects ?? 0)
        if let two = report.subjectsAtTwoOrMoreControllers {
            check("totals", nil, "subjects_at_two_or_more_controllers",
                  truth: truth.totals.subjectsAtTwoOrMoreControllers, reported: two)
        }
        if let byCategory = report.subjectsByCategory {
            for key in sortCategories(Array(truth.totals.subjectsByCategory.keys)) {
                check("totals", nil, key, truth: truth.totals.subjectsByCategory[key]!,
                      reported: byCategory[key] ?? 0)
            }
        }

        return Evaluation(thresholds: thresholds, categories: scores, counts: counts,
                          fieldMismatches: mismatches,
                          unmatchedReportFields: pairs.unmatchedReport.count,
                          failures: failures, passed: failures.isEmpty)
    }

    // MARK: Matching

    /// For each truth field, the index of the matching report field (or nil), and the report
    /// fields left unmatched.
    static func matchFields(truth: SynthTruth, report: ReportSummary)
        -> (matches: [Int?], unmatchedReport: [Int]) {
        var taken = [Bool](repeating: false, count: report.fields.count)
        var matches = [Int?](repeating: nil, count: truth.fields.count)
        var exact: [String: Int] = [:]
        var normalised: [String: Int] = [:]
        for (i, f) in report.fields.enumerated() {
            if exact[f.name] == nil { exact[f.name] = i }
            let n = normaliseFieldName(f.name)
            if normalised[n] == nil { normalised[n] = i }
        }
        for (t, field) in truth.fields.enumerated() {
            if let i = exact[field.name], !taken[i] { matches[t] = i; taken[i] = true }
        }
        for (t, field) in truth.fields.enumerated() where matches[t] == nil {
            if let i = normalised[normaliseFieldName(field.name)], !taken[i] {
                matches[t] = i; taken[i] = true
            }
        }
        if truth.format.type == "csv" {
            for (t, field) in truth.fields.enumerated() where matches[t] == nil {
                let i = field.index >= 0 ? field.index : t
                if i < report.fields.count, !taken[i] { matches[t] = i; taken[i] = true }
            }
        }
        let unmatched = taken.indices.filter { !taken[$0] }
        return (matches, unmatched)
    }

    /// Lower case, no BOM or surrounding spaces, array indices written `[]`.
    static func normaliseFieldName(_ name: String) -> String {
        var s = name.replacingOccurrences(of: "\u{FEFF}", with: "")
            .trimmingCharacters(in: .whitespaces).lowercased()
        var out = ""
        var inBracket = false
        for ch in s {
            if ch == "[" { inBracket = true; out.append("["); continue }
            if ch == "]" { inBracket = false; out.append("]"); continue }
            if !inBracket { out.append(ch) }
        }
        s = out
        return s
    }

    static let knownCategories: [String] = [
        "person_name", "national_id", "birth_date", "sex", "postal_address", "phone_number",
        "email_address", "patient_id", "examination_date", "health_professional", "financial",
        "online_identifier", "health", "pregnancy", "drug_treatment", "genetic", "biometric",
        "racial_ethnic_origin", "political_opinion", "religious_belief",
        "trade_union_membership", "sex_life", "criminal_offence", "controller",
    ]

    /// A report field's categories plus its role when that is a category (`controller…` →
    /// `controller`) and `controller` when it is a controller field, without `none`.
    static func effectiveCategories(_ f: ReportSummary.Field, report: ReportSummary) -> Set<String> {
        var s = Set(f.categories.filter { $0 != "none" && !$0.isEmpty })
        if report.controllerFields.contains(f.name) { s.insert("controller") }
        if let role = f.role {
            if role.hasPrefix("controller") { s.insert("controller") }
            else if knownCategories.contains(role) { s.insert(role) }
        }
        return s
    }

    /// Known categories in their declaration order, then others alphabetically.
    static func sortCategories(_ list: [String]) -> [String] {
        list.sorted { a, b in
            let ia = knownCategories.firstIndex(of: a) ?? Int.max
            let ib = knownCategories.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a < b
        }
    }
}

// MARK: Rendering

extension Evaluation {
    /// A plain-text report: the category table, mismatched fields, the count table, the
    /// verdict and the thresholds missed.
    public func renderTable() -> String {
        var lines: [String] = []
        lines.append("Thresholds: F1 >= \(Evaluation.format(thresholds.minF1, digits: 3)); a count passes when its error is <= \(thresholds.maxCountError) or <= \(Evaluation.percent(thresholds.maxRelativeError)) of the truth")
        lines.append("")
        lines.append("Field classification (per category, over all fields)")
        var rows = [["category", "TP", "FP", "FN", "precision", "recall", "F1", ""]]
        for s in categories {
            rows.append([s.category, "\(s.truePositives)", "\(s.falsePositives)", "\(s.falseNegatives)",
                         s.precision.map { Evaluation.format($0, digits: 3) } ?? "-",
                         s.recall.map { Evaluation.format($0, digits: 3) } ?? "-",
                         Evaluation.format(s.f1, digits: 3), s.passed ? "ok" : "MISSED"])
        }
        lines += Evaluation.table(rows, rightAligned: [1, 2, 3, 4, 5, 6])
        if !fieldMismatches.isEmpty {
            lines.append("")
            lines.append("Fields that differ from the truth")
            for m in fieldMismatches {
                var parts: [String] = []
                if !m.matched { parts.append("not in the report") }
                if !m.missing.isEmpty { parts.append("missing " + m.missing.joined(separator: ", ")) }
                if !m.unexpected.isEmpty { parts.append("unexpected " + m.unexpected.joined(separator: ", ")) }
                lines.append("  \(m.field): \(parts.joined(separator: "; "))")
            }
        }
        if unmatchedReportFields > 0 {
            lines.append("  (\(unmatchedReportFields) report field(s) match no truth field; their categories count as false positives)")
        }
        lines.append("")
        lines.append("Counts")
        var countRows = [["scope", "controller", "metric", "truth", "report", "error", "relative", ""]]
        for c in counts {
            let name = c.name.map { $0.count > 32 ? String($0.prefix(31)) + "…" : $0 } ?? ""
            countRows.append([c.scope, name, c.metric, "\(c.truth)", c.reported.map { "\($0)" } ?? "-",
                              "\(c.absoluteError)", c.relativeError.map { Evaluation.percent($0) } ?? "-",
                              c.passed ? "ok" : "MISSED"])
        }
        lines += Evaluation.table(countRows, rightAligned: [3, 4, 5, 6])
        lines.append("")
        if passed {
            lines.append("Result: PASS")
        } else {
            lines.append("Result: FAIL (\(failures.count) threshold(s) missed)")
            for f in failures { lines.append("  - \(f)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line: verdict, lowest F1, counts missed, largest errors, total subjects.
    public func renderLine() -> String {
        let worst = categories.min { $0.f1 < $1.f1 }
        let missedCounts = counts.filter { !$0.passed }.count
        let maxAbs = counts.map(\.absoluteError).max() ?? 0
        let maxRel = counts.compactMap(\.relativeError).max() ?? 0
        let total = counts.first { $0.scope == "totals" && $0.metric == "subjects" }
        var s = passed ? "PASS" : "FAIL"
        s += " min_f1=" + (worst.map { "\(Evaluation.format($0.f1, digits: 3))(\($0.category))" } ?? "-")
        s += " counts_missed=\(missedCounts)/\(counts.count)"
        s += " max_abs_error=\(maxAbs) max_rel_error=\(Evaluation.percent(maxRel))"
        if let total { s += " subjects=\(total.reported.map { "\($0)" } ?? "-")/\(total.truth)" }
        return s
    }

    /// The evaluation as JSON (keys sorted).
    public func renderJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    static func table(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        guard let first = rows.first else { return [] }
        var widths = [Int](repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            var line = ""
            for (i, c) in r.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                line += rightAligned.contains(i) ? pad + c : c + pad
                if i < r.count - 1 { line += "  " }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return "  " + line
        }
    }

    /// `0.98765` → `0.988` (digits after the point), without `String(format:)`.
    static func format(_ x: Double, digits: Int) -> String {
        var p = 1
        for _ in 0..<digits { p *= 10 }
        let n = Int((x * Double(p)).rounded())
        let frac = String(n % p)
        return "\(n / p)." + String(repeating: "0", count: digits - frac.count) + frac
    }

    /// `0.0123` → `1.23%`.
    static func percent(_ x: Double) -> String { format(x * 100, digits: 2) + "%" }
}
