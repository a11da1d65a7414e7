import Foundation
import Testing
import ImpactNotify
import ImpactReporting

/// The drafts hold what the report and the incident file hold, escaped for their output, and
/// nothing of the leak itself.
@Suite struct DraftPrivacyTests {
    static func allDocuments(_ report: ImpactReport, _ incident: IncidentFacts?) throws -> [DraftDocument] {
        var docs: [DraftDocument] = []
        for lang in DocumentLanguage.allCases {
            docs += try Drafter(report: report, incident: incident, options: DraftOptions(language: lang, asProcessor: true)).documents()
        }
        return docs
    }

    /// The values of identifying columns of the sample the fixture report describes
    /// (`../shared/samples/labs_fr_cp1252.csv`): none may appear in any draft.
    static func sampleIdentifiers() throws -> Set<String> {
        let url = Paths.shared.appendingPathComponent("samples/labs_fr_cp1252.csv")
        let text = try #require(String(data: try Data(contentsOf: url), encoding: .windowsCP1252))
        var lines = text.split(separator: "\r\n").map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
        let header = lines.removeFirst()
        var values: Set<String> = []
        for col in ["nom", "nir", "ipp", "telephone", "email", "rpps_prescripteur"] {
            guard let i = header.firstIndex(of: col) else { continue }
            for l in lines where i < l.count {
                let v = l[i].trimmingCharacters(in: .whitespaces)
                // Short surnames could match ordinary words; compound ones are checked word by word.
                if v.count >= 6 && !v.contains(" ") { values.insert(v) }
            }
        }
        return values
    }

    @Test func noValueOfTheLeakInAnyDraft() throws {
        let identifiers = try Self.sampleIdentifiers()
        #expect(identifiers.count > 5000) // the check has something to find
        let docs = try Self.allDocuments(try Fixtures.report("labs_fr_report.json"), try Fixtures.incident())
        #expect(docs.count == 9 * 7 * 2)
        for d in docs {
            let text = String(decoding: d.contents, as: UTF8.self)
            // Tokens the size of an identifier, compared whole (a surname is a word, not a substring).
            var tokens: Set<Substring> = []
            for t in text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "@" || $0 == "." || $0 == "-" || $0 == "_") }) {
                tokens.insert(t)
                tokens.insert(t.trimmingCharacters(in: CharacterSet(charactersIn: ".-"))[...])
            }
            let leaked = identifiers.filter { tokens.contains(Substring($0)) }
            #expect(leaked.isEmpty, "\(d.path): \(leaked.count) value(s) of the leak")
        }
    }

    /// Digit runs of an identifier's length and e-mail addresses in the drafts come from the
    /// report (controller ids) or the incident file (the controllers' own contacts), nowhere else.
    @Test func identifiersInDraftsComeFromReportOrIncidentFile() throws {
        let reportText = String(decoding: try Data(contentsOf: Paths.fixtures.appendingPathComponent("labs_fr_report.json")), as: UTF8.self)
        let incidentText = String(decoding: try Data(contentsOf: Paths.fixtures.appendingPathComponent("incident.yaml")), as: UTF8.self)
        for d in try Self.allDocuments(try Fixtures.report("labs_fr_report.json"), try Fixtures.incident()) {
            let text = String(decoding: d.contents, as: UTF8.self).replacingOccurrences(of: "\\", with: "")
            for run in text.split(whereSeparator: { !$0.isNumber }) where run.count >= 9 {
                #expect(reportText.contains(run) || incidentText.contains(run), "\(d.path): digits \(run.count) long from nowhere")
            }
            for word in text.split(whereSeparator: { $0.isWhitespace || "<>()[]|,;`\"'".contains($0) }) {
                let email = word.trimmingCharacters(in: CharacterSet(charactersIn: ".:"))
                guard let at = email.firstIndex(of: "@"), at > email.startIndex, email[at...].contains(".") else { continue }
                #expect(incidentText.contains(email), "\(d.path): an e-mail address from nowhere")
            }
        }
    }

    // Case 023-csv-formula-injection: text from the leak (header names, lab names) is neutralised.
    @Test func hostileNamesAreEscapedForEachOutput() throws {
        var (report, _) = syntheticReport(categories: ["person_name", "health"],
                                          fields: [("<img src=x onerror=alert(1)>", "free_text", ["health"]), ("=cmd|' /C calc'!A0", "exam_result", ["health"])])
        report.controllers[0].name = "<script>alert(1)</script> [lien](http://evil.example) **gras**"
        let docs = try Self.allDocuments(report, nil)
        for d in docs where d.path.hasSuffix(".html") {
            let html = String(decoding: d.contents, as: UTF8.self)
            #expect(!html.contains("<script"), "\(d.path)")
            #expect(!html.contains("<img"), "\(d.path)")
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(d.path)")
            // Self-contained: no script, no fetched resource.
            for needle in ["src=\"", "href=\"", "@import", "url(", "<link", "<iframe", "<object", "<embed"] { #expect(!html.contains(needle), "\(d.path) has \(needle)") }
        }
        for d in docs where d.path.hasSuffix(".md") {
            let md = String(decoding: d.contents, as: UTF8.self)
            #expect(!md.contains("<script>"), "\(d.path)")
            #expect(!md.contains("[lien](http"), "\(d.path)")
            #expect(md.contains("\\<script\\>"), "\(d.path)")
        }
        let notification = try #require(docs.first { $0.path.hasSuffix("notification.fr.md") })
        let md = String(decoding: notification.contents, as: UTF8.self)
        #expect(md.contains("`'=cmd\\|' /C calc'!A0`")) // formula neutralised, pipe escaped in the table
    }

    @Test func hostileControllerIdsMakeSafeFolderNames() throws {
        #expect(Drafter.safeName("920794955", index: 0) == "920794955")
        #expect(Drafter.safeName("../../etc/passwd", index: 2) == "controller-3")
        #expect(Drafter.safeName("LAB A/B", index: 0) == "LAB_A_B")
        #expect(Drafter.safeName("", index: 0) == "controller-1")
        #expect(Drafter.safeName("é", index: 4) == "controller-5")
    }
}
