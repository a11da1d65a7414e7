import ArgumentParser

/// The `impact` command: subcommands; `analyze` is the default so `impact leak.csv` works.
public struct ImpactCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "Breach-impact analyzer for leaked datasets: who is hit, at which controller, with which special categories.",
        discussion: ImpactExit.helpText,
        version: "0.1.0",
        subcommands: [AnalyzeCommand.self, DraftCommand.self, SynthCommand.self, EvalCommand.self,
                      ReportCommand.self, CasesCommand.self],
        defaultSubcommand: AnalyzeCommand.self)
    public init() {}
}
