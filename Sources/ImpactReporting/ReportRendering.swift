import Foundation
import ImpactDetect

/// JSON form of the report: snake_case keys, sorted, pretty-printed, deterministic.
///
/// Text taken from the leak or from file names (field names, controller ids and names, paths,
/// evidence and error lines) is written neutralised (``ImpactReport/neutralised()``): a report
/// opened in a spreadsheet evaluates no formula, and printing it drives no terminal.
public enum ReportJSON {
    public static func encode(_ report: ImpactReport) throws -> Data {
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try enc.encode(report.neutralised().withDisplayedConfidences())
        data.append(0x0A)
        return data
    }

    /// A field's confidence as reports show it: rounded to two decimals (`0.58`, never
    /// `0.5800000000000001`), so that the JSON and the text agree and stay byte-stable.
    public static func displayedConfidence(_ c: Double) -> Double { (c * 100).rounded() / 100 }

    public static func decode(_ data: Data) throws -> ImpactReport {
        let dec = JSONDecoder()
        dec.keyDecodingStrategy = .convertFromSnakeCase
        return try dec.decode(ImpactReport.self, from: data)
    }
}

/// Neutralises text taken from the leak (field names, controller names) before a person
/// reads it in a terminal, a spreadsheet, Markdown or HTML (OWASP CSV injection; case
/// `023-csv-formula-injection`).
public enum OutputSafety {
    /// A cell that starts with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`; control
    /// characters (C0, DEL, C1) become `?` so that nothing drives the terminal.
    public static func plainText(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value < 0x20 || u.value == 0x7F || (u.value >= 0x80 && u.value < 0xA0) { out.append("?") } else { out.append(u) }
        }
        var t = String(out)
        if let f = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(f) { t = "'" + t }
        return t
    }

    /// ``plainText(_:)`` for an input path or a position in an input (`path:line`, an error line),
    /// except that standard input's marker `-` keeps its leading `-` (`-`, `-:12: …`) when
    /// `readsStandardInput`: it is ours, not a value of the leak.
    public static func inputText(_ s: String, readsStandardInput: Bool) -> String {
        if readsStandardInput, s == "-" || s.hasPrefix("-:") {
            return "-" + plainText(String(s.dropFirst()))
        }
        return plainText(s)
    }

    /// HTML text content: `& < > " '` escaped, then formula-neutralised.
    public static func html(_ s: String) -> String {
        var r = ""
        for c in plainText(s) {
            switch c {
            case "&": r += "&amp;"
            case "<": r += "&lt;"
            case ">": r += "&gt;"
            case "\"": r += "&quot;"
            case "'": r += "&#39;"
            default: r.append(c)
            }
        }
        return r
    }

    /// Markdown inline text: Markdown punctuation backslash-escaped, then formula-neutralised.
    public static func markdown(_ s: String) -> String {
        var r = ""
        for c in plainText(s) {
            if "\\`*_{}[]()#+-.!|<>".contains(c) { r.append("\\") }
            r.append(c)
        }
        return r
    }
}

