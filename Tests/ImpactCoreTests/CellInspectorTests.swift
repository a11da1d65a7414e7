import Testing
import ImpactDetect
import ImpactTestSupport
@testable import ImpactCore

/// The shortcuts of the classification sample (``CellInspector``, ``ValueShape``) against the
/// general paths they stand for: each must give the same result, value by value.
@Suite struct CellInspectorTests {
    /// ``ValueShape`` as it was computed before the class table: one `switch` per byte.
    struct ReferenceShape: Equatable {
        var length = 0, digits = 0, asciiLetters = 0, highBytes = 0, spaces = 0, at = 0, separators = 0, other = 0, words = 0

        init(_ v: [UInt8]) {
            length = v.count
            var inWord = false
            for b in v {
                switch b {
                case 0x30...0x39: digits += 1; if !inWord { words += 1; inWord = true }
                case 0x41...0x5A, 0x61...0x7A: asciiLetters += 1; if !inWord { words += 1; inWord = true }
                case 0x80...0xFF: highBytes += 1; if !inWord { words += 1; inWord = true }
                case 0x20, 0x09, 0x0A, 0x0D: spaces += 1; inWord = false
                case 0x40: at += 1; inWord = false
                case 0x2E, 0x2D, 0x2F, 0x2B, 0x2C, 0x28, 0x29, 0x27: separators += 1; inWord = b == 0x27 || b == 0x2D ? inWord : false
                default: other += 1; inWord = false
                }
            }
        }

        init(_ s: ValueShape) {
            length = s.length; digits = s.digits; asciiLetters = s.asciiLetters; highBytes = s.highBytes
            spaces = s.spaces; at = s.at; separators = s.separators; other = s.other; words = s.words
        }
    }

    static func shape(_ v: [UInt8]) -> ValueShape {
        v.withUnsafeBytes { ValueShape($0) }
    }

    /// Identifier-like values: 5 to 16 digits (a leading 0 often), sometimes after `+` or
    /// `00`, with separators, spaces, NBSP, `(0)`, letters or a time sprinkled between them,
    /// so that the validators accept a good share of them and refuse near misses.
    static func identifierLikeValues(count: Int, seed: UInt64) -> [[UInt8]] {
        var rng = SeededGenerator(seed: seed)
        let between: [[UInt8]] = [" ", ".", "-", "/", "\u{00A0}", "(0)", "A", "B", ":", ",", "'", "@", "x", "T"].map { Array($0.utf8) }
        var out: [[UInt8]] = []
        for _ in 0..<count {
            var v: [UInt8] = []
            switch Int.random(in: 0..<20, using: &rng) {
            case 0, 1: v = Array("+".utf8)
            case 2: v = Array("00".utf8)
            case 3: v = Array(" ".utf8)
            default: break
            }
            let n = Int.random(in: 5...16, using: &rng)
            let sprinkle = Int.random(in: 0...30, using: &rng)
            for k in 0..<n {
                let d = k == 0 && Int.random(in: 0..<10, using: &rng) < 4 ? 0 : Int.random(in: 0..<10, using: &rng)
                v.append(UInt8(0x30 + d))
                if k < n - 1 && Int.random(in: 0..<100, using: &rng) < sprinkle {
                    v.append(contentsOf: between[Int.random(in: 0..<between.count, using: &rng)])
                }
            }
            if Int.random(in: 0..<20, using: &rng) == 0 { v.append(0x20) }
            out.append(v)
        }
        return out
    }

    /// Values every validator accepts, in their usual spellings: the prefilters must let them through.
    static let acceptedValues: [String] = [
        "06 12 34 56 78", "0612345678", "01.45.67.89.10", "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78", "0033612345678",
        "+44 20 7946 0958", "0596 12 34 56", "+330612345678", "\u{00A0}06-12-34-56-78 ",
        "10003456781", "10 003 456 781", "810003456781",  // RPPS
        "750000010", "2A0000010", "75 000 001 0",  // FINESS / ADELI
        "732829320", "732 829 320", "73282932000074", "732 829 320 00074",  // SIREN, SIRET
        "01/07/1948", "1948-07-01", "19480701", "01.07.1948", "2020-01-31T10:00:00Z", " 01/07/1948 ",
        "29 Feb 2020",
    ]

