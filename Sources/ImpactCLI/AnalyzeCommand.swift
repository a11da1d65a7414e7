import ArgumentParser
import Foundation
import ImpactCore
import ImpactIngest
import ImpactStore
#if canImport(Glibc)
import Glibc
#endif

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

        With --case CASE.db, the run is recorded in a case database (created with its key file \
        CASE.db.key when missing): files already in the case are recognised by their SHA-256 and \
        not counted again, people already seen in earlier runs are not counted twice, and the \
        printed report is the report of the whole case. The database stores counts and keyed \
        hashes only; keep the key file apart from the database's backups.

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

    @Option(name: .customLong("case"), help: ArgumentHelp(
        "Record the run in this case database and print the report of the whole case.",
        valueName: "CASE.db"))
    var caseDatabase: String?

    @Option(name: .customLong("case-key"), help: ArgumentHelp(
        "The case's key file (default: CASE.db.key beside the database).", valueName: "FILE"))
    var caseKey: String?

    @Flag(help: ArgumentHelp(
        "Show up to 3 masked examples per field (letters X/x, digits 9: '9 99 99 99 999 999 99'), and store them in the case.",
        discussion: "Off by default: the report and the case then hold no trace of a value."))
    var keepMaskedExamples = false

    @Flag(name: .shortAndLong, help: "Progress and timings on standard error (bytes, records, MB/s per input; never a value).")
    var verbose = false

    @Option(help: ArgumentHelp("""
        Memory for the distinct-subject tables: beyond it they spill to a temporary database \
        (owner-only, deleted when the run ends; counts stay exact). Bytes, or with a suffix: \
        512M, 2G. (default: half of the memory, at least 1G)
        """, valueName: "SIZE"))
    var memoryLimit: String?

    // Resource limits (IngestLimits): advanced, shown by `impact analyze --help-hidden`.
    @Option(help: ArgumentHelp("Largest value kept, in bytes (default 16 MiB); a record with a larger one is rejected.", visibility: .hidden))
    var maxFieldBytes: Int?

    @Option(help: ArgumentHelp("Largest record kept, in bytes (default 32 MiB); a larger one is rejected.", visibility: .hidden))
    var maxRecordBytes: Int?

    @Option(help: ArgumentHelp("Deepest JSON nesting accepted (default 512).", visibility: .hidden))
    var maxNestingDepth: Int?

    @Option(help: ArgumentHelp("Most fields in a record or columns in a header (default 16384).", visibility: .hidden))
    var maxFields: Int?

    @Option(help: ArgumentHelp("Threads per input: 1 reads and analyses on one thread; 2 reads (and inflates gzip) beside the analysis. The report is the same. (default: 2 on a machine with two cores or more)", valueName: "N"))
    var threads: Int?

    mutating func validate() throws {
        if let d = delimiter, CSVDelimiterName.parse(d) == nil {
            throw ValidationError("--delimiter must be ',', ';', 'tab' or '|'")
        }
        if caseKey != nil && caseDatabase == nil {
            throw ValidationError("--case-key needs --case")
        }
        if caseDatabase != nil && files.contains("-") {
            throw ValidationError("--case records files only: standard input cannot be recognised by a later run")
        }
        for (name, value) in [("--max-field-bytes", maxFieldBytes), ("--max-record-bytes", maxRecordBytes),
                              ("--max-nesting-depth", maxNestingDepth), ("--max-fields", maxFields)] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1") }
        }
        if let t = threads, t < 1 {
            throw ValidationError("--threads must be 1 or more")
        }
        if let m = memoryLimit {
            guard let bytes = MemoryLimit.parse(m) else {
                throw ValidationError("--memory-limit must be a size in bytes, or with a suffix K, M, G or T (e.g. 512M, 2G)")
            }
            if bytes < MemoryLimit.minimum { throw ValidationError("--memory-limit must be at least 4K") }
        }
    }

    /// The subject tables' budget and spill (`--memory-limit`, else the default).
    func subjectMemory() -> SubjectMemoryBudget {
        let bytes = memoryLimit.flatMap(MemoryLimit.parse) ?? MemoryLimit.defaultBytes
        let verbose = self.verbose
        return .spillingToTemporaryDatabase(bytes: bytes, onSpill: { s in
            guard verbose && s.spills == 1 else { return }
            OutputWriter.note("subject tables reached the memory limit (\(MemoryLimit.describe(bytes))) after \(s.recordsAtFirstSpill) records: spilling to a temporary database")
        })
    }

    /// `--verbose`: how much the subject tables spilled (counts and sizes only).
    static func spillNote(_ s: SubjectSpillStatistics) -> String? {
        guard s.spills > 0 else { return nil }
        return "subject tables spilled \(s.spills) time\(s.spills == 1 ? "" : "s"): \(s.keysWritten) keys and \(s.observationsWritten) observations written, \(s.lookups) look-ups (\(s.lookupHits) found), \(MemoryLimit.describe(s.storedBytes)) on disk (deleted)"
    }

    func run() throws {
        OutputWriter.installSignalHandling()
        let started = ContinuousClock.now
        var options = AnalysisOptions()
        options.inputFormat = inputFormat
        options.controllerColumn = controllerColumn
        if let d = delimiter { options.csv.delimiter = CSVDelimiterName.parse(d) }
        options.csv.hasHeader = header
        if let threads { options.threads = threads }
        options.keepMaskedExamples = keepMaskedExamples
        if let maxFieldBytes { options.limits.maxFieldBytes = maxFieldBytes }
        if let maxRecordBytes { options.limits.maxRecordBytes = maxRecordBytes }
        if let maxNestingDepth { options.limits.maxNestingDepth = maxNestingDepth }
        if let maxFields { options.limits.maxFields = maxFields }
        if verbose { options.progress = { OutputWriter.note(VerboseLog.line($0)) } }
        options.subjectMemory = subjectMemory()
        if let caseDatabase {
            return try runCase(caseDatabase, options: options)
        }
        let outcome = LeakAnalyzer(options: options).analyze(paths: files)
        if verbose, let note = Self.spillNote(outcome.spill) { OutputWriter.note(note) }
        if let column = outcome.missingControllerColumn {
            OutputWriter.note("--controller-column: no input has a field named '\(OutputSafety.plainText(column))'; see the field names with --format text")
            throw ExitCode(ImpactExit.usage)
        }
        if let failure = outcome.spillFailure {
            OutputWriter.note(failure + "; no report written (its counts would not be exact)")
            throw ExitCode(ImpactExit.cannotWrite)
        }
        for f in outcome.failures {
            OutputWriter.note(f.description)
        }
        for i in outcome.report.inputs where i.complete && i.records == 0 {
            OutputWriter.note("\(i.path): 0 records (\(i.bytes == 0 ? "the input is empty" : "no record found"))")
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
            OutputWriter.note("\(error)")
            throw ExitCode(ImpactExit.cannotWrite)
        }
        if verbose {
            let seconds = VerboseLog.decimal(VerboseLog.seconds(since: started), 2)
            OutputWriter.note("\(outcome.report.records) records from \(files.count) input\(files.count == 1 ? "" : "s") analysed and reported in \(seconds) s")
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

extension AnalyzeCommand {
    /// `--case`: the run goes through the case store; the printed report is the case's.
    func runCase(_ database: String, options: AnalysisOptions) throws {
        umask(0o077)
        let files = CaseFiles(database: database, key: caseKey)
        let outcome: CaseRunOutcome
        do {
            let store = try CaseStore.open(files)
            for note in store.notes { OutputWriter.note(note) }
            if store.created {
                OutputWriter.note("created the case \(files.database) and its key \(files.key) (mode 0600): keep the key apart from the database's backups")
            }
            outcome = try store.run(paths: self.files, options: options)
            try store.close()
            if verbose, let note = Self.spillNote(outcome.spill) { OutputWriter.note(note) }
        } catch let e as CaseStoreError {
            OutputWriter.note(e.description)
            throw ExitCode(ImpactExit.code(for: e))
        }
        for s in outcome.skipped {
            OutputWriter.note("\(s.path): already analysed in run \(s.sameAsRun) (as \(s.sameAsPath)); not counted again")
        }
        for u in outcome.unreadable { OutputWriter.note(u.description) }
        for f in outcome.failures { OutputWriter.note(f.description) }
        let data: Data
        switch format {
        case .json: data = outcome.reportJSON
        case .text: data = Data(TextReport.render(outcome.report).utf8)
        }
        try OutputWriter.emit(data, to: out)
        if !outcome.failures.isEmpty { throw ExitCode(ImpactExit.corruptInput) }
        if !outcome.unreadable.isEmpty { throw ExitCode(ImpactExit.noInput) }
        if strict && outcome.runReport.rejectedRecords > 0 {
            OutputWriter.note("\(outcome.runReport.rejectedRecords) records rejected in this run (--strict)")
            throw ExitCode(ImpactExit.rejectedRecords)
        }
    }
}

extension InputFormatChoice: ExpressibleByArgument {}

/// The lines of `--verbose`: counts, sizes and times, never a value of the leak.
enum VerboseLog {
    static func line(_ p: InputProgress) -> String {
        let mb = Double(p.bytesRead) / 1e6
        let rate = p.seconds > 0 ? mb / p.seconds : 0
        var s = "\(p.path): " + (p.finished ? "read: " : "reading: ") + "\(p.records) records"
        if p.rejectedRecords > 0 { s += " (\(p.rejectedRecords) rejected)" }
        s += ", \(decimal(mb, 1)) MB in \(decimal(p.seconds, 2)) s, \(decimal(rate, 1)) MB/s"
        return s
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// `x` with `places` decimals, without Foundation's locale-dependent formatting.
    static func decimal(_ x: Double, _ places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let n = Int((x * scale).rounded())
        let whole = n / Int(scale), frac = n % Int(scale)
        guard places > 0 else { return "\(whole)" }
        let f = String(frac)
        return "\(whole)." + String(repeating: "0", count: places - f.count) + f
    }
}

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
