import Foundation
import Testing

/// The `impact` binary as a user runs it: exit codes, messages, pipes, signals, output files.
/// Runs `.build/debug/impact` (built by `swift test` with the test products).
@Suite(.serialized) struct CommandLineTests {
    static let binary: String = {
        let candidates = [".build/debug/impact", ".build/x86_64-unknown-linux-gnu/debug/impact"]
        for c in candidates {
            let p = TestPaths.packageRoot.appendingPathComponent(c).path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return TestPaths.packageRoot.appendingPathComponent(candidates[0]).path
    }()

    struct Run { var status: Int32; var reason: Process.TerminationReason; var stdout: String; var stderr: String }

    static func run(_ args: [String], shell: String? = nil) throws -> Run {
        let p = Process()
        if let shell {
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["-c", shell]
        } else {
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = args
        }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, reason: p.terminationReason,
                   stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func helpDocumentsTheExitCodes() throws {
        let r = try Self.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Exit codes: 0 analysed"))
        #expect(r.stdout.contains("65 corrupt or truncated input"))
    }

    @Test func missingFileIsOneClearLineAndExit66() throws {
        let r = try Self.run(["/nonexistent/leak.csv"])
        #expect(r.status == 66)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("/nonexistent/leak.csv"))
    }

    @Test func directoryIsRefusedWithExit66() throws {
        let r = try Self.run([TestPaths.cases.path])
        #expect(r.status == 66)
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    /// An unknown --controller-column was ignored silently and the controllers switched from
    /// FINESS to lab names (tester's F6): now a usage error, no report, the case untouched.
    @Test func unknownControllerColumnIsAUsageError() throws {
        let leak = TestPaths.fixtures.appendingPathComponent("lab-leak-en.csv").path
        let r = try Self.run([leak, "--controller-column", "nope", "--format", "json"])
        #expect(r.status == 64)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("no input has a field named 'nope'"))
        let good = try Self.run([leak, "--controller-column", "lab_finess", "--format", "json"])
        #expect(good.status == 0)
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("case.db").path
        let c = try Self.run([leak, "--case", db, "--controller-column", "nope"])
        #expect(c.status == 64)
        let cases = try Self.run(["cases", "list", db])
        #expect(!cases.stdout.contains("lab-leak-en.csv"))
    }

    @Test func unknownOptionIsAUsageError() throws {
        let r = try Self.run(["--no-such-option", "x.csv"])
        #expect(r.status == 64)
    }

    /// Case `025-truncated-gzip`: never a silently partial count.
    @Test func truncatedGzipExits65AndSaysIncomplete() throws {
        let r = try Self.run([TestPaths.caseFile("025-truncated-gzip", "a-truncated.csv.gz")])
        #expect(r.status == 65)
        #expect(r.stdout.hasPrefix("INCOMPLETE"))
        #expect(r.stderr.contains("truncated"))
    }

    /// Case `015-jsonl-broken-lines`: with --strict, rejected records fail the run.
    @Test func strictTurnsRejectionsIntoExit2() throws {
        let path = TestPaths.caseFile("015-jsonl-broken-lines", "input.jsonl")
        #expect(try Self.run([path]).status == 0)
        let r = try Self.run([path, "--strict"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("2 records rejected"))
    }

    @Test func closedPipeEndsQuietly() throws {
        let sample = TestPaths.samples.appendingPathComponent("labs_en.csv").path
        let r = try Self.run([], shell: "set -o pipefail; '\(Self.binary)' '\(sample)' | head -c 10 > /dev/null")
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
    }

    @Test func outputFileIsOwnerOnlyAndSameBytesOnRerun() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sample = TestPaths.samples.appendingPathComponent("labs_utf8_multiline.csv").path
        let a = dir.appendingPathComponent("a.json").path, b = dir.appendingPathComponent("b.json").path
        #expect(try Self.run([sample, "--format", "json", "--out", a]).status == 0)
        #expect(try Self.run([sample, "--format", "json", "--out", b]).status == 0)
        let attrs = try FileManager.default.attributesOfItem(atPath: a)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["a.json", "b.json"])
    }

    /// SIGINT exits 130, SIGTERM 143 (finding F13: both were 130, silently), with one line on
    /// standard error and no output file.
    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func interruptLeavesNoOutputFile(signal: Int32, status: Int32) throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A leak large enough to still be running when the signal comes.
        let big = dir.appendingPathComponent("big.csv")
        let sample = try Data(contentsOf: TestPaths.samples.appendingPathComponent("labs_en.csv"))
        let body = sample[sample.firstIndex(of: 0x0A)! + 1 ..< sample.count]
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let h = try FileHandle(forWritingTo: big)
        h.write(sample)
        for _ in 0..<30 { h.write(body) }
        try h.close()
        let out = dir.appendingPathComponent("report.json").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = [big.path, "--format", "json", "--out", out]
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        try p.run()
        Thread.sleep(forTimeInterval: 0.3)
        kill(p.processIdentifier, signal)
        let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == status)
        #expect(said == "impact: interrupted; nothing written (a case is left as it was before the run)\n")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["big.csv"])
    }

    /// Issue 5: `impact draft CASE.db` drafts from the case's current report.
    @Test func draftsFromACaseDatabase() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let leak = TestPaths.fixtures.appendingPathComponent("lab-leak-fr.csv").path
        let db = dir.appendingPathComponent("case.db").path
        let json = dir.appendingPathComponent("report.json").path
        #expect(try Self.run([leak, "--case", db, "--format", "json", "--out", json]).status == 0)
        let drafts = dir.appendingPathComponent("drafts").path
        let r = try Self.run(["draft", db, "--out", drafts, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        let controllers = try #require(report?["controllers"] as? [[String: Any]])
        let folders = try FileManager.default.contentsOfDirectory(atPath: drafts).sorted()
        #expect(folders == controllers.compactMap { $0["id"] as? String }.sorted())
    }
}
