import Foundation
import Testing
@testable import ImpactReporting

/// Finding F1: `--out` renamed a temporary file over whatever the path was (a symbolic link, a
/// FIFO, `/dev/null`). ``OutputDestination/plan(_:)`` decides from what the path is.
@Suite struct OutputDestinationTests {
    static func temporaryDirectory() throws -> String {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("impact-dest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u.path
    }

    @Test func planFollowsWhatThePathIs() throws {
        let d = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: d) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: d + "/file.json"))
        #expect(symlink("file.json", d + "/link.json") == 0)
        #expect(symlink("link.json", d + "/link2.json") == 0)
        #expect(symlink("sub/missing.json", d + "/dangling.json") == 0)
        #expect(symlink("loop.json", d + "/loop.json") == 0)
        #expect(mkfifo(d + "/fifo", 0o600) == 0)
        #expect(symlink(d + "/fifo", d + "/to-fifo") == 0)
        let table: [(String, OutputDestination.Plan)] = [
            (d + "/new.json", .replaceAtomically(path: d + "/new.json")),
            (d + "/file.json", .replaceAtomically(path: d + "/file.json")),
            (d + "/link.json", .replaceAtomically(path: d + "/file.json")),
            (d + "/link2.json", .replaceAtomically(path: d + "/file.json")),
            (d + "/dangling.json", .replaceAtomically(path: d + "/sub/missing.json")),
            (d + "/fifo", .writeInPlace(path: d + "/fifo")),
            (d + "/to-fifo", .writeInPlace(path: d + "/fifo")),
            (d, .refuse(reason: "is a directory")),
            (d + "/loop.json", .refuse(reason: "too many levels of symbolic links")),
            ("/dev/stdout", .standardStream(1)),
            ("/dev/stderr", .standardStream(2)),
            ("/dev/null", .writeInPlace(path: "/dev/null")),
        ]
        for (path, expected) in table {
            #expect(OutputDestination.plan(path) == expected, "\(path)")
        }
    }

    @Test func symbolicLinkIsKeptAndItsTargetReplaced() throws {
        let d = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: d) }
        try Data("previous".utf8).write(to: URL(fileURLWithPath: d + "/target.json"))
        #expect(symlink("target.json", d + "/link.json") == 0)
        try OutputDestination.write(Data("report".utf8), to: d + "/link.json")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: d + "/link.json") == "target.json")
        #expect(FileManager.default.contents(atPath: d + "/target.json") == Data("report".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: d).sorted() == ["link.json", "target.json"])
    }

    /// A character device made in a temporary directory (root only: `mknod`), the same device
    /// as `/dev/null` (major 1, minor 3 in the Linux encoding): it stays a character device after the write.
    @Test(.enabled(if: getuid() == 0, "mknod needs root")) func characterDeviceIsWrittenInPlace() throws {
        let d = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: d) }
        let node = d + "/null"
        #expect(mknod(node, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0)
        #expect(OutputDestination.plan(node) == .writeInPlace(path: node))
        try OutputDestination.write(Data("report".utf8), to: node)
        var st = stat()
        #expect(lstat(node, &st) == 0)
        #expect((st.st_mode & S_IFMT) == S_IFCHR)
        #expect(try FileManager.default.contentsOfDirectory(atPath: d) == ["null"])
    }
}
