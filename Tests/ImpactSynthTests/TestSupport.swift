import CZlib
import Foundation
@testable import ImpactSynth

/// A fresh temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("impact-synth-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Writes `config` into a fresh directory; returns the leak bytes, the truth bytes and the
/// truth, and removes the directory.
func generate(_ config: SynthConfig) throws -> (leak: [UInt8], truthBytes: [UInt8], truth: SynthTruth) {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let truth = try SyntheticLeak.write(config, to: dir.url)
    let leak = try Data(contentsOf: dir.url.appendingPathComponent(config.leakFileName))
    let truthBytes = try Data(contentsOf: dir.url.appendingPathComponent(SyntheticLeak.truthFileName))
    return ([UInt8](leak), [UInt8](truthBytes), truth)
}

/// The shared samples folder: `<root>/../shared/samples`.
let samplesDirectory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/samples")

/// Decodes Windows-1252 (test side, independent of the generator's encoder).
func decodeWindows1252(_ bytes: [UInt8]) -> String {
    let high: [UInt8: Character] = [
        0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ",
        0x89: "‰", 0x8A: "Š", 0x8B: "‹", 0x8C: "Œ", 0x8E: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“",
        0x94: "”", 0x95: "•", 0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™", 0x9A: "š", 0x9B: "›",
        0x9C: "œ", 0x9E: "ž", 0x9F: "Ÿ",
    ]
    var s = ""
    s.reserveCapacity(bytes.count)
    for b in bytes {
        if let c = high[b] { s.append(c) } else { s.unicodeScalars.append(Unicode.Scalar(b)) }
    }
    return s
}

/// An RFC 4180 reader (test side): records of fields; quotes, doubled quotes and line breaks
/// inside quotes; CRLF or LF.
func parseCSV(_ text: String, delimiter: Character) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var afterQuote = false
    var iterator = Array(text).makeIterator()
    var pending: Character? = nil
    func next() -> Character? {
        if let p = pending { pending = nil; return p }
        return iterator.next()
    }
    while let c = next() {
        if quoted {
            if c == "\"" {
                if let n = next() {
                    if n == "\"" { field.append("\"") } else { quoted = false; afterQuote = true; pending = n }
                } else { quoted = false }
            } else {
                field.append(c)
            }
            continue
        }
        switch c {
        case "\"" where field.isEmpty && !afterQuote:
            quoted = true
        case delimiter:
            record.append(field); field = ""; afterQuote = false
        case "\r\n", "\n", "\r":
            record.append(field); field = ""; afterQuote = false
            records.append(record); record = []
        default:
            field.append(c)
        }
    }
    if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
    return records
}

/// The NIR check written again on the test side: 15 characters, 2A → 19 / 2B → 18, key
/// 97 − (N mod 97).
func nirKeyIsValid(_ nir: String) -> Bool {
    guard nir.count == 15 else { return false }
    var body = String(nir.prefix(13))
    body = body.replacingOccurrences(of: "2A", with: "19").replacingOccurrences(of: "2B", with: "18")
    guard let n = UInt64(body), let key = Int(nir.suffix(2)) else { return false }
    return 97 - Int(n % 97) == key
}

/// Gunzips `bytes` (test side) with zlib's inflate (windowBits 31).
func gunzip(_ bytes: [UInt8]) -> [UInt8]? {
    var stream = z_stream()
    guard inflateInit2_(&stream, 31, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
    defer { inflateEnd(&stream) }
    var input = bytes
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var rc: Int32 = Z_OK
    input.withUnsafeMutableBufferPointer { inBuf in
        stream.next_in = inBuf.baseAddress
        stream.avail_in = UInt32(inBuf.count)
        repeat {
            let produced: Int = chunk.withUnsafeMutableBufferPointer { c in
                stream.next_out = c.baseAddress
                stream.avail_out = UInt32(c.count)
                rc = inflate(&stream, Z_NO_FLUSH)
                return c.count - Int(stream.avail_out)
            }
            out.append(contentsOf: chunk[0..<produced])
        } while rc == Z_OK
    }
    return rc == Z_STREAM_END ? out : nil
}

/// Subject identity on the test side: folded family name, folded first name, birth date.
func identity(_ family: String, _ first: String, _ birth: String) -> String {
    ASCIIFold.nameKey(family) + "|" + ASCIIFold.nameKey(first) + "|" + birth
}
