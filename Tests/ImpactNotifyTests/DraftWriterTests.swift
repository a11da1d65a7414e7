import Foundation
import Testing
import ImpactNotify
import ImpactReporting

/// Drafts are written owner-only through a temporary file and a rename; templates can be replaced.
@Suite struct DraftWriterTests {
    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func filesAreOwnerOnlyAndComplete() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("drafts").path
        let docs = try Drafter(report: try Fixtures.report("golden_report.json"), incident: try Fixtures.incident()).documents()
        var written = try DraftWriter.write(docs, to: out)
        #expect(try Self.mode(out) == 0o700)
        #expect(try Self.mode(out + "/920794955") == 0o700)
        // A file already there with a wider mode is replaced, not reused.
        #expect(chmod(written[0], 0o644) == 0)
        written = try DraftWriter.write(docs, to: out)
        #expect(written.count == docs.count)
        for (path, d) in zip(written, docs) {
            #expect(try Self.mode(path) == 0o600, "\(path)")
            #expect(FileManager.default.contents(atPath: path) == d.contents)
        }
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: out).filter { $0.hasSuffix(".tmp") || $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    /// Finding F1: a draft path that is a symbolic link is written through (the link is
    /// kept, its target replaced atomically); a FIFO is written in place, not replaced.
    @Test func symbolicLinkAndFIFOAreNotReplaced() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("kept.json").path, link = dir.appendingPathComponent("link.json").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        #expect(symlink("kept.json", link) == 0)
        try DraftWriter.writeAtomically(Data("draft".utf8), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "kept.json")
        #expect(FileManager.default.contents(atPath: target) == Data("draft".utf8))
        #expect(try Self.mode(target) == 0o600)

        let fifo = dir.appendingPathComponent("fifo.json").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // Reader opened first (non-blocking), so the writer's open does not wait.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        try DraftWriter.writeAtomically(Data("draft".utf8), to: fifo)
        var buf = [UInt8](repeating: 0, count: 16)
        let n = read(reader, &buf, buf.count)
        #expect(n == 5)
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO)
    }

    @Test func formatsAndControllersAreSelected() throws {
        let report = try Fixtures.report("golden_report.json")
        let d = try Drafter(report: report, incident: nil, options: DraftOptions(language: .en, formats: [.json], controllers: ["540465739"]))
        #expect(try d.documents().map(\.path) == ["540465739/notification.en.json"])
        let noNotice = try Drafter(report: report, incident: nil, options: DraftOptions(formats: [.md], controllers: ["200957868"]))
        #expect(try noNotice.documents().map(\.path) == ["200957868/notification.fr.md", "200957868/letter-art34.fr.md"])
        #expect(throws: DraftError.unknownController("999")) {
            try Drafter(report: report, incident: nil, options: DraftOptions(controllers: ["999"])).documents()
        }
    }

    @Test func templatesDirectoryReplacesByName() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{{% CONTENT_TYPE: TEXT}}\nLettre pour {{controller_name}} : {{persons.total.display}} personnes.\n".utf8)
            .write(to: dir.appendingPathComponent("letter-art34.fr.md.mustache"))
        var (report, _) = syntheticReport(categories: ["health"])
        report.controllers[0].name = "Labo *A*"
        let docs = try Drafter(report: report, incident: nil, options: DraftOptions(formats: [.md], templatesDirectory: dir.path)).documents()
        let letter = try #require(docs.first { $0.path.hasSuffix("letter-art34.fr.md") })
        #expect(String(decoding: letter.contents, as: UTF8.self) == "Lettre pour Labo \\*A\\* : 10 personnes.\n")
        // The notification still comes from the bundled template.
        #expect(String(decoding: docs[0].contents, as: UTF8.self).hasPrefix("# Notification de violation"))

        try Data("{{#broken}}\n".utf8).write(to: dir.appendingPathComponent("notification.fr.md.mustache"))
        #expect(throws: DraftError.self) { try Drafter(report: report, incident: nil, options: DraftOptions(templatesDirectory: dir.path)) }
        #expect(throws: DraftError.templatesUnreadable("/nonexistent")) {
            try Drafter(report: report, incident: nil, options: DraftOptions(templatesDirectory: "/nonexistent"))
        }
    }
}
