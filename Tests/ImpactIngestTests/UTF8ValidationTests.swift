import Testing
@testable import ImpactIngest
import ImpactTestSupport

// `UTF8Validation.scan` skips ASCII and checks two- and three-byte characters 64 bytes at a
// time (SSE2 on x86-64) and falls back to one character at a time for anything else. These
// tests compare it, for every `count` and `limit`, with the one-character-at-a-time scan it
// replaced (below, unchanged but for the removal of the ASCII and two-byte shortcuts).

/// The scan one character at a time, per The Unicode Standard §3.9 Table 3-7.
private func referenceScan(_ bytes: [UInt8], count: Int, limit: Int) -> (valid: Int, stop: UTF8ScanStop) {
    let cap = min(count, limit)
    var i = 0
    while i < cap {
        let lead = bytes[i]
        if lead < 0x80 {
            i += 1
            continue
        }
        var length = 0
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return (i, .invalid(length: 1))
        }
        var k = 1
        while k < length {
            if i + k >= count { return (i, .incomplete) }
            let b = bytes[i + k]
            let ok = k == 1 ? (b >= low && b <= high) : (b >= 0x80 && b <= 0xBF)
            if !ok { return (i, .invalid(length: k)) }
            k += 1
        }
        if i + length > cap { return (i, .limit) }
        i += length
    }
    return (i, i >= count ? .end : .limit)
}

/// `UTF8Validation.scan` of the first `count` bytes of `bytes` (the rest stays in memory after
/// them, so a scan that looked past `count` or `limit` could be misled by it).
private func scan(_ bytes: [UInt8], count: Int, limit: Int) -> (valid: Int, stop: UTF8ScanStop) {
    bytes.withUnsafeBufferPointer { UTF8Validation.scan($0.baseAddress!, count: count, limit: limit) }
}

private let validCharacters: [[UInt8]] = [
    [0xC3, 0xA9], [0xC2, 0x80], [0xC2, 0xB5], [0xDF, 0xBF],                         // é U+0080 µ U+07FF
    [0xE2, 0x82, 0xAC], [0xE0, 0xA0, 0x80], [0xE1, 0x80, 0x80], [0xEC, 0xBF, 0xBF],  // € U+0800 U+1000 U+CFFF
    [0xED, 0x80, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],  // U+D000 U+D7FF U+E000 U+FFFF
    [0xF0, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xF3, 0xBF, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF],
]

/// Every kind of ill-formed sequence of Table 3-7, and the well-formed starts of cut ones.
private let invalidSequences: [[UInt8]] = [
    [0xC0, 0x80], [0xC0, 0xAF], [0xC1, 0xBF], [0xC0], [0xC1],                        // overlong two-byte leads
    [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],  // overlong, surrogates
    [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF4, 0xBF, 0xBF, 0xBF],
    [0xF5, 0x80, 0x80, 0x80], [0xF7, 0xBF, 0xBF, 0xBF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE], [0xFF],
    [0x80], [0xBF], [0x80, 0x80], [0xA9, 0xC3],                                      // lone continuation bytes
    [0xC3], [0xC2, 0x41], [0xDF, 0xC0], [0xC3, 0xC3, 0xA9], [0xC3, 0xE2, 0x82, 0xAC], [0xC2, 0x7F],  // cut
    [0xE2], [0xE2, 0x82], [0xE2, 0x41], [0xE2, 0x82, 0x41], [0xE2, 0x82, 0xC3, 0xA9], [0xE1, 0xC0, 0x80],
    [0xEF, 0xBF], [0xE0, 0xA0], [0xED, 0x9F],
    [0xF0], [0xF0, 0x9F], [0xF0, 0x9F, 0x98], [0xF0, 0x9F, 0x98, 0x41], [0xF1, 0x80, 0x80, 0xC0], [0xF4, 0x8F],
]

/// `length` bytes of `unit` repeated, the remainder padded with "a" in front.
private func fill(_ length: Int, with unit: [UInt8]) -> [UInt8] {
    let units = length / unit.count
    return [UInt8](repeating: 0x61, count: length - units * unit.count) + Array([[UInt8]](repeating: unit, count: units).joined())
}

