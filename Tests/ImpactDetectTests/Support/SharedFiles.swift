import Foundation

/// Files of `../shared` (cases, samples), read in place, found from this file's path:
/// `<root>/Tests/ImpactDetectTests/Support/SharedFiles.swift` → `<root>/../shared`.
enum SharedFiles {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // ImpactDetectTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .deletingLastPathComponent()
        .appendingPathComponent("shared")

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func data(_ relative: String) throws -> Data { try Data(contentsOf: url(relative)) }

    /// Text of a shared file decoded from UTF-8 (BOM dropped) or Windows-1252.
    static func text(_ relative: String, cp1252: Bool = false) throws -> String {
        let d = try data(relative)
        if cp1252 {
            guard let s = String(data: d, encoding: .windowsCP1252) else { throw CocoaError(.fileReadCorruptFile) }
            return s
        }
        var s = String(decoding: d, as: UTF8.self)
        if s.hasPrefix("\u{FEFF}") { s.removeFirst() }
        return s
    }

    /// A minimal RFC 4180 reader for test fixtures (quoted fields, doubled quotes, embedded line
    /// breaks, CRLF). Not the project's tokenizer: only here to reach cell values in tests.
    static func csvRecords(_ text: String, delimiter: UInt8) -> [[String]] {
        let bytes = Array(text.utf8)
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var i = 0
        func endField() { record.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true) }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                    inQuotes = false
                } else {
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case 0x22: inQuotes = true
            case delimiter: endField()
            case 0x0D: break
            case 0x0A:
                endField()
                records.append(record)
                record = []
            default: field.append(b)
            }
            i += 1
        }
        if !field.isEmpty || !record.isEmpty { endField(); records.append(record) }
        return records
    }

    /// CSV records as dictionaries keyed by header.
    static func csvRows(_ relative: String, delimiter: UInt8, cp1252: Bool = false) throws -> (header: [String], rows: [[String: String]]) {
        let recs = csvRecords(try text(relative, cp1252: cp1252), delimiter: delimiter)
        let header = recs[0]
        let rows = recs.dropFirst().map { r in
            Dictionary(uniqueKeysWithValues: zip(header, r + Array(repeating: "", count: max(0, header.count - r.count))))
        }
        return (header, rows)
    }
}

/// The parts of a sample's `*.truth.json` the detection tests use.
struct SampleTruth: Decodable {
    struct Field: Decodable {
        var name: String
        var categories: [String]
        var acceptable_also: [String]
    }
    struct Controller: Decodable {
        var id: String
        var name: String
        var subjects: Int
        var subjects_by_category: [String: Int]
    }
    var fields: [Field]
    var controllers: [Controller]

    static func load(_ relative: String) throws -> SampleTruth {
        try JSONDecoder().decode(SampleTruth.self, from: SharedFiles.data(relative))
    }
}
