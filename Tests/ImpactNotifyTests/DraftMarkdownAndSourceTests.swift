import Foundation
import Testing
import ImpactNotify
import ImpactReporting

/// Finding F13 in the drafts: `****À COMPLÉTER****` (bold applied twice) for an unknown
/// deadline, and a controller name found in the data credited to the incident file.
@Suite struct DraftMarkdownAndSourceTests {
    @Test(arguments: DocumentLanguage.allCases)
    func unknownDeadlineIsBoldOnce(lang: DocumentLanguage) throws {
        let report = try Fixtures.report("golden_report.json")
        let docs = try Drafter(report: report, incident: nil, options: DraftOptions(language: lang, formats: [.md])).documents()
        #expect(!docs.isEmpty)
        let marker = lang == .fr ? "**À COMPLÉTER**" : "**TO BE COMPLETED**"
        for d in docs {
            let text = String(decoding: d.contents, as: UTF8.self)
            #expect(!text.contains("****"), "\(d.path)")
            if d.path.contains("notification.") { #expect(text.contains("(72 h)** | \(marker) |"), "\(d.path)") }
        }
    }

    @Test func nameSourceSaysWhereTheNameCameFrom() throws {
        let report = try Fixtures.report("golden_report.json")
        let c = report.controllers[0]
        let dataName = try #require(c.name)
        let table: [(String?, String, String)] = [
            (nil, dataName, "analysis: controllers[id=\(c.id)].name"),
            (dataName, dataName, "analysis: controllers[id=\(c.id)].name (kept in the incident file)"),
            ("SELAS Laboratoire Sud", "SELAS Laboratoire Sud", "incident file: controllers.\(c.id).name"),
        ]
        for (given, shown, source) in table {
            let facts = IncidentFacts(controllers: [c.id: .init(name: given)])
            let n = NotificationBuilder(report: report, incident: facts, language: .fr).build(controller: c)
            #expect(n.organisation.name.value == shown)
            #expect(n.organisation.name.source == source)
        }
    }
}
