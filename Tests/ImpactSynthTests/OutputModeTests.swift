import Foundation
import Testing
@testable import ImpactSynth

/// Finding F11: `impact synth` wrote `leak.csv.gz` and `truth.json` 0644 while the README says
/// every file impact writes is owner-only (0600); the directory it creates is 0700.
@Suite struct OutputModeTests {
    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func filesAreOwnerOnlyAndTheNewDirectory0700() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let out = dir.url.appendingPathComponent("synth/out", isDirectory: true)
        let config = SynthConfig(seed: 3, records: 50, controllers: 2, shape: .frenchLab, gzip: true)
        try SyntheticLeak.write(config, to: out)
        #expect(try Self.mode(out.path) == 0o700)
        #expect(try Self.mode(out.appendingPathComponent(config.leakFileName).path) == 0o600)
        #expect(try Self.mode(out.appendingPathComponent(SyntheticLeak.truthFileName).path) == 0o600)
    }

    /// Files already there with a wider mode (an earlier run) are made owner-only; a symbolic
    /// link in place of the leak is written through, not replaced.
    @Test func existingFilesBecomeOwnerOnlyAndLinksAreKept() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let config = SynthConfig(seed: 3, records: 50, controllers: 2, shape: .frenchLab)
        let target = dir.url.appendingPathComponent("elsewhere.csv").path
        #expect(FileManager.default.createFile(atPath: target, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644]))
        let leak = dir.url.appendingPathComponent(config.leakFileName).path
        #expect(symlink(target, leak) == 0)
        let truth = dir.url.appendingPathComponent(SyntheticLeak.truthFileName).path
        #expect(FileManager.default.createFile(atPath: truth, contents: Data("{}".utf8), attributes: [.posixPermissions: 0o644]))
        try SyntheticLeak.write(config, to: dir.url)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: leak) == target)
        #expect(try Self.mode(target) == 0o600)
        #expect((try Data(contentsOf: URL(fileURLWithPath: target))).count > 1_000)
        #expect(try Self.mode(truth) == 0o600)
    }
}