extension ImpactReport {
    /// The report with every string that comes from the leak or from a file name passed through
    /// ``OutputSafety/plainText(_:)`` (a leading `=` `+` `-` `@` TAB or CR gets a `'`; control
    /// characters become `?`): field names (taken from the leak's header), their evidence and
    /// masked examples (a masked formula keeps its leading `=`), controller ids and names (values of the leak), controller fields, input paths, errors,
    /// warning positions and rejections. Counts, categories and ids of ours are unchanged.
    ///
    /// Idempotent: a neutralised string is left as it is, so a report read back from JSON and
    /// written again is unchanged (case `023-csv-formula-injection`; OWASP CSV injection).
    ///
    /// Standard input's marker `-` is ours, not the leak's: when an input is `-`, positions on it
    /// (`-`, `-:12`, `-:12: message`) keep their leading `-` (tester finding F10).
    public func neutralised() -> ImpactReport {
        let readsStandardInput = inputs.contains { $0.path == "-" }
        // Paths and positions may be standard input's `-`; text taken from the leak never is ours.
        let position: (String) -> String = { OutputSafety.inputText($0, readsStandardInput: readsStandardInput) }
        let safe: (String) -> String = OutputSafety.plainText
        var r = self
        r.incompleteReasons = incompleteReasons.map(position)
        for i in r.inputs.indices {
            r.inputs[i].path = position(r.inputs[i].path)
            r.inputs[i].error = r.inputs[i].error.map(position)
        }
        for i in r.fields.indices {
            r.fields[i].name = safe(r.fields[i].name)
            r.fields[i].evidence = r.fields[i].evidence.map(safe)
            r.fields[i].maskedExamples = r.fields[i].maskedExamples.map { $0.map(safe) }
        }
        r.controllerFields = controllerFields.map(safe)
        for i in r.controllers.indices {
            r.controllers[i].id = safe(r.controllers[i].id)
            r.controllers[i].name = r.controllers[i].name.map(safe)
        }
        for i in r.warnings.indices {
            r.warnings[i].firstLines = r.warnings[i].firstLines.map(position)
            r.warnings[i].detail = safe(r.warnings[i].detail)
        }
        for i in r.rejections.indices {
            r.rejections[i].input = position(r.rejections[i].input)
            r.rejections[i].detail = safe(r.rejections[i].detail)
        }
        return r
    }
}

