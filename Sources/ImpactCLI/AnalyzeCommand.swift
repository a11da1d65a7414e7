import ArgumentParser
import Foundation
import ImpactCore
import ImpactIngest

/// `impact [analyze] FILE...`: streams leaked files and reports distinct data subjects per
/// controller and per category. The default subcommand, so `impact leak.csv` works.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse leaked files: distinct data subjects per controller and per GDPR category.",
        discussion: """
        Inputs may be CSV (any delimiter among , ; TAB |, UTF-8, Windows-1252 or UTF-16), JSON, \
        JSON Lines, each optionally gzip-compressed (detected from content). Several files are \
        counted together: a person present in two files counts once. Use - for standard input.

        \(ImpactExit.helpText)
        """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Leaked files to analyse (- for standard input).")
    var files: [String]

    @Option(help: "Report format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .customLong("out"), help: "Write the report to this file (mode 0600) instead of standard output.")
    var out: String?

    @Option(help: "Force the input format: csv, json or jsonl (default: detected).")
    var inputFormat: InputFormatChoice?

    @Option(help: "The field whose values identify the controller (default: the FINESS or lab-name field).")
    var controllerColumn: String?

    @Option(help: "CSV delimiter: ',', ';', 'tab' or '|' (default: sniffed).")
    var delimiter: String?

    @Flag(inversion: .prefixedNo, help: "Whether the CSV's first row is a header (default: sniffed).")
    var header: Bool?

    @Flag(help: "Exit with code 2 when any record was rejected.")
    var strict = false

    mutating func validate() throws {
        if let d = delimiter, CSVDelimiterName.parse(d) == nil {
            throw ValidationError("--delimiter must be ',', ';', 'tab' or '|'")
        }
    }

    func run() throws {
        OutputWriter.installSignalHandling()
        var options = AnalysisOptions()
        options.inputFormat = inputFormat
        options.controllerColumn = controllerColumn
        if let d = delimiter { options.csv.delimiter = CSVDelimiterName.parse(d) }
        options.csv.hasHeader = header
        let outcome = LeakAnalyzer(options: options).analyze(paths: files)
        for f in outcome.failures {
            FileHandle.standardError.write(Data("impact: \(f.description)\n".utf8))
        }
        let openFailures = outcome.failures.filter { [.notFound, .isDirectory, .io].contains($0.kind) && $0.recordsBeforeFailure == 0 }
        if !outcome.failures.isEmpty && openFailures.count == outcome.failures.count && outcome.report.records == 0 {
            throw ExitCode(ImpactExit.noInput)
        }
        let data: Data
        switch format {
        case .json: data = try ReportJSON.encode(outcome.report)
        case .text: data = Data(TextReport.render(outcome.report).utf8)
        }
        do {
            if let out { try OutputWriter.writeFile(data, to: out) } else { try OutputWriter.writeStdout(data) }
        } catch {
            FileHandle.standardError.write(Data("impact: \(error)\n".utf8))
            throw ExitCode(ImpactExit.cannotWrite)
        }
        if !outcome.failures.isEmpty {
            throw ExitCode(openFailures.count == outcome.failures.count ? ImpactExit.noInput : ImpactExit.corruptInput)
        }
        if strict && outcome.report.rejectedRecords > 0 {
            FileHandle.standardError.write(Data("impact: \(outcome.report.rejectedRecords) records rejected (--strict)\n".utf8))
            throw ExitCode(ImpactExit.rejectedRecords)
        }
    }
}

extension InputFormatChoice: ExpressibleByArgument {}

/// Delimiter names accepted on the command line.
enum CSVDelimiterName {
    static func parse(_ s: String) -> UInt8? {
        switch s.lowercased() {
        case ",", "comma": return UInt8(ascii: ",")
        case ";", "semicolon": return UInt8(ascii: ";")
        case "tab", "\\t", "\t": return 0x09
        case "|", "pipe": return UInt8(ascii: "|")
        default: return nil
        }
    }
}
