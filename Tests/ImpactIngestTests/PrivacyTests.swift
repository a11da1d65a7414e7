import Foundation
import ImpactTestSupport
import Testing
@testable import ImpactIngest

// Errors, warnings and rejections carry a kind and a position, never a value of the input.

private let secrets = ["260102904738472", "Bousquet", "nicole.bousquet@exemple.fr", "Nicole"]

private func expectNoSecret(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for secret in secrets {
        #expect(!text.contains(secret), "\(what) leaks a value", sourceLocation: sourceLocation)
    }
}

private func expectNoSecret(_ sink: CollectingSink, sourceLocation: SourceLocation = #_sourceLocation) {
    for w in sink.warnings { expectNoSecret(w.detail, "warning \(w.kind)", sourceLocation: sourceLocation) }
    for r in sink.rejections { expectNoSecret(r.detail, "rejection \(r.reason)", sourceLocation: sourceLocation) }
}

@Test func warningsAndRejectionsCarryNoValue() throws {
    let row = "Bousquet;Nicole;260102904738472;nicole.bousquet@exemple.fr"
    var text = "nom;prenom;nir;email\n"
    text += row + ";Bousquet\n"                              // ragged (extra value)
    text += "Bousquet;Nic\u{0}ole\n"                          // ragged (missing) + NUL
    text += "Bousquet;Nicole;\"\(String(repeating: "260102904738472", count: 10))\";x\n"   // too large
    text += "Bousquet;Nicole;260102904738472;nicole.bousquet@exemple.fr;1;2;3;4\n"          // too many fields
    text += "Bousquet;Nicole;26010290473847\u{FFFD}2;\"nicole.bousquet@exemple.fr\n"        // unterminated
    var data = bytes(text)
    data[data.firstIndex(of: 0xEF)!...].withUnsafeMutableBufferPointer { $0[0] = 0xFF }        // invalid UTF-8
    var options = CSVOptions(encoding: .utf8)
    options.limits.maxFieldBytes = 100
    options.limits.maxFields = 6
    let (sink, _, _) = try parseCSV(data, options: options, reopenable: true)
    #expect(Set(sink.warnings.map(\.kind)) == [.raggedRow, .nulBytes, .invalidEncoding])
    #expect(Set(sink.rejections.map(\.reason)) == [.recordTooLarge, .tooManyFields, .unterminatedQuote])
    expectNoSecret(sink)
    // Read once (standard input): the unterminated quote is a warning and an error, neither with a value.
    let once = CollectingSink()
    let reader = try CSVRecordReader(input: OpenedInput(source: PeekableSource(MemoryByteSource(data)), compression: nil, storedBytes: 0),
                                     path: "-", options: options)
    let error = try #require(throws: IngestError.self) { try reader.run(into: once) }
    #expect(Set(once.warnings.map(\.kind)) == [.raggedRow, .nulBytes, .unterminatedQuote, .invalidEncoding])
    expectNoSecret(once)
    expectNoSecret(error.description, "error")
}

@Test func errorsCarryNoValue() throws {
    let leak = bytes("nom,nir,email\nBousquet,260102904738472,nicole.bousquet@exemple.fr\n")
    var errors: [IngestError] = []

    var limits = CSVOptions(hasHeader: true)
    limits.limits.maxFields = 2
    errors.append(try #require(throws: IngestError.self) { try parseCSV(leak, options: limits) })
    var small = CSVOptions(hasHeader: true)
    small.limits.maxFieldBytes = 4
    errors.append(try #require(throws: IngestError.self) { try parseCSV(leak, options: small) })

    let binary = leak + [UInt8](repeating: 0, count: 2000)
    errors.append(try #require(throws: IngestError.self) { try parseCSV(binary) })

    let compressed = gzip(leak)
    errors.append(try #require(throws: IngestError.self) {
        let input = OpenedInput(source: PeekableSource(try GzipByteSource(MemoryByteSource(Array(compressed.dropLast(3))))),
                                compression: "gzip", storedBytes: 0)
        _ = try CSVRecordReader(input: input, path: "leak.csv.gz").run(into: CollectingSink())
    })
    var corrupt = compressed
    corrupt[corrupt.count - 6] ^= 0x55
    errors.append(try #require(throws: IngestError.self) {
        let input = OpenedInput(source: PeekableSource(try GzipByteSource(MemoryByteSource(corrupt))),
                                compression: "gzip", storedBytes: 0)
        _ = try CSVRecordReader(input: input, path: "leak.csv.gz").run(into: CollectingSink())
    })
    #expect(errors.map(\.kind) == [.tooManyFields, .recordTooLarge, .binaryInput, .truncatedGzip, .corruptGzip])
    for error in errors {
        expectNoSecret(error.description, "error \(error.kind)")
        expectNoSecret(error.message, "error \(error.kind)")
    }
}