/// The readable summary printed by default.
public enum TextReport {
    public static func render(_ r: ImpactReport) -> String {
        var o = ""
        let stdin = r.inputs.contains { $0.path == "-" }
        let position: (String) -> String = { OutputSafety.inputText($0, readsStandardInput: stdin) }
        if !r.complete {
            o += "INCOMPLETE: an input could not be read to its end; counts below are a lower bound.\n"
            for reason in r.incompleteReasons { o += "  \(position(reason))\n" }
            o += "\n"
        }
        if r.complete && r.countsAreLowerBound {
            o += "Note: \(r.rejectedRecords) records were rejected (listed below): counts are a lower bound.\n\n"
        }
        o += "Records: \(r.records) read, \(r.analysedRecords) analysed, \(r.rejectedRecords) rejected"
        if r.recordsWithoutIdentifier > 0 { o += ", \(r.recordsWithoutIdentifier) without any identifier" }
        o += "\n"
        for i in r.inputs {
            var d = "  \(position(i.path)): \(i.format)"
            if let c = i.compression { d += "+\(c)" }
            d += ", \(i.encoding)"
            if let del = i.delimiter { d += ", delimiter \(del == "\\t" || del == "\t" ? "TAB" : del)" }
            if i.format == "csv" { d += i.header ? ", header" : ", no header" }
            if let p = i.recordPath { d += ", records at \(p)" }
            d += ", \(i.records) records"
            if !i.complete { d += " (INCOMPLETE)" }
            o += d + "\n"
        }
        let all = r.subjectsByCategory.keys.sorted { (DataCategoryOrder[$0] ?? 99) < (DataCategoryOrder[$1] ?? 99) }
        // The table shows the NIR and the special categories (Art. 9/10); the other categories
        // are listed below it (every count is in the JSON report).
        let cats = all.filter { $0 == "national_id" || (DataCategory(rawValue: $0)?.isSpecial ?? false) }
        let others = all.filter { !cats.contains($0) }
        o += "\nData subjects: \(r.subjects) distinct (\(r.subjectsAtTwoOrMoreControllers) at two or more controllers); health professionals: \(r.healthProfessionals)\n"
        o += "\nPer controller:\n"
        var rows: [[String]] = [["controller", "name", "records", "subjects", "prof."] + cats]
        for c in r.controllers {
            rows.append([OutputSafety.plainText(c.id), OutputSafety.plainText(String((c.name ?? "").prefix(32))), "\(c.records)", "\(c.subjects)", "\(c.healthProfessionals)"]
                        + cats.map { "\(c.subjectsByCategory[$0] ?? 0)" })
        }
        rows.append(["TOTAL", "", "\(r.records)", "\(r.subjects)", "\(r.healthProfessionals)"] + cats.map { "\(r.subjectsByCategory[$0] ?? 0)" })
        o += table(rows)
        if !others.isEmpty {
            o += "  Also exposed (subjects over all controllers): " + others.map { "\($0) \(r.subjectsByCategory[$0] ?? 0)" }.joined(separator: ", ") + "\n"
        }
        let assessed = r.controllers.filter { $0.assessment != nil }
        if !assessed.isEmpty {
            o += "\nSeverity (ENISA SE = DPC × EI + CB; circumstances assumed unless given with `impact draft --incident`):\n"
            for c in assessed {
                let a = c.assessment!
                o += "  \(OutputSafety.plainText(c.id)): SE \(a.se) = \(a.dpc.value) × \(a.ei.value) + \(a.cb.value) → \(a.band.rawValue), CNIL \(a.cnilScale.rawValue), EDPB \(a.risk.rawValue); notify CNIL: \(a.obligations.notifyAuthority ? "yes" : "no"), inform persons (Art. 34): \(a.obligations.communicateToSubjects ? "yes" : "no")\n"
            }
        }
        o += "\nFields:\n"
        for f in r.fields {
            let cs = f.categories.isEmpty ? "-" : f.categories.joined(separator: ", ")
            o += "  \(OutputSafety.plainText(f.name)): \(cs)  (confidence \(ReportJSON.displayedConfidence(f.confidence))"
            if f.invalidValues > 0 { o += ", \(f.invalidValues) invalid" }
            o += ")\n"
            for e in f.evidence { o += "      \(OutputSafety.plainText(e))\n" }
            if let examples = f.maskedExamples, !examples.isEmpty {
                o += "      masked examples: " + examples.map(OutputSafety.plainText).joined(separator: " | ") + "\n"
            }
        }
        if !r.warnings.isEmpty {
            o += "\nWarnings:\n"
            for w in r.warnings {
                o += "  \(w.kind): \(w.count) (first: \(w.firstLines.prefix(5).map(position).joined(separator: ", ")))"
                if !w.detail.isEmpty { o += " — " + OutputSafety.plainText(w.detail) }
                o += "\n"
            }
        }
        if !r.rejections.isEmpty {
            o += "\nRejected records:\n"
            for x in r.rejections.prefix(20) { o += "  \(position(x.input)):\(x.line): \(x.reason) \(OutputSafety.plainText(x.detail))\n" }
            if r.rejectedRecords > 20 { o += "  … \(r.rejectedRecords - 20) more\n" }
        }
        let basis = r.identityBasis.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        if !basis.isEmpty { o += "\nSubjects identified by: \(basis.joined(separator: ", "))\n" }
        return o
    }

    private static func table(_ rows: [[String]]) -> String {
        let n = rows.map(\.count).max() ?? 0
        var w = [Int](repeating: 0, count: n)
        for r in rows { for (i, c) in r.enumerated() { w[i] = max(w[i], c.count) } }
        var o = ""
        for r in rows {
            var line = " "
            for (i, c) in r.enumerated() {
                let pad = String(repeating: " ", count: w[i] - c.count)
                line += " " + (i >= 2 ? pad + c : c + pad)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            o += line + "\n"
        }
        return o
    }
}

let DataCategoryOrder: [String: Int] = {
    var d: [String: Int] = [:]
    for c in DataCategory.allCases { d[c.rawValue] = c.index }
    return d
}()

extension ImpactReport {
    /// The report with each field's confidence rounded as shown (``ReportJSON/displayedConfidence(_:)``).
    func withDisplayedConfidences() -> ImpactReport {
        var r = self
        for i in r.fields.indices { r.fields[i].confidence = ReportJSON.displayedConfidence(r.fields[i].confidence) }
        return r
    }
}
