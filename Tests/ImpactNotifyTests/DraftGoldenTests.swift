import Foundation
import Testing
import ImpactNotify
import ImpactReporting

/// Golden files for every document a person or the CNIL reads, in both languages, on the
/// fixture report (three labs shaped like `labs_fr_cp1252.csv`) and incident file.
/// Re-record with `IMPACT_RECORD_GOLDEN=1 swift test --filter ImpactNotifyTests`, then review the diff.
@Suite struct DraftGoldenTests {
    static let recording = ProcessInfo.processInfo.environment["IMPACT_RECORD_GOLDEN"] == "1"

    /// Compares `documents` with the files under `Golden/<folder>/` (or records them), and fails
    /// on a golden file that no document produces any more.
    static func check(_ documents: [DraftDocument], folder: String) throws {
        let root = Paths.golden.appendingPathComponent(folder)
        let fm = FileManager.default
        if recording {
            try? fm.removeItem(at: root)
            for d in documents {
                let url = root.appendingPathComponent(d.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try d.contents.write(to: url)
            }
            return
        }
        for d in documents {
            let url = root.appendingPathComponent(d.path)
            let expected = try #require(fm.contents(atPath: url.path), "missing golden file \(folder)/\(d.path): record with IMPACT_RECORD_GOLDEN=1")
            if expected != d.contents {
                let a = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let b = String(decoding: d.contents, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
                Issue.record("\(folder)/\(d.path) differs at line \(i + 1):\n- \(i < a.count ? a[i] : "<end>")\n+ \(i < b.count ? b[i] : "<end>")")
            }
        }
        let produced = Set(documents.map(\.path))
        let enumerator = fm.enumerator(atPath: root.path)
        while let p = enumerator?.nextObject() as? String {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: root.appendingPathComponent(p).path, isDirectory: &isDir), !isDir.boolValue {
                #expect(produced.contains(p), "stale golden file \(folder)/\(p)")
            }
        }
    }

    @Test(arguments: DocumentLanguage.allCases)
    func everyDocument(lang: DocumentLanguage) throws {
        let drafter = try Drafter(report: try Fixtures.report("golden_report.json"), incident: try Fixtures.incident(),
                                  options: DraftOptions(language: lang, asProcessor: true))
        let docs = try drafter.documents()
        // 3 controllers × (JSON + notification, letter, notice in Markdown and HTML).
        #expect(docs.count == 21)
        try Self.check(docs, folder: lang.rawValue)
    }

    @Test(arguments: DocumentLanguage.allCases)
    func complementaryNotification(lang: DocumentLanguage) throws {
        let (earlier, now) = try Self.earlierAndNow()
        let initial = try Drafter(report: earlier, incident: try Fixtures.incident(), options: DraftOptions(language: lang, formats: [.json]))
            .notification(for: earlier.controllers[0])
        let previous = try DraftJSON.decode(CNILNotification.self, from: try DraftJSON.encode(initial))
        let drafter = try Drafter(report: now, incident: try Fixtures.incident(),
                                  options: DraftOptions(language: lang, formats: [.json, .md], controllers: [now.controllers[0].id]),
                                  previous: [previous])
        try Self.check(try drafter.documents(), folder: "complementary-\(lang.rawValue)")
    }

    @Test func incidentTemplate() throws {
        let yaml = IncidentTemplate.yaml(report: try Fixtures.report("golden_report.json"))
        try Self.check([DraftDocument(path: "incident-template.yaml", contents: Data(yaml.utf8))], folder: "template")
    }

    /// The fixture report, and an earlier analysis of the same case (fewer persons, no genetic
    /// data seen yet) from which the initial notification was made.
    static func earlierAndNow() throws -> (ImpactReport, ImpactReport) {
        let now = try Fixtures.report("golden_report.json")
        var earlier = now
        earlier.controllers[0].subjects = 500
        earlier.controllers[0].records = 1900
        earlier.controllers[0].subjectsByCategory["pregnancy"] = 15
        earlier.controllers[0].subjectsByCategory["genetic"] = nil
        earlier.controllers[0].subjectsByCategory["national_id"] = 470
        return (earlier, now)
    }
}
