import Foundation
import ImpactTestSupport
import Testing
@testable import ImpactCore

/// Issue 7 at the command line: hostile and broken inputs get one clear line and a defined exit
/// code, every record is accounted for, and no run ends with a report that looks complete when
/// it is not. Inputs are generated in a temporary directory; the 64 MiB and 100,000-level
/// versions run from `scripts/hostile-inputs.sh` (README, "Limits"); here the same shapes run
/// scaled down, with the limits lowered through the hidden `--max-…` options.
@Suite(.serialized) struct HostileInputTests {
    typealias CLI = CommandLineTests

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func write(_ dir: URL, _ name: String, _ data: Data) throws -> String {
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    /// One line on standard error, naming the input.
    static func expectOneLine(_ r: CLI.Run, naming path: String?, containing text: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr has \(lines.count) lines", sourceLocation: sourceLocation)
        if let path { #expect(r.stderr.contains((path as NSString).lastPathComponent), sourceLocation: sourceLocation) }
        #expect(r.stderr.contains(text), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
    }

    // MARK: - Limits

    /// Case `024-huge-single-line`, scaled: one line over the field limit in CSV and JSON Lines is
    /// rejected with its line; the records around it are analysed; the run goes on and exits 0
    /// (2 with --strict).
    @Test(arguments: ["csv", "jsonl"])
    func hugeSingleLineIsRejectedWithItsLineAndTheRunGoesOn(format: String) throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let filler = String(repeating: "x", count: 2 << 20)
        let text = format == "csv"
            ? "id,nom,email,notes\n1,Aubry,aubry@exemple.fr,ok\n2,Blot,blot@exemple.fr,\(filler)\n3,Cordier,cordier@exemple.fr,ok\n"
            : "{\"nom\": \"Aubry\", \"email\": \"aubry@exemple.fr\"}\n{\"nom\": \"Blot\", \"email\": \"blot@exemple.fr\", \"notes\": \"\(filler)\"}\n{\"nom\": \"Cordier\", \"email\": \"cordier@exemple.fr\"}\n"
        let path = try Self.write(dir, "input.\(format)", Data(text.utf8))
        let r = try CLI.run([path, "--format", "json", "--max-field-bytes", "1048576"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        let report = try Self.json(r.stdout)
        #expect(report["records"] as? Int == 3)
        #expect(report["analysed_records"] as? Int == 2)
        #expect(report["rejected_records"] as? Int == 1)
        #expect(report["complete"] as? Bool == true)
        #expect(report["counts_are_lower_bound"] as? Bool == true)
        let rejection = try #require((report["rejections"] as? [[String: Any]])?.first)
        #expect(rejection["line"] as? Int == (format == "csv" ? 3 : 2))
        #expect(rejection["reason"] as? String == "record_too_large")
        #expect(report["subjects"] as? Int == 2)
        #expect(r.stdout.count < 100_000, "the report echoes the oversize field")
        let strict = try CLI.run([path, "--max-field-bytes", "1048576", "--strict"])
        #expect(strict.status == 2)
        Self.expectOneLine(strict, naming: nil, containing: "1 records rejected (--strict)")
    }

    /// A JSON document nested 100,000 levels deep stops at the nesting limit at once: exit 65, one
    /// line, a report marked incomplete. In JSON Lines the deep line alone is rejected.
    @Test func deepJSONNestingStopsTheDocumentAndRejectsTheLine() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let document = try Self.write(dir, "deep.json", Data(deep.utf8))
        let r = try CLI.run([document, "--format", "json"])
        #expect(r.status == 65)
        Self.expectOneLine(r, naming: document, containing: "nesting deeper than 512 levels")
        #expect(try Self.json(r.stdout)["complete"] as? Bool == false)

        let object = String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        let lines = try Self.write(dir, "deep.jsonl", Data((object + "\n{\"nom\": \"Aubry\", \"email\": \"aubry@exemple.fr\"}\n").utf8))
        let l = try CLI.run([lines, "--format", "json"])
        #expect(l.status == 0)
        let report = try Self.json(l.stdout)
        #expect(report["analysed_records"] as? Int == 1)
        let rejection = try #require((report["rejections"] as? [[String: Any]])?.first)
        #expect(rejection["line"] as? Int == 1)
        #expect(rejection["reason"] as? String == "nesting_too_deep")
    }

    /// A file of NUL bytes is not text: exit 65, one line, nothing counted.
    @Test func fileOfNULBytesIsRefusedAsNotText() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.write(dir, "zeros.csv", Data(count: 1 << 20))
        let r = try CLI.run([path])
        #expect(r.status == 65)
        Self.expectOneLine(r, naming: path, containing: "input is not text: 100 %")
        #expect(r.stdout.hasPrefix("INCOMPLETE"))
        #expect(!r.stdout.utf8.contains(0))
    }

    /// A header of 100,000 columns (longer than the 64 KiB sniffing sample) is recognised as a
    /// header and refused over the column limit: exit 65, one line.
    @Test func hundredThousandColumnHeaderIsRefusedOverTheLimit() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let header = (0..<100_000).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<100_000).map { "\($0)" }.joined(separator: ",")
        let path = try Self.write(dir, "wide.csv", Data((header + "\n" + row + "\n").utf8))
        let r = try CLI.run([path])
        #expect(r.status == 65)
        Self.expectOneLine(r, naming: path, containing: "the header has 100000 columns, more than the limit of 16384")
        #expect(r.stdout.hasPrefix("INCOMPLETE"))
    }

    /// Random bytes and compressed data (seeded) are not text: exit 65 and one line each.
    @Test func binaryJunkIsRefusedWithOneLine() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SeededGenerator(seed: 25)
        var paths: [String] = []
        for (k, prefix) in [[], Array("PK\u{03}\u{04}".utf8), [0x89] + Array("PNG\r\n".utf8)].enumerated() {
            var junk = prefix
            for _ in 0..<200_000 { junk.append(UInt8.random(in: 0...255, using: &rng)) }
            if k == 0 { junk[0] = 0x07 }  // not '{' or '[': read as CSV
            paths.append(try Self.write(dir, "junk\(k).bin", Data(junk)))
        }
        for path in paths {
            let r = try CLI.run([path, "--format", "json"])
            #expect(r.status == 65)
            Self.expectOneLine(r, naming: path, containing: "input is not text")
            #expect(try Self.json(r.stdout)["complete"] as? Bool == false)
        }
    }

    /// An empty file: 0 records, a one-line notice, exit 0 (nothing was lost).
    @Test func emptyFileGivesZeroRecordsAndANotice() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.write(dir, "empty.csv", Data())
        let r = try CLI.run([path, "--format", "json"])
        #expect(r.status == 0)
        Self.expectOneLine(r, naming: path, containing: "0 records (the input is empty)")
        let report = try Self.json(r.stdout)
        #expect(report["records"] as? Int == 0)
        #expect(report["complete"] as? Bool == true)
    }

    /// Unreadable files, directories and missing files: one clear line each, exit 66.
    @Test(.enabled(if: getuid() != 0, "root reads any file"))
    func unreadableFileIsOneLineAndExit66() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Self.write(dir, "locked.csv", Data("a,b\n1,2\n".utf8))
        chmod(path, 0)
        let r = try CLI.run([path])
        #expect(r.status == 66)
        Self.expectOneLine(r, naming: path, containing: "permission denied")
    }

    // MARK: - Nothing lost

    /// Per input and in total, records read = analysed + rejected, over malformed cases read
    /// together; each rejection is listed.
    @Test func recordsAddUpPerInputAndInTotal() throws {
        let paths = [TestPaths.caseFile("006-ragged-rows", "input.csv"),
                     TestPaths.caseFile("010-nul-byte-in-field", "input.csv"),
                     TestPaths.caseFile("015-jsonl-broken-lines", "input.jsonl"),
                     TestPaths.caseFile("007-trailing-blank-lines-and-no-final-eol", "b.csv")]
        let r = try CLI.run(paths + ["--format", "json"])
        #expect(r.status == 0)
        let report = try Self.json(r.stdout)
        let inputs = try #require(report["inputs"] as? [[String: Any]])
        #expect(inputs.count == 4)
        var records = 0, analysed = 0, rejected = 0
        for i in inputs {
            let (n, a, x) = (i["records"] as? Int ?? -1, i["analysed_records"] as? Int ?? -1, i["rejected_records"] as? Int ?? -1)
            #expect(n == a + x, "\(i["path"] ?? "")")
            records += n; analysed += a; rejected += x
        }
        #expect(inputs.map { $0["records"] as? Int } == [4, 3, 5, 3])
        #expect(report["records"] as? Int == records)
        #expect(report["analysed_records"] as? Int == analysed)
        #expect(report["rejected_records"] as? Int == rejected)
        #expect(rejected == 2)
        #expect((report["rejections"] as? [[String: Any]])?.count == rejected)
    }

    /// Case `025-truncated-gzip`: neither file is ever `complete: true`, in JSON as in text.
    @Test(arguments: ["a-truncated.csv.gz", "b-bad-crc.csv.gz"])
    func truncatedOrCorruptGzipIsNeverComplete(file: String) throws {
        let path = TestPaths.caseFile("025-truncated-gzip", file)
        let r = try CLI.run([path, "--format", "json"])
        #expect(r.status == 65)
        Self.expectOneLine(r, naming: path, containing: file.hasPrefix("a") ? "truncated" : "CRC check failed")
        let report = try Self.json(r.stdout)
        #expect(report["complete"] as? Bool == false)
        #expect(report["counts_are_lower_bound"] as? Bool == true)
        #expect((report["inputs"] as? [[String: Any]])?.first?["complete"] as? Bool == false)
        #expect((report["incomplete_reasons"] as? [String])?.count == 1)
    }

    /// A JSON document cut in the middle (plain and gzip) is never complete: exit 65, the
    /// records before the cut are counted and the report says it is a lower bound.
    @Test func truncatedJSONDocumentIsNeverComplete() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let records = (0..<50).map { "{\"nom\": \"Nom\($0)\", \"email\": \"p\($0)@exemple.fr\"}" }
        let whole = "[" + records.joined(separator: ",\n") + "]\n"
        let cut = String(whole.prefix(whole.count * 6 / 10))
        let path = try Self.write(dir, "cut.json", Data(cut.utf8))
        let r = try CLI.run([path, "--format", "json"])
        #expect(r.status == 65)
        Self.expectOneLine(r, naming: path, containing: "(truncated)")
        let report = try Self.json(r.stdout)
        #expect(report["complete"] as? Bool == false)
        #expect((report["records"] as? Int).map { $0 > 0 && $0 < 50 } == true)
        let text = try CLI.run([path])
        #expect(text.stdout.hasPrefix("INCOMPLETE"))
        // Inside gzip: the JSON ends early although the gzip stream is intact.
        let gz = try CLI.run([], shell: "gzip -c '\(path)' > '\(path).gz' && '\(CLI.binary)' '\(path).gz' --format json")
        #expect(gz.status == 65)
        #expect(try Self.json(gz.stdout)["complete"] as? Bool == false)
    }

    /// --strict turns a rejection into exit 2, and still writes the report, which lists it.
    @Test func strictFailsWithARejectionAndStillWritesTheReport() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = TestPaths.caseFile("006-ragged-rows", "input.csv")
        let out = dir.appendingPathComponent("r.json").path
        let ok = try CLI.run([path, "--strict", "--format", "json", "--out", out, "--max-fields", "4"])
        #expect(ok.status == 2)
        let report = try Self.json(String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self))
        #expect(report["rejected_records"] as? Int == 1)
        #expect((report["rejections"] as? [[String: Any]])?.first?["reason"] as? String == "too_many_fields")
        // Ragged rows are warnings, not rejections: --strict passes without the lowered limit.
        #expect(try CLI.run([path, "--strict"]).status == 0)
    }

    // MARK: - Shared cases marked malformed or malicious, at the command line

    struct CaseRun: Sendable, CustomStringConvertible {
        var folder: String, file: String, status: Int32, records: Int, rejected: Int, subjects: Int?, warning: String?
        var description: String { "\(folder)/\(file)" }
    }

    static let cases: [CaseRun] = [
        CaseRun(folder: "006-ragged-rows", file: "input.csv", status: 0, records: 4, rejected: 0, subjects: 4, warning: "ragged_row"),
        CaseRun(folder: "007-trailing-blank-lines-and-no-final-eol", file: "a.csv", status: 0, records: 3, rejected: 0, subjects: 3, warning: nil),
        CaseRun(folder: "007-trailing-blank-lines-and-no-final-eol", file: "b.csv", status: 0, records: 3, rejected: 0, subjects: nil, warning: nil),
        CaseRun(folder: "009-very-long-field", file: "input.csv", status: 0, records: 3, rejected: 0, subjects: nil, warning: nil),
        CaseRun(folder: "010-nul-byte-in-field", file: "input.csv", status: 0, records: 3, rejected: 0, subjects: 3, warning: "nul_bytes"),
        CaseRun(folder: "015-jsonl-broken-lines", file: "input.jsonl", status: 0, records: 5, rejected: 2, subjects: 3, warning: nil),
        CaseRun(folder: "023-csv-formula-injection", file: "input.csv", status: 0, records: 3, rejected: 0, subjects: 3, warning: nil),
        CaseRun(folder: "025-truncated-gzip", file: "a-truncated.csv.gz", status: 65, records: -1, rejected: 0, subjects: nil, warning: nil),
        CaseRun(folder: "025-truncated-gzip", file: "b-bad-crc.csv.gz", status: 65, records: -1, rejected: 0, subjects: nil, warning: nil),
    ]

    /// Each case of `../shared/cases/` about broken or hostile input, through the binary: exit
    /// code, records read and rejected, subjects, the expected warning, and the text report
    /// with no NUL, escape or other control byte.
    @Test(arguments: cases)
    func sharedCaseAtTheCommandLine(_ c: CaseRun) throws {
        let path = TestPaths.caseFile(c.folder, c.file)
        let r = try CLI.run([path, "--format", "json"])
        #expect(r.status == c.status)
        let report = try Self.json(r.stdout)
        if c.records >= 0 { #expect(report["records"] as? Int == c.records) }
        #expect(report["rejected_records"] as? Int == c.rejected)
        #expect(report["complete"] as? Bool == (c.status == 0))
        if let s = c.subjects { #expect(report["subjects"] as? Int == s) }
        let kinds = (report["warnings"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        if let w = c.warning { #expect(kinds.contains(w)) } else if c.status == 0 { #expect(kinds.isEmpty) }
        let text = try CLI.run([path])
        #expect(text.status == c.status)
        #expect(!text.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) })
        #expect(text.stdout.count < 100_000)
    }
}

