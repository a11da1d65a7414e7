import Foundation
import GRDB
import Testing
@testable import ImpactStore
import ImpactCore

/// `impact FILE --case`, `impact report` and `impact cases list` as a user runs them (the
/// binary built beside the tests): reports, exit codes, interruption, concurrency.
@Suite(.serialized) struct CaseCommandLineTests {
    /// Validates JSON against a schema of `schemas/` with Python's `jsonschema` (installed by `.ci/run`).
    static func validate(_ json: Data, schema: String, in dir: URL) throws -> (Int32, String) {
        let file = dir.appendingPathComponent("validate-\(UUID().uuidString).json")
        try json.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
            errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=str)
            for e in errors[:5]: print(e.message[:300], list(e.path))
            sys.exit(1 if errors else 0)
            """, TestPaths.schemas.appendingPathComponent(schema).path, file.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, out)
    }

    @Test func reportReprintsWhatTheRunPrintedAndValidates() throws {
        let leak = try SplitLeak()
        defer { leak.remove() }
        let db = leak.path("case.db")
        let first = try CommandRun.run([leak.halfA, "--case", db, "--format", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("created the case"))
        let report1 = try CommandRun.run(["report", db, "--format", "json"])
        #expect(report1.status == 0)
        #expect(report1.stdout == first.stdout)

        let second = try CommandRun.run([leak.halfB, "--case", db])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.isEmpty)
        let text2 = try CommandRun.run(["report", db])
        #expect(text2.status == 0)
        #expect(text2.stdout == second.stdout)

        let json2 = try CommandRun.run(["report", db, "--format", "json"])
        let (status, errors) = try Self.validate(json2.stdout, schema: "impact-report.schema.json", in: leak.dir)
        #expect(status == 0, "\(errors)")
        let combined = try ReportJSON.decode(json2.stdout)
        let together = LeakAnalyzer().analyze(paths: [leak.halfA, leak.halfB]).report
        #expect(CaseCounts(combined) == CaseCounts(together))
        #expect(combined.controllers.map(\.assessment) == together.controllers.map(\.assessment))

        // The same file again: recognised, not counted, the same report.
        let again = try CommandRun.run([leak.halfA, "--case", db, "--format", "json"])
        #expect(again.status == 0)
        #expect(again.stdout == json2.stdout)
        #expect(again.stderr.contains("already analysed in run 1"))

        let list = try CommandRun.run(["cases", "list", db, "--format", "json"])
        #expect(list.status == 0)
        let summary = try JSONSerialization.jsonObject(with: list.stdout) as? [String: Any]
        let runs = try #require(summary?["runs"] as? [[String: Any]])
        #expect(runs.map { $0["status"] as? String } == ["complete", "complete", "nothing_new"])
        let inputs = runs.flatMap { ($0["inputs"] as? [[String: Any]]) ?? [] }
        #expect(inputs.map { $0["path"] as? String } == [leak.halfA, leak.halfB])
        #expect(inputs.first?["sha256"] as? String == (try InputDigest.of(path: leak.halfA)).sha256)
        let text = try CommandRun.run(["cases", "list", db])
        #expect(text.status == 0)
        #expect(String(decoding: text.stdout, as: UTF8.self).contains("skipped: \(leak.halfA)"))
    }

    /// Issue 4 "done when": killing the process in the middle of a large file leaves a case
    /// that `impact report` reads without error and with the previous counts. The signal is
    /// sent once the child has hashed the file and read a quarter of it for the analysis
    /// (`rchar` of /proc/PID/io), not after a delay.
    /// `--keep-masked-examples` with `--case` (issue 4 §3): the examples are printed, stored in
    /// `field.masked_examples`, and `impact report` shows them (text and JSON, which validates).
    /// A run without the flag stores none for its fields; the case report keeps showing the
    /// examples stored by the earlier run. Without the flag at all, none anywhere.
    @Test func maskedExamplesAreStoredOnlyWhenAskedAndReprinted() throws {
        let leak = try SplitLeak()
        defer { leak.remove() }
        let plainDB = leak.path("plain.db")
        let plain = try CommandRun.run([leak.halfA, "--case", plainDB, "--format", "json"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!String(decoding: plain.stdout, as: UTF8.self).contains("masked_examples"))
        #expect(try Self.storedExamples(plainDB).allSatisfy { $0 == nil })

        let db = leak.path("case.db")
        let first = try CommandRun.run([leak.halfA, "--case", db, "--keep-masked-examples"])
        #expect(first.status == 0, "\(first.stderr)")
        let line = "\n      masked examples: 999999999999999 | 999999X99999999\n"
        #expect(String(decoding: first.stdout, as: UTF8.self).contains(line))
        let text = try CommandRun.run(["report", db])
        #expect(text.stdout == first.stdout)
        let second = try CommandRun.run([leak.halfB, "--case", db])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(String(decoding: second.stdout, as: UTF8.self).contains(line))
        let stored = try Self.storedExamples(db)
        #expect(stored.count == 44)
        #expect(stored.prefix(22).allSatisfy { $0 != nil } && stored.suffix(22).allSatisfy { $0 == nil })

        let json = try CommandRun.run(["report", db, "--format", "json"])
        let (status, errors) = try Self.validate(json.stdout, schema: "impact-report.schema.json", in: leak.dir)
        #expect(status == 0, "\(errors)")
        let report = try ReportJSON.decode(json.stdout)
        #expect(report.fields.first { $0.name == "date_of_birth" }?.maskedExamples == ["9999-99-99"])
        #expect(report.fields.allSatisfy { $0.maskedExamples != nil })
    }

    /// `field.masked_examples` of every field of every run, in order (nil: not kept).
    static func storedExamples(_ path: String) throws -> [String?] {
        let q = try DatabaseQueue(path: path, configuration: CaseStore.configuration(readonly: true))
        defer { try? q.close() }
        return try q.read { db in
            try Row.fetchAll(db, sql: "SELECT masked_examples FROM field ORDER BY run, position").map { $0[0] as String? }
        }
    }

    @Test(arguments: [SIGKILL, SIGINT])
    func aRunKilledMidFileLeavesTheCaseAsItWas(signal: Int32) throws {
        let leak = try SplitLeak()
        defer { leak.remove() }
        let db = leak.path("case.db")
        let first = try CommandRun.run([leak.halfA, "--case", db, "--format", "json"])
        #expect(first.status == 0)
        let before = try CaseStoreTests.identityRows(db)

        // A large file of the same leak: the sample's records 8 times (≈ 8 MB).
        let big = leak.path("big-export.csv")
        let sample = try Data(contentsOf: TestPaths.labsEN)
        let body = sample[(sample.firstIndex(of: 0x0A)! + 1)...]
        _ = FileManager.default.createFile(atPath: big, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        h.write(sample)
        for _ in 0..<7 { h.write(body) }
        try h.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: big)[.size] as? Int)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestPaths.binary)
        p.arguments = [big, "--case", db, "--format", "json"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let target = size + size / 4
        var readSoFar = 0
        let deadline = Date().addingTimeInterval(120)
        while p.isRunning && Date() < deadline {
            if let io = try? String(contentsOfFile: "/proc/\(p.processIdentifier)/io", encoding: .utf8),
               let line = io.split(separator: "\n").first(where: { $0.hasPrefix("rchar:") }),
               let n = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) {
                readSoFar = n
                if n >= target { break }
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
        #expect(p.isRunning, "the run ended before it could be interrupted (read \(readSoFar) of \(target) bytes)")
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        if signal == SIGKILL {
            #expect(p.terminationReason == .uncaughtSignal)
        } else {
            #expect(p.terminationReason == .exit && p.terminationStatus == 130)
        }

        let report = try CommandRun.run(["report", db, "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout == first.stdout)
        #expect(try CaseStoreTests.identityRows(db) == before)
        #expect(try CaseInspection.summary(database: db).runs.count == 1)
        // The lock died with the process: the next run goes through.
        let next = try CommandRun.run([leak.halfB, "--case", db, "--format", "json"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try ReportJSON.decode(next.stdout).records == 4000)
    }

    @Test func aConcurrentRunIsRefusedWithExit75() throws {
        let leak = try SplitLeak()
        defer { leak.remove() }
        let db = leak.path("case.db")
        let holder = try CaseStore.open(CaseFiles(database: db))
        let r = try CommandRun.run([leak.halfA, "--case", db])
        #expect(r.status == 75)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("in use by another run"))
        #expect(r.stderr.split(separator: "\n").count == 1)
        try holder.close()
        #expect(try CommandRun.run([leak.halfA, "--case", db]).status == 0)
    }

    @Test func caseErrorsMapToDocumentedExitCodes() throws {
        let leak = try SplitLeak()
        defer { leak.remove() }
        let db = leak.path("case.db")
        let help = String(decoding: try CommandRun.run(["--help"]).stdout, as: UTF8.self)
        #expect(help.contains("75 case in use by another run; 78 case unusable"))
        #expect(try CommandRun.run(["report", db]).status == 66)
        #expect(try CommandRun.run(["cases", "list", db]).status == 66)
        #expect(try CommandRun.run(["-", "--case", db]).status == 64)
        #expect(try CommandRun.run([leak.halfA, "--case-key", db + ".key"]).status == 64)
        #expect(try CommandRun.run([leak.halfA, "--case", db, "--format", "json"]).status == 0)
        // An input that cannot be opened: the case report is printed, exit 66.
        let missing = try CommandRun.run([leak.path("missing.csv"), "--case", db, "--format", "json"])
        #expect(missing.status == 66)
        #expect(!missing.stdout.isEmpty)
        // Without its key, the case is refused (and no new key is made).
        try FileManager.default.moveItem(atPath: db + ".key", toPath: leak.path("kept-apart.key"))
        let noKey = try CommandRun.run([leak.halfB, "--case", db])
        #expect(noKey.status == 78)
        #expect(noKey.stderr.contains("key"))
        #expect(!FileManager.default.fileExists(atPath: db + ".key"))
        #expect(try CommandRun.run([leak.halfB, "--case", db, "--case-key", leak.path("kept-apart.key")]).status == 0)
        // Reports need no key.
        #expect(try CommandRun.run(["report", db]).status == 0)
        // Not a case.
        #expect(try CommandRun.run(["report", leak.halfA]).status == 78)
    }
}
