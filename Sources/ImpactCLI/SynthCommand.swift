import ArgumentParser
import Foundation
import ImpactSynth

/// `impact synth`: writes a synthetic leak and its ground truth.
///
/// Exit codes: 0 written; 64 invalid option (usage); 1 the files could not be written.
public struct SynthCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a synthetic leak with its ground truth (truth.json).",
        discussion: """
        Writes DIR/leak.csv (or leak.csv.gz, leak.jsonl, leak.json) and DIR/truth.json. \
        The same options and seed give the same bytes. Shapes: \
        \(SynthShape.allCases.map(\.rawValue).joined(separator: ", ")).

        Regression test over your own leak shape: pick the shape and dialect closest to your \
        export, generate it with a fixed seed, analyse it and compare:
          impact synth --out /tmp/t --shape french-lab --records 20000 --seed 7
          impact /tmp/t/leak.csv --format json > /tmp/t/report.json
          impact eval /tmp/t/truth.json /tmp/t/report.json
        Keep the command lines (not the files) in your test suite: they regenerate the same leak.
        """)

    @Option(name: .long, help: "Output directory (created if missing).")
    public var out: String

    @Option(name: .long, help: "Seed of the generator.")
    public var seed: UInt64 = 1

    @Option(name: .long, help: "Records in the file (CSV rows, JSON Lines lines, JSON array elements).")
    public var records: Int = 10_000

    @Option(name: .long, help: "Laboratories (controllers) drawn.")
    public var controllers: Int = 8

    @Option(name: .long, help: "Shape: \(SynthShape.allCases.map(\.rawValue).joined(separator: ", ")).")
    public var shape: String = SynthShape.frenchLab.rawValue

    @Option(name: .long, help: "CSV delimiter: ';', ',', '|' or tab (default: the shape's).")
    public var delimiter: String?

    @Option(name: .long, help: "Encoding: utf-8 or windows-1252 (default: the shape's).")
    public var encoding: String?

    @Option(name: .customLong("line-ending"), help: "Line ending: lf or crlf (default: the shape's).")
    public var lineEnding: String?

    @Flag(name: .long, help: "Compress the leak with gzip.")
    public var gzip = false

    @Flag(name: .long, help: "Start a UTF-8 CSV with a byte order mark.")
    public var bom = false

    public init() {}

    /// The configuration the options describe; throws `ValidationError` (exit 64).
    public func makeConfig() throws -> SynthConfig {
        guard let shape = SynthShape(rawValue: shape) else {
            throw ValidationError("unknown shape; expected one of \(SynthShape.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var delimiterByte: UInt8?
        if let delimiter {
            switch delimiter {
            case ";", "semicolon": delimiterByte = UInt8(ascii: ";")
            case ",", "comma": delimiterByte = UInt8(ascii: ",")
            case "|", "pipe": delimiterByte = UInt8(ascii: "|")
            case "\t", "tab", "\\t": delimiterByte = UInt8(ascii: "\t")
            default: throw ValidationError("delimiter must be ';', ',', '|' or tab")
            }
        }
        var encodingValue: SynthEncoding?
        if let encoding {
            switch encoding.lowercased() {
            case "utf-8", "utf8": encodingValue = .utf8
            case "windows-1252", "cp1252": encodingValue = .windows1252
            default: throw ValidationError("encoding must be utf-8 or windows-1252")
            }
        }
        var lineEndingValue: SynthLineEnding?
        if let lineEnding {
            guard let value = SynthLineEnding(rawValue: lineEnding.lowercased()) else {
                throw ValidationError("line ending must be lf or crlf")
            }
            lineEndingValue = value
        }
        let config = SynthConfig(seed: seed, records: records, controllers: controllers,
                                 shape: shape, delimiter: delimiterByte, encoding: encodingValue,
                                 lineEnding: lineEndingValue, gzip: gzip, bom: bom)
        do {
            try config.validate()
        } catch let error as SynthError {
            throw ValidationError(error.description)
        }
        return config
    }

    public func validate() throws {
        _ = try makeConfig()
    }

    public func run() throws {
        let config = try makeConfig()
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        let truth: SynthTruth
        do {
            truth = try SyntheticLeak.write(config, to: directory)
        } catch let error as SynthError {
            FileHandle.standardError.write(Data("impact synth: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let leak = directory.appendingPathComponent(config.leakFileName).path
        print("impact synth: wrote \(leak) (\(truth.records) records, \(truth.controllers.count) controllers, \(truth.totals.subjects) subjects) and \(directory.appendingPathComponent(SyntheticLeak.truthFileName).path)")
    }
}
