import ArgumentParser
import Foundation
import ImpactSynth

/// `impact eval TRUTH REPORT`: compares an analysis report with a ground-truth file.
///
/// Exit codes: 0 every threshold met; 1 a threshold missed; 64 unreadable input or bad option.
public struct EvalCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Compare an impact report (JSON) with a truth file and check thresholds.",
        discussion: """
        Field classification: precision, recall and F1 per category over all fields. Counts: \
        distinct subjects per controller (matched by id) and per category, totals, records. \
        A count passes when its error is at most --max-count-error or at most \
        --max-relative-error of the truth; pass both as 0 to demand exact counts. \
        Exit 0 when every threshold is met, 1 when one is missed, 64 on unreadable input.
        """)

    @Argument(help: "Truth file (truth.json from impact synth, or a *.truth.json sample).")
    public var truth: String

    @Argument(help: "Report of `impact FILE --format json`.")
    public var report: String

    @Option(name: .customLong("min-f1"), help: "Lowest F1 accepted for any category.")
    public var minF1: Double = 0.98

    @Option(name: .customLong("max-count-error"), help: "Largest absolute count error accepted.")
    public var maxCountError: Int = 0

    @Option(name: .customLong("max-relative-error"), help: "Largest relative count error accepted (0.005 = 0.5%).")
    public var maxRelativeError: Double = 0.005

    @Option(name: .long, help: "Output: text (tables), line (one line), or json.")
    public var format: String = "text"

    public init() {}

    public func validate() throws {
        guard ["text", "line", "json"].contains(format) else {
            throw ValidationError("format must be text, line or json")
        }
        guard (0...1).contains(minF1) else { throw ValidationError("--min-f1 must be between 0 and 1") }
        guard maxCountError >= 0 else { throw ValidationError("--max-count-error must be >= 0") }
        guard maxRelativeError >= 0 else { throw ValidationError("--max-relative-error must be >= 0") }
    }

    public func run() throws {
        let truthValue: SynthTruth
        let reportValue: ReportSummary
        do {
            truthValue = try JSONDecoder().decode(SynthTruth.self, from: try read(truth, what: "truth"))
        } catch let error as ExitCode {
            throw error
        } catch {
            throw failure("the truth file is not a truth JSON (\(describe(error)))")
        }
        do {
            reportValue = try ReportSummary.decode(try read(report, what: "report"))
        } catch let error as ExitCode {
            throw error
        } catch {
            throw failure("the report is not an impact JSON report (\(describe(error)))")
        }
        let evaluation = Evaluation.evaluate(
            truth: truthValue, report: reportValue,
            thresholds: EvaluationThresholds(minF1: minF1, maxCountError: maxCountError,
                                             maxRelativeError: maxRelativeError))
        switch format {
        case "line": print(evaluation.renderLine())
        case "json": print(try evaluation.renderJSON(), terminator: "")
        default: print(evaluation.renderTable(), terminator: "")
        }
        if !evaluation.passed { throw ExitCode(1) }
    }

    private func read(_ path: String, what: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw failure("cannot read the \(what) file")
        }
        return data
    }

    /// The kind of a decoding error and where, never the value.
    private func describe(_ error: Error) -> String {
        if let e = error as? DecodingError {
            switch e {
            case .keyNotFound(let key, let ctx):
                return "missing key \(key.stringValue) at \(path(ctx.codingPath))"
            case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
                return "unexpected type at \(path(ctx.codingPath))"
            case .dataCorrupted(let ctx):
                return ctx.codingPath.isEmpty ? "invalid JSON" : "invalid value at \(path(ctx.codingPath))"
            @unknown default:
                return "undecodable"
            }
        }
        return "undecodable"
    }

    private func path(_ keys: [CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// Prints `message` on standard error and returns the usage exit code (64) to throw.
    private func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("impact eval: \(message)\n".utf8))
        return ExitCode.validationFailure
    }
}
