import ArgumentParser

/// The `impact` command: subcommands; `analyze` is the default so `impact leak.csv` works.
public struct ImpactCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "Breach-impact analyzer for leaked datasets.",
        subcommands: [])
    public init() {}
}
