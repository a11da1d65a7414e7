import Foundation
import Testing
@testable import ImpactStore
import ImpactCore

/// Paths of the test data, found through `#filePath`: `<root>/Tests/ImpactStoreTests/Support/…`.
enum TestPaths {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let samples = shared.appendingPathComponent("samples")
    static let schemas = packageRoot.appendingPathComponent("schemas")
    static let labsEN = samples.appendingPathComponent("labs_en.csv")

    /// A fresh directory under the system's temporary directory (removed by the caller).
    static func temporaryDirectory() throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("impact-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    /// The `impact` binary built beside the test bundle (`swift test` builds it with the tests).
    static let binary: String = {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("impact").path)
        }
        candidates += [".build/debug/impact", ".build/x86_64-unknown-linux-gnu/debug/impact"].map {
            packageRoot.appendingPathComponent($0).path
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }()
}

/// `labs_en.csv` split into two halves, alternate records to each half, so that most
/// patients (who have several exam records) are in both.
struct SplitLeak {
    let dir: URL
    let halfA: String
    let halfB: String

    init() throws {
        dir = try TestPaths.temporaryDirectory()
        let text = try String(contentsOf: TestPaths.labsEN, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst()
        // Every record of this sample is one line (4,001 lines for 4,000 records).
        precondition(lines.count == 4000)
        var a = [header], b = [header]
        for (i, l) in lines.enumerated() { if i % 2 == 0 { a.append(l) } else { b.append(l) } }
        halfA = dir.appendingPathComponent("export-part1.csv").path
        halfB = dir.appendingPathComponent("export-part2.csv").path
        try (a.joined(separator: "\n") + "\n").write(toFile: halfA, atomically: true, encoding: .utf8)
        try (b.joined(separator: "\n") + "\n").write(toFile: halfB, atomically: true, encoding: .utf8)
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: dir) }
}

/// Runs the `impact` binary.
struct CommandRun {
    var status: Int32
    var reason: Process.TerminationReason
    var stdout: Data
    var stderr: String

    static func run(_ args: [String]) throws -> CommandRun {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestPaths.binary)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes concurrently so that a full stderr pipe cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !errReader.isFinished { Thread.sleep(forTimeInterval: 0.005) }
        return CommandRun(status: p.terminationStatus, reason: p.terminationReason, stdout: o,
                          stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// The counts of a report that must not depend on how the files were split into runs.
struct CaseCounts: Equatable, CustomStringConvertible {
    var controllers: [ImpactReport.Controller]
    var subjects: Int
    var subjectsAtTwoOrMoreControllers: Int
    var subjectsByCategory: [String: Int]
    var healthProfessionals: Int
    var records: Int
    var recordsWithoutIdentifier: Int
    var identityBasis: [String: Int]

    init(_ r: ImpactReport) {
        controllers = r.controllers
        subjects = r.subjects
        subjectsAtTwoOrMoreControllers = r.subjectsAtTwoOrMoreControllers
        subjectsByCategory = r.subjectsByCategory
        healthProfessionals = r.healthProfessionals
        records = r.records
        recordsWithoutIdentifier = r.recordsWithoutIdentifier
        identityBasis = r.identityBasis
    }

    var description: String {
        "subjects \(subjects), professionals \(healthProfessionals), records \(records), controllers "
            + controllers.map { "\($0.id):\($0.subjects)/\($0.records)" }.joined(separator: " ")
    }
}
