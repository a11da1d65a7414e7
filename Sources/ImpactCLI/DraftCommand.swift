import ArgumentParser
import Foundation
import ImpactNotify
import ImpactStore
import ImpactReporting

extension DocumentLanguage: ExpressibleByArgument {}
extension DraftFormat: ExpressibleByArgument {}

/// `impact draft`: per controller, the CNIL notification data, the Art. 34 letter and (for a
/// processor) the notice to each controller, from an analysis report and the incident facts.
///
/// Gathers options, calls ``Drafter`` and maps failures to exit codes: 64 usage, 65 a report,
/// incident or previous notification that cannot be decoded, 66 a file that cannot be read,
/// 74 an output that cannot be written.
struct DraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: "Draft the CNIL notification, the letter to the persons and the processor's notice, per controller.",
        discussion: """
        REPORT.json is `impact LEAK --format json --out REPORT.json`. The incident facts (dates,
        identities, circumstances, measures) come from --incident FILE (YAML or JSON; start from
        `impact draft --incident-template REPORT.json`). What is missing stays "À COMPLÉTER" and
        is listed in each draft. The incident file is checked against schemas/incident.schema.json
        first: an unknown key, a wrong type or value, a date that is not a real calendar date are
        all listed with their line (exit 65); a controller id the report does not have is a
        warning (its facts are not used). Files are written under --out, one folder per
        controller, mode 0600.
        Exit codes: 0 drafted; 64 usage error; 65 a report, incident or previous notification
        that cannot be decoded; 66 a file that cannot be read; 74 an output that cannot be written.
        """)

    @Argument(help: "The analysis report (JSON) made by `impact LEAK --format json`.")
    var report: String?

    @Option(help: "Incident facts, YAML or JSON (schemas/incident.schema.json).")
    var incident: String?

    @Option(help: "Draft for this controller id only (repeatable).")
    var controller: [String] = []

    @Flag(help: "Draft for every controller of the report (the default).")
    var all = false

    @Option(help: "Language of the documents: fr or en.")
    var lang: DocumentLanguage = .fr

    @Option(help: "Output: json, md or html (repeatable; default all three).")
    var format: [DraftFormat] = []

    @Option(help: "Folder to write the drafts to (created 0700).")
    var out: String = "impact-drafts"

    @Flag(help: "Also write the processor's notice to each controller (GDPR Art. 33(2)).")
    var asProcessor = false

    @Option(help: "A folder of .mustache files replacing the bundled templates of the same name.")
    var templates: String?

    @Option(help: "A notification JSON drafted earlier: make a complementary one stating what changed (repeatable, one per controller).")
    var complementOf: [String] = []

    @Flag(help: "Print a commented YAML template of the incident facts (pre-filled with the report's controllers) and exit.")
    var incidentTemplate = false

    func validate() throws {
        if !incidentTemplate && report == nil { throw ValidationError("Missing the analysis report (REPORT.json).") }
        if all && !controller.isEmpty { throw ValidationError("--controller and --all cannot be used together.") }
    }

    func run() throws {
        let stderr = FileHandle.standardError
        func fail(_ message: String, _ code: Int32) -> ExitCode {
            stderr.write(Data(("impact draft: " + message + "\n").utf8))
            return ExitCode(code)
        }
        var loaded: ImpactReport? = nil
        if let path = report, CaseInspection.looksLikeCaseDatabase(path) {
            // A case database: its current (combined) report, without the leak files or the key.
            do { loaded = try CaseInspection.latestReport(database: path).report } catch let e as CaseStoreError {
                throw fail(e.description, ImpactExit.code(for: e))
            }
        } else if let path = report {
            guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read \(OutputSafety.plainText(path))", ImpactExit.noInput) }
            do { loaded = try ReportJSON.decode(data) } catch {
                throw fail("\(OutputSafety.plainText(path)) is not an impact analysis report (schemas/impact-report.schema.json)", ImpactExit.corruptInput)
            }
        }
        if incidentTemplate {
            print(IncidentTemplate.yaml(report: loaded), terminator: "")
            return
        }
        guard let loaded else { throw ExitCode(ImpactExit.usage) }
        var facts: IncidentFacts? = nil
        if let incident {
            do { facts = try IncidentFactsLoader.load(path: incident) } catch let e as IncidentFactsError {
                if case .unreadable = e { throw fail(e.description, ImpactExit.noInput) }
                throw fail(e.description, ImpactExit.corruptInput)
            }
            // A controller id of the incident file that the report does not have: its facts
            // are not used (a typo, or a file shared by several cases): said, not fatal.
            let known = Set(loaded.controllers.map(\.id))
            for id in (facts?.controllers?.keys.sorted() ?? []) where !known.contains(id) {
                stderr.write(Data("impact draft: warning: incident file: controllers.\(OutputSafety.plainText(id)): not a controller of the report; its facts are not used\n".utf8))
            }
        } else {
            stderr.write(Data("impact draft: no --incident FILE: every incident fact stays \"À COMPLÉTER\" and the severity uses the documented defaults.\n".utf8))
        }
        var previous: [CNILNotification] = []
        for p in complementOf {
            guard let data = FileManager.default.contents(atPath: p) else { throw fail("cannot read \(OutputSafety.plainText(p))", ImpactExit.noInput) }
            do { previous.append(try DraftJSON.decode(CNILNotification.self, from: data)) } catch {
                throw fail("\(OutputSafety.plainText(p)) is not a notification drafted by impact (schemas/cnil-notification.schema.json)", ImpactExit.corruptInput)
            }
        }
        let options = DraftOptions(language: lang, formats: format.isEmpty ? DraftFormat.allCases : format,
                                   controllers: controller.isEmpty ? nil : controller, asProcessor: asProcessor,
                                   templatesDirectory: templates)
        let documents: [DraftDocument]
        do {
            documents = try Drafter(report: loaded, incident: facts, options: options, previous: previous).documents()
        } catch let e as DraftError {
            switch e {
            case .unknownController, .noControllers: throw fail(e.description, ImpactExit.usage)
            case .templatesUnreadable: throw fail(e.description, ImpactExit.noInput)
            case .templateMissing, .templateSyntax: throw fail(e.description, ImpactExit.corruptInput)
            }
        }
        do {
            for path in try DraftWriter.write(documents, to: out) { print(OutputSafety.plainText(path)) }
        } catch {
            throw fail("cannot write the drafts under \(OutputSafety.plainText(out))", ImpactExit.cannotWrite)
        }
    }
}
