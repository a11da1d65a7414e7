import Foundation

/// Paths of the test data, found through `#filePath`: `<root>/Tests/ImpactCoreTests/…`.
enum TestPaths {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let samples = shared.appendingPathComponent("samples")
    static let cases = shared.appendingPathComponent("cases")
    static let fixtures = packageRoot.appendingPathComponent("fixtures")
    static let schemas = packageRoot.appendingPathComponent("schemas")

    static func caseFile(_ folder: String, _ name: String) -> String {
        cases.appendingPathComponent(folder).appendingPathComponent(name).path
    }

    static func temporaryDirectory() throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("impact-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}
