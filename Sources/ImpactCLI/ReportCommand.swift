import ArgumentParser
import Foundation
import ImpactCore
import ImpactStore

/// `impact report CASE.db`: prints the current report of a case — the combined report stored
/// by its last completed run — without the leak files and without the case key.
///
/// Exit codes: 0 printed; 66 no such case, or no completed run yet; 74 the output cannot be
/// written; 78 not an `impact` case, or written by a newer `impact`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print the current report of a case database, without the leak files.",
        discussion: """
        The report is the one the case's last run printed (same JSON schema as an analysis, \
        schemas/impact-report.schema.json): every file analysed into the case, counted together. \
        Needs neither the leak files nor the case key.
        Exit codes: 0 printed; 66 no such case or no completed run; 74 output cannot be written; \
        78 not an impact case or written by a newer impact.
        """)

    @Argument(help: ArgumentHelp("The case database.", valueName: "CASE.db"))
    var caseDatabase: String

    @Option(help: "Report format: text or json.")
    var format: AnalyzeCommand.OutputFormat = .text

    @Option(name: .customLong("out"), help: "Write the report to this file (mode 0600) instead of standard output.")
    var out: String?

    func run() throws {
        OutputWriter.installSignalHandling()
        let stored: StoredReport
        do {
            stored = try CaseInspection.latestReport(database: caseDatabase)
        } catch let e as CaseStoreError {
            OutputWriter.note(e.description)
            throw ExitCode(ImpactExit.code(for: e))
        }
        switch format {
        case .json: try OutputWriter.emit(stored.json, to: out)
        case .text: try OutputWriter.emit(Data(TextReport.render(stored.report).utf8), to: out)
        }
    }
}