@Test func theReferenceAgreesWithTheStandardLibrary() {
    for sequence in validCharacters {
        #expect(String(validating: sequence, as: UTF8.self) != nil)
        #expect(referenceScan(sequence, count: sequence.count, limit: sequence.count) == (sequence.count, UTF8ScanStop.end))
    }
    for sequence in invalidSequences {
        #expect(String(validating: sequence, as: UTF8.self) == nil)
        // The first maximal subpart is one U+FFFD for the standard library too.
        if case let (0, .invalid(length)) = referenceScan(sequence, count: sequence.count, limit: sequence.count) {
            #expect(String(decoding: sequence.prefix(length), as: UTF8.self) == "\u{FFFD}")
            #expect(String(decoding: sequence, as: UTF8.self).unicodeScalars.first == "\u{FFFD}")
        } else {
            #expect(referenceScan(sequence, count: sequence.count, limit: sequence.count) == (0, UTF8ScanStop.incomplete))
        }
    }
}

/// Each valid character and invalid sequence at every offset from 0 to 139 (every position in
/// the 16-byte vectors and the 64-byte blocks, the last bytes of the first two blocks) of 200
/// bytes of ASCII, of two-byte or of three-byte characters; `count` and `limit` cut
/// everywhere around it, and at the end.
@Test(arguments: [[0x61], [0xC3, 0xA9], [0xE2, 0x80, 0x99]] as [[UInt8]])
func scanAgreesWithTheReferenceAroundEachSequenceAtEveryOffset(background: [UInt8]) {
    let total = 200
    var mismatches = 0
    for sequence in validCharacters + invalidSequences {
        for offset in 0..<140 {
            let bytes = fill(offset, with: background) + sequence + fill(total - offset - sequence.count, with: background)
            var cuts = Array(max(0, offset - 3)...(offset + sequence.count + 3))
            cuts += [66, 67, 68, 130, 131, 132, total - 1]
            var cases = [(total, total), (total, total + 1), (total - 1, total)]
            for cut in cuts {
                cases += [(total, cut), (cut, cut), (cut, total), (cut, cut + 1), (cut + 1, cut)]
            }
            for (count, limit) in cases {
                compareScans(bytes, count: count, limit: limit, mismatches: &mismatches) { "\(sequence) at \(offset)" }
            }
        }
    }
    #expect(mismatches == 0)
}

/// Compares `scan` with the reference on `bytes[0..<count]` under `limit`, counting mismatches
/// and recording the first five (with `context`).
func compareScans(_ bytes: [UInt8], count: Int, limit: Int, mismatches: inout Int, _ context: () -> String) {
    let expected = referenceScan(bytes, count: count, limit: limit)
    let actual = scan(bytes, count: count, limit: limit)
    guard actual != expected else { return }
    mismatches += 1
    if mismatches <= 5 { Issue.record("\(context()), count \(count), limit \(limit): \(actual), expected \(expected)") }
}

/// Random mixes of ASCII, valid characters and (now and then) invalid sequences, every `count`
/// from 0 to the length and every `limit` from 0 to `count` + 1.
@Test(arguments: 0..<12)
func scanAgreesWithTheReferenceForEveryCountAndLimit(seed: Int) {
    var g = SeededGenerator(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 7)
    let ascii: [[UInt8]] = [[0x61], Array("Nom;".utf8), Array("0123456789 ".utf8), [0x0A], [0x7F], [0x00]]
    var mismatches = 0
    for _ in 0..<4 {
        var bytes: [UInt8] = []
        let length = Int.random(in: 1...260, using: &g)
        // Runs of accented letters, ASCII runs of any length (to move characters across blocks).
        let invalidPercent = [0, 1, 5, 20][Int.random(in: 0..<4, using: &g)]
        while bytes.count < length {
            let roll = Int.random(in: 0..<100, using: &g)
            if roll < invalidPercent {
                bytes += invalidSequences.randomElement(using: &g)!
            } else if roll < 55 {
                bytes += ascii.randomElement(using: &g)!
            } else if roll < 85 {
                bytes += validCharacters[Int.random(in: 0..<4, using: &g)]
            } else {
                bytes += validCharacters.randomElement(using: &g)!
            }
        }
        for count in 0...bytes.count {
            for limit in 0...(count + 1) {
                compareScans(bytes, count: count, limit: limit, mismatches: &mismatches) { "seed \(seed) \(bytes)" }
            }
        }
        let valid = bytes.withUnsafeBytes { UTF8Validation.isValid($0, allowIncompleteTail: false) }
        #expect(valid == (String(validating: bytes, as: UTF8.self) != nil))
    }
    #expect(mismatches == 0)
}
