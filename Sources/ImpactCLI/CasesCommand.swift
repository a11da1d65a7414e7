import ArgumentParser
import Foundation
import ImpactCore
import ImpactStore

/// `impact cases …`: inspection of case databases.
struct CasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Inspect case databases: runs, inputs, files recognised as already analysed.",
        subcommands: [List.self],
        defaultSubcommand: List.self)

    /// `impact cases list CASE.db`: every run of the case with its inputs (path, size,
    /// SHA-256, format, records) and the files it skipped as already analysed.
    ///
    /// Exit codes: 0 listed; 66 no such case, or no completed run yet; 74 the output cannot
    /// be written; 78 not an `impact` case, or written by a newer `impact`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the runs of a case with their inputs.",
            discussion: """
            Exit codes: 0 listed; 66 no such case or no completed run; 74 output cannot be \
            written; 78 not an impact case or written by a newer impact.
            """)

        @Argument(help: ArgumentHelp("The case database.", valueName: "CASE.db"))
        var caseDatabase: String

        @Option(help: "Output format: text or json.")
        var format: AnalyzeCommand.OutputFormat = .text

        func run() throws {
            OutputWriter.installSignalHandling()
            let summary: CaseSummary
            do {
                summary = try CaseInspection.summary(database: caseDatabase)
            } catch let e as CaseStoreError {
                OutputWriter.note(e.description)
                throw ExitCode(ImpactExit.code(for: e))
            }
            switch format {
            case .json:
                let enc = JSONEncoder()
                enc.keyEncodingStrategy = .convertToSnakeCase
                enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                var data = try enc.encode(summary)
                data.append(0x0A)
                try OutputWriter.emit(data, to: nil)
            case .text:
                try OutputWriter.emit(Data(Self.render(summary).utf8), to: nil)
            }
        }

        /// The readable listing (paths and names neutralised for the terminal).
        static func render(_ s: CaseSummary) -> String {
            let safe = OutputSafety.plainText
            var o = "Case \(safe(s.database)): \(s.runs.count) run\(s.runs.count == 1 ? "" : "s"), "
            o += "\(s.runs.reduce(0) { $0 + $1.inputs.count }) inputs, \(s.subjects) distinct subjects at \(s.controllers) controllers"
            o += " (created \(s.createdAt); schema \(s.schema.joined(separator: ", ")))\n"
            for r in s.runs {
                o += "\nrun \(r.id)  \(r.startedAt) → \(r.finishedAt)  \(r.status)  \(safe(r.tool))\n"
                o += "  \(r.inputsAnalysed) analysed, \(r.inputsSkipped) skipped; \(r.records) records (\(r.rejectedRecords) rejected); "
                o += "\(r.subjects) distinct subjects in the case after this run\n"
                for i in r.inputs {
                    var fmt = i.format
                    if let c = i.compression { fmt += "+\(c)" }
                    o += "  input \(i.id): \(safe(i.path))  \(i.size) bytes  sha256 \(i.sha256)  \(fmt), \(i.encoding), "
                    o += "\(i.records) records (\(i.rejectedRecords) rejected)"
                    if !i.complete { o += "  INCOMPLETE: \(safe(i.error ?? "not read to its end"))" }
                    o += "\n"
                }
                for k in r.skipped {
                    o += "  skipped: \(safe(k.path))  sha256 \(k.sha256)  already analysed in run \(k.sameAsRun)"
                    if let p = k.sameAsPath { o += " as \(safe(p))" }
                    o += "\n"
                }
            }
            return o
        }
    }
}
