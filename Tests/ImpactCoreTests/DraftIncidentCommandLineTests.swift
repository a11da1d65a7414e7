import Foundation
import Testing

/// Finding F7 through the binary: `impact draft --incident` with invalid dates, misspelt keys
/// and a controller absent from the report.
@Suite(.serialized) struct DraftIncidentCommandLineTests {
    static func report(in dir: URL) throws -> String {
        let out = dir.appendingPathComponent("report.json").path
        let sample = TestPaths.samples.appendingPathComponent("labs_en.csv").path
        #expect(try CommandLineTests.run([sample, "--format", "json", "--out", out]).status == 0)
        return out
    }

    @Test func invalidIncidentFileListsEveryProblemAndExits65() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = try Self.report(in: dir)
        let incident = dir.appendingPathComponent("i.yaml")
        try Data("dates:\n  awareness_at: yesterday\n  start: 2026-02-30T10:00:00\n  awarness_at: 2026-11-27T18:30:00\nmalicous: true\n".utf8).write(to: incident)
        let drafts = dir.appendingPathComponent("drafts").path
        let r = try CommandLineTests.run(["draft", report, "--incident", incident.path, "--out", drafts])
        #expect(r.status == 65)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "impact draft: incident file: 4 problems (see schemas/incident.schema.json)")
        #expect(lines.dropFirst().map { $0.split(separator: ":").prefix(2).joined(separator: ":") } == [
            "  line 2: dates.awareness_at", "  line 3: dates.start", "  line 4: dates.awarness_at", "  line 5: malicous",
        ])
        #expect(!FileManager.default.fileExists(atPath: drafts))
    }

    @Test func controllerAbsentFromTheReportIsAWarning() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = try Self.report(in: dir)
        let incident = dir.appendingPathComponent("i.yaml")
        try Data("controllers:\n  \"999999999\": {name: Labo}\ndates:\n  awareness_at: 2026-11-27T18:30:00\n".utf8).write(to: incident)
        let drafts = dir.appendingPathComponent("drafts").path
        let r = try CommandLineTests.run(["draft", report, "--incident", incident.path, "--out", drafts, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "impact draft: warning: incident file: controllers.999999999: not a controller of the report; its facts are not used\n")
        #expect(!r.stdout.isEmpty)
    }
}
