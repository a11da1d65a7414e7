import Testing
import ImpactDetect
import ImpactTestSupport
@testable import ImpactCore

/// The previous-record memos of the extraction (``RepeatedInputs``): the comparison itself, and
/// extraction with the memos (one extractor for a whole sequence of records) against extraction
/// without them (a fresh extractor per record).
@Suite struct RepeatedInputsTests {
    /// Every length up to three words and the capacity: equal bytes match, and a change of any
    /// one byte does not.
    @Test func equalComparesEveryByte() {
        for n in Array(0...25) + [63, 64] {
            let a = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            a.withUnsafeBytes { va in
                var copy = a
                copy.withUnsafeBytes { #expect(RepeatedInputs.equal(va, $0.baseAddress ?? UnsafeRawPointer(va.baseAddress!)), "n = \(n)") }
                for k in 0..<n {
                    copy = a
                    copy[k] ^= 0x40
                    copy.withUnsafeBytes { #expect(!RepeatedInputs.equal(va, $0.baseAddress!), "n = \(n), byte \(k)") }
                }
            }
        }
    }

    @Test func partsAreComparedWithTheirLengths() {
        var memo = RepeatedInputs()
        let ab = Array("ab".utf8), c = Array("c".utf8), abc = Array("abc".utf8), empty: [UInt8] = []
        ab.withUnsafeBytes { ab in c.withUnsafeBytes { c in abc.withUnsafeBytes { abc in empty.withUnsafeBytes { e in
            do { let hit = memo.matches(e); #expect(!hit) }           // nothing stored yet
            memo.store(ab, c)
            do { let hit = memo.matches(ab, c); #expect(hit) }
            do { let hit = memo.matches(abc, e); #expect(!hit) }      // the same bytes, split elsewhere
            do { let hit = memo.matches(ab, c, c); #expect(!hit) }
            memo.store(abc, e)
            do { let hit = memo.matches(abc); #expect(hit) }
            let long = [UInt8](repeating: 0x41, count: RepeatedInputs.partCapacity + 1)
            long.withUnsafeBytes { memo.store($0) }
            long.withUnsafeBytes { do { let hit = memo.matches($0); #expect(!hit) } }   // too long: never stored
            do { let hit = memo.matches(abc); #expect(!hit) }
        } } } }
    }

    static let codes: [FieldCode] = [
        FieldCode(kind: .lastName), FieldCode(kind: .firstName), FieldCode(kind: .birthDate),
        FieldCode(kind: .nir), FieldCode(kind: .prescriberID), FieldCode(kind: .fullName), FieldCode(kind: .patientID),
    ]

    /// A NIR with its key (97 - n mod 97) from 13 digits.
    static func nir(_ n: UInt64) -> String {
        let digits = String(n % 10_000_000_000_000)
        let padded = String(repeating: "0", count: 13 - digits.count) + digits
        let key = 97 - Int(UInt64(padded)! % 97)
        return padded + (key < 10 ? "0" : "") + String(key)
    }

    /// An RPPS number: 10 digits and their Luhn check digit.
    static func rpps(_ n: UInt64) -> String {
        let body = String(10_000_000_000 + n % 1_000_000_000).dropFirst()
        var sum = 0
        for (i, ch) in body.reversed().enumerated() {
            var d = Int(String(ch))!
            if i % 2 == 0 { d *= 2; if d > 9 { d -= 9 } }
            sum += d
        }
        return "1" + body.dropFirst() + String((10 - sum % 10) % 10)
    }

    struct Outcome: Equatable {
        var mask: UInt32, nir: UInt64, name: UInt64, fullName: UInt64, professional: UInt64
        var values: [Int], nirValid: [Int], nirInvalid: [Int], dates: [Int], rppsInvalid: [Int]
    }

    static func extract(_ values: [String], map: [Int], with extractor: RecordExtractor) -> Outcome {
        var counters = [FieldCounters](repeating: FieldCounters(), count: codes.count)
        let routes = codes.withUnsafeBufferPointer { c in map.withUnsafeBufferPointer { FieldRoute.routes(codes: c, map: $0) } }
        let e = extractRecord(values, routes: routes, with: extractor, counters: &counters)
        return Outcome(mask: e.mask, nir: e.nirKey, name: e.nameKey, fullName: e.fullNameKey, professional: e.professional,
                       values: counters.map(\.values), nirValid: counters.map(\.nirValid),
                       nirInvalid: counters.map(\.nirInvalidKey), dates: counters.map(\.date), rppsInvalid: counters.map(\.rppsInvalidKey))
    }

    /// Random sequences where each identity cell repeats the previous record's, changes by one
    /// byte, or is new (valid, invalid, malformed, empty): one extractor for the sequence gives
    /// what a fresh one per record gives, record by record, on both name paths.
    @Test(arguments: [false, true])
    func memosGiveTheResultsOfAFreshExtraction(fullNames: Bool) {
        var g = SeededGenerator(seed: fullNames ? 0xF11 : 0x5E9)
        let memoised = RecordExtractor(lexicon: TermLexicon.standard, hasher: SubjectKeyHasher(k0: 3, k1: 5))
        // Separate names: family, given, birth date, NIR, RPPS; full names: one value instead.
        let map = fullNames ? [5, 2, 3, 4, 6] : [0, 1, 2, 3, 4, 6]
        var previous: [String] = []
        var hits = 0
        for step in 0..<3_000 {
            func pick(_ k: Int, _ fresh: () -> String) -> String {
                guard !previous.isEmpty else { return fresh() }
                switch Int.random(in: 0..<10, using: &g) {
                case 0..<6: return previous[k]
                case 6:
                    var b = Array(previous[k].utf8)
                    if b.isEmpty { return "x" }
                    let i = Int.random(in: 0..<b.count, using: &g)
                    b[i] = b[i] == 0x39 ? 0x30 : (b[i] == 0x5A ? 0x41 : b[i] + 1)
                    return String(decoding: b, as: UTF8.self)
                default: return fresh()
                }
            }
            let names = ["DUPONT", "Martin", "N'GUYEN", "Lévêque", "Jean-Pierre", "Zoë", ""]
            var row: [String] = []
            if fullNames {
                row.append(pick(0) { names.randomElement(using: &g)! + " " + names.randomElement(using: &g)! })
            } else {
                row.append(pick(0) { names.randomElement(using: &g)! })
                row.append(pick(1) { names.randomElement(using: &g)! })
            }
            let o = row.count
            row.append(pick(o) { ["01/02/1980", "1975-12-31", "31/02/1990", "", "hier"].randomElement(using: &g)! })
            row.append(pick(o + 1) {
                let n = UInt64.random(in: 1_000_000_000_000...2_999_999_999_999, using: &g)
                return [Self.nir(n), String(Self.nir(n).dropLast(2)), Self.nir(n).dropLast(2) + "00", "1 80 02 75 ???", ""].randomElement(using: &g)!
            })
            row.append(pick(o + 2) {
                let n = UInt64.random(in: 0...999_999_999, using: &g)
                return [Self.rpps(n), String(Self.rpps(n).dropLast()) + "X", "", "8B123456"].randomElement(using: &g)!
            })
            row.append(pick(o + 3) { "P" + String(Int.random(in: 0..<50, using: &g)) })
            if row == previous { hits += 1 }
            let fresh = RecordExtractor(lexicon: TermLexicon.standard, hasher: SubjectKeyHasher(k0: 3, k1: 5))
            let expected = Self.extract(row, map: map, with: fresh)
            let got = Self.extract(row, map: map, with: memoised)
            #expect(got == expected, "step \(step): \(row)")
            if got != expected { return }
            previous = row
        }
        #expect(hits > 20)   // whole rows repeated too, not only single cells
    }
}
