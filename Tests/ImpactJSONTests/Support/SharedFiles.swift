import Foundation

/// `../shared` beside the package root, found from this file (never copied into the repo).
enum SharedFiles {
    static let root: URL = URL(fileURLWithPath: #filePath)   // <root>/Tests/ImpactJSONTests/Support/SharedFiles.swift
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared")

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(relative)))
    }
}
