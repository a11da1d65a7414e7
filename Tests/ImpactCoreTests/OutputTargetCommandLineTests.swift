import Foundation
import Testing

/// Finding F1 through the binary: `--out` on a symbolic link, a FIFO or a character device
/// must leave the link a link, the FIFO a FIFO and the device a device.
@Suite(.serialized) struct OutputTargetCommandLineTests {
    static let sample = TestPaths.samples.appendingPathComponent("labs_en.csv").path

    static func fileType(_ path: String) -> mode_t? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return st.st_mode & S_IFMT
    }

    @Test func symbolicLinkIsKeptAndItsTargetGetsTheReport() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("target.json").path, link = dir.appendingPathComponent("link.json").path
        try Data("previous\n".utf8).write(to: URL(fileURLWithPath: target))
        #expect(symlink("target.json", link) == 0)
        let r = try CommandLineTests.run([Self.sample, "--format", "json", "--out", link])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.fileType(link) == S_IFLNK)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: target))) as? [String: Any]
        #expect(report?["analysed_records"] as? Int == 4000)
        #expect(try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["link.json", "target.json"])
    }

    @Test func fifoIsWrittenInPlace() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("report.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // The test holds a reader and a writer end so that neither open blocks; the reader
        // thread sees EOF once the run has ended and the test's writer end is closed.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        try #require(reader >= 0)
        let keepOpen = open(fifo, O_WRONLY)
        try #require(keepOpen >= 0)
        _ = fcntl(reader, F_SETFL, fcntl(reader, F_GETFL) & ~O_NONBLOCK)
        final class Received: @unchecked Sendable { var bytes = [UInt8]() }
        let received = Received()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(reader, &buf, buf.count)
                if n <= 0 { break }
                received.bytes += buf[0..<n]
            }
            done.signal()
        }
        let r = try CommandLineTests.run([Self.sample, "--format", "json", "--out", fifo])
        close(keepOpen)
        done.wait()
        close(reader)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.fileType(fifo) == S_IFIFO)
        let report = try JSONSerialization.jsonObject(with: Data(received.bytes)) as? [String: Any]
        #expect(report?["analysed_records"] as? Int == 4000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.fifo"])
    }

    /// A null device made with `mknod` in a temporary directory (root only), never the
    /// machine's `/dev/null`: after `--out` it is still a character device.
    @Test(.enabled(if: getuid() == 0, "mknod needs root")) func characterDeviceStaysADevice() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let node = dir.appendingPathComponent("null").path
        #expect(mknod(node, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0)
        let r = try CommandLineTests.run([Self.sample, "--out", node])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.fileType(node) == S_IFCHR)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["null"])
    }

    /// `--out /dev/stdout` is standard output. Tested through a link of our own to
    /// `/proc/self/fd/1` (what `/dev/stdout` is), never the machine's `/dev/stdout`: a
    /// regression would replace that link, not the system's.
    @Test func linkToStandardOutputIsStandardOutput() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("stdout").path
        #expect(symlink("/proc/self/fd/1", link) == 0)
        let r = try CommandLineTests.run([Self.sample, "--format", "json", "--out", link])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"analysed_records\" : 4000"))
        #expect(Self.fileType(link) == S_IFLNK)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["stdout"])
    }

    @Test func directoryIsRefusedWith74() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CommandLineTests.run([Self.sample, "--out", dir.path])
        #expect(r.status == 74)
        #expect(r.stderr.contains("is a directory"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