    @Test func classTableCountsLikeTheSwitchOnEveryByte() {
        for b in 0...255 {
            let v = [UInt8(b), 0x61, UInt8(b), 0x61, UInt8(b), UInt8(b), 0x31, 0x20, UInt8(b)]
            #expect(ReferenceShape(Self.shape(v)) == ReferenceShape(v), "byte \(b)")
        }
    }

    @Test func classTableCountsLikeTheSwitchOnRandomBytes() {
        var rng = SeededGenerator(seed: 41)
        for round in 0..<3000 {
            // Long values too: the lanes are flushed every 255 bytes.
            let n = round % 10 == 0 ? Int.random(in: 250...1200, using: &rng) : Int.random(in: 0...40, using: &rng)
            let v = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(ReferenceShape(Self.shape(v)) == ReferenceShape(v))
        }
        // One class filling more than a lane: 1,000 digits, 600 letters.
        let long = [UInt8](repeating: 0x35, count: 1000) + [UInt8](repeating: 0x41, count: 600)
        #expect(ReferenceShape(Self.shape(long)) == ReferenceShape(long))
        #expect(Self.shape(long).digits == 1000)
    }

    /// A value the prefilters refuse is one the validator calls malformed; and the accepted
    /// values of the table all pass them.
    @Test func prefiltersRefuseOnlyMalformedValues() {
        var values = Self.identifierLikeValues(count: 40000, seed: 7)
        values += Self.acceptedValues.map { Array($0.utf8) }
        var accepted = (phone: 0, compact: 0, date: 0)
        var scratch: [UInt8] = []
        for v in values {
            v.withUnsafeBytes { p in
                let s = ValueShape(p)
                if s.hasNonCompactByte {
                    #expect(RPPSValidator.check(p, normalized: &scratch) == .malformed)
                    #expect(FINESSValidator.check(p, normalized: &scratch) == .malformed)
                    #expect(ADELIValidator.check(p, normalized: &scratch) == .malformed)
                    #expect(SIRENValidator.check(p, normalized: &scratch) == .malformed)
                    #expect(SIRETValidator.check(p, normalized: &scratch) == .malformed)
                } else if RPPSValidator.check(p, normalized: &scratch) != .malformed
                            || FINESSValidator.check(p, normalized: &scratch) != .malformed
                            || SIRENValidator.check(p, normalized: &scratch) != .malformed
                            || SIRETValidator.check(p, normalized: &scratch) != .malformed {
                    accepted.compact += 1
                }
                if !CellInspector.mayBePhone(p) {
                    #expect(PhoneValidator.check(p, normalized: &scratch) == .malformed, "\(String(decoding: v, as: UTF8.self))")
                } else if PhoneValidator.check(p, normalized: &scratch) != .malformed {
                    accepted.phone += 1
                }
                if !CellInspector.mayBeDate(s) {
                    #expect(DateParser.parse(p) == nil, "\(String(decoding: v, as: UTF8.self))")
                } else if DateParser.parse(p) != nil {
                    accepted.date += 1
                }
            }
        }
        // The corpus exercises the accepting side too.
        #expect(accepted.phone > 200 && accepted.compact > 200 && accepted.date >= 6)
        for t in Self.acceptedValues {
            var bytes = t
            bytes.withUTF8 { u in
                let p = UnsafeRawBufferPointer(u)
                let s = ValueShape(p)
                let someCompact = RPPSValidator.check(p, normalized: &scratch) != .malformed
                    || FINESSValidator.check(p, normalized: &scratch) != .malformed
                    || SIRENValidator.check(p, normalized: &scratch) != .malformed
                    || SIRETValidator.check(p, normalized: &scratch) != .malformed
                if someCompact { #expect(!s.hasNonCompactByte, "\(t)") }
                if PhoneValidator.check(p, normalized: &scratch) != .malformed { #expect(CellInspector.mayBePhone(p), "\(t)") }
                if DateParser.parse(p) != nil { #expect(CellInspector.mayBeDate(s), "\(t)") }
            }
        }
    }
}
