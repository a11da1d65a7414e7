import Foundation
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

/// The checks of the classification sample against the way they were written before their
/// shortcuts (class table, prefilters, one fold for shapes and terms, verdict cache): the same
/// evidence, value by value, on the shared samples' cells and on identifier-like values.
@Suite struct CellInspectorDifferentialTests {
    /// ``CellInspector/inspectAll(_:into:)`` as it was: a shape by `switch`, every validator its
    /// shape allows, two folds (shapes, lexicon).
    static func referenceInspect(_ v: UnsafeRawBufferPointer, lexicon: TermLexicon, into e: inout FieldEvidence) {
        var scratch: [UInt8] = [], folded: [UInt8] = []
        let s = CellInspectorTests.ReferenceShape(Array(v))
        e.values += 1
        let isNumericLike = s.digits > 0 && s.asciiLetters == 0 && s.highBytes == 0 && s.at == 0 && s.other == 0
        if isNumericLike || (s.digits >= 10 && s.asciiLetters <= 2 && s.highBytes == 0 && s.at == 0) {
            if isNumericLike { e.numeric += 1 }
            if s.digits >= 12 && s.digits <= 15 {
                switch NIRValidator.check(v, normalized: &scratch) {
                case .valid(let kind): e.nirValid += 1; if kind == .temporary { e.nirTemporary += 1 }
                case .keyAbsent: e.nirKeyAbsent += 1
                case .invalidKey: e.nirInvalidKey += 1
                case .malformed: break
                }
            }
            if s.digits == 11 || s.digits == 12 {
                switch RPPSValidator.check(v, normalized: &scratch) {
                case .valid, .unchecked: e.rppsValid += 1
                case .invalidKey: e.rppsInvalidKey += 1
                case .malformed: break
                }
            }
            if s.digits >= 7 && s.digits <= 9 && s.length <= 11 {
                switch FINESSValidator.check(v, normalized: &scratch) {
                case .valid, .unchecked: e.finessValid += 1
                case .invalidKey: e.finessInvalidKey += 1
                case .malformed: break
                }
                if ADELIValidator.check(v, normalized: &scratch).isAccepted { e.adeliValid += 1 }
                if SIRENValidator.check(v, normalized: &scratch).isAccepted { e.sirenValid += 1 }
            }
            if s.digits == 14, SIRETValidator.check(v, normalized: &scratch).isAccepted { e.siretValid += 1 }
            if s.digits >= 8 && s.digits <= 15, PhoneValidator.check(v, normalized: &scratch).isAccepted { e.phone += 1 }
            if s.digits >= 6 && s.digits <= 14, let d = DateParser.parse(v) {
                e.date += 1
                e.minYear = min(e.minYear, d.year)
                e.maxYear = max(e.maxYear, d.year)
            }
            if s.digits == 5 && s.length == 5, PostalCodeValidator.check(v, normalized: &scratch).isAccepted { e.postalCode += 1 }
            if s.asciiLetters == 2 && s.digits >= 12 {
                switch IBANValidator.check(v, normalized: &scratch) {
                case .valid, .unchecked: e.ibanValid += 1
                case .invalidKey: e.ibanInvalidKey += 1
                case .malformed: break
                }
            }
            return
        }
        if s.at == 1 && s.spaces == 0 {
            if EmailValidator.check(v, normalized: &scratch).isAccepted { e.email += 1 }
            return
        }
        if s.asciiLetters == 2 && s.digits >= 12 {
            switch IBANValidator.check(v, normalized: &scratch) {
            case .valid, .unchecked: e.ibanValid += 1; return
            case .invalidKey: e.ibanInvalidKey += 1; return
            case .malformed: break
            }
        }
        if s.asciiLetters + s.highBytes > 0 {
            if s.digits == 0 && s.at == 0 && s.other == 0 && s.words <= 4 { e.nameShaped += 1 }
            if s.words >= 3 { e.multiWord += 1 }
            let shapes = ValueShapeLexicon.standard.shapes(of: v)
            if shapes.contains(.firstName) { e.firstNameShaped += 1 }
            if shapes.contains(.lastName) { e.lastNameShaped += 1 }
            if shapes.contains(.containsFirstName) { e.containsFirstName += 1 }
            if shapes.contains(.street) { e.streetShaped += 1 }
            if shapes.contains(.lab) { e.labShaped += 1 }
            if shapes.contains(.title) { e.titled += 1 }
            e.noteTerms(lexicon.scan(text: v, scratch: &folded))
        }
    }

    /// Every stored property of two evidences, compared (`termCells` as a dictionary).
    static func differences(_ a: FieldEvidence, _ b: FieldEvidence) -> [String] {
        var out: [String] = []
        for (x, y) in zip(Mirror(reflecting: a).children, Mirror(reflecting: b).children) {
            if let dx = x.value as? [Int32: Int], let dy = y.value as? [Int32: Int] {
                if dx != dy { out.append("\(x.label ?? "?"): \(dx) vs \(dy)") }
            } else if String(describing: x.value) != String(describing: y.value) {
                out.append("\(x.label ?? "?"): \(x.value) vs \(y.value)")
            }
        }
        return out
    }

    /// Text values that reach the lexicon and the shapes: case-sensitive terms, after-number
    /// terms, names, streets, labs, titles, accents, Greek letters.
    static let textValues: [String] = [
        "TTT en cours", "ttt en cours", "Patient sous PrEP", "prep", "ALD 30", "HSH", "test de grossesse", "35 SA", "SA",
        "β-hCG 1200", "γGT", "Dr Jean-François DUPONT", "Pr Anne Marie Roux", "12 rue de la Paix", "av. Foch",
        "Laboratoire BIOPATH", "LBM Synlab", "Centre de Biologie Médicale Entre-Deux-Mers", "Élodie", "ÉLODIE",
        "Jean-Pierre", "D'Almeida", "Le Gall", "MARTIN", "lieu dit Les Ormes", "VIH négatif", "ADN libre circulant",
        "génotypage VHC", "Œdème", "Straße", "Sérologie toxoplasmose", "Ferritinémie", "25-OH vitamine D", "µg/L",
        "Validé", "x", "É", "°", "a\u{00A0}b", "jean.dupont@mail.fr", "a@b", "FR76 3000 6000 0112 3456 7890 189",
        "FR7630006000011234567890189", "GB82WEST12345698765432",
    ]

    /// Cells of the shared CSV samples' beginnings (split on `;`, `,` and line ends: a corpus of real-looking
    /// values, not a parse), the text values and identifier-like values, each in one of 24 fields.
    static func corpus() throws -> [[UInt8]] {
        var values: [[UInt8]] = []
        for name in ["labs_en.csv", "labs_utf8_multiline.csv", "labs_fr_cp1252.csv"] {
            // The first 300 or so records of each: enough values, a short test.
            let data = try Array(Data(contentsOf: TestPaths.samples.appendingPathComponent(name)).prefix(64_000))
            values += data.split(whereSeparator: { $0 == 0x3B || $0 == 0x2C || $0 == 0x0A }).map(Array.init)
        }
        values += textValues.map { Array($0.utf8) }
        values += CellInspectorTests.acceptedValues.map { Array($0.utf8) }
        values += CellInspectorTests.identifierLikeValues(count: 5000, seed: 3)
        // Repeats, as in a leak's columns: the cache serves these.
        values += values.prefix(3000)
        return values
    }

    static func check(_ inspector: inout CellInspector, corpus: [[UInt8]]) -> [String] {
        let fields = 24
        var got = [FieldEvidence](repeating: FieldEvidence(), count: fields)
        var want = got
        for (k, v) in corpus.enumerated() where !v.isEmpty {
            v.withUnsafeBytes { p in
                inspector.inspectAll(p, into: &got[k % fields])
                referenceInspect(p, lexicon: .standard, into: &want[k % fields])
            }
        }
        var out: [String] = []
        for f in 0..<fields { out += differences(got[f], want[f]).map { "field \(f): \($0)" } }
        return out
    }

    @Test func sameEvidenceAsTheChecksWithoutShortcuts() throws {
        let corpus = try Self.corpus()
        var inspector = CellInspector(lexicon: .standard)
        let diffs = Self.check(&inspector, corpus: corpus)
        #expect(diffs.isEmpty, "\(diffs.prefix(10))")
        #expect(inspector.cache.count > 1000)
    }

    /// The verdict cache with 2-bit hashes (every lookup meets entries of other values with the
    /// same hash and length: only the byte comparison tells them apart), with a handful of
    /// entries (full at once) and with short values only.
    @Test(arguments: [(200, 64), (5, 64), (1, 64), (64, 3)])
    func sameEvidenceWithCollidingHashes(capacity: Int, maxLength: Int) throws {
        let corpus = try Self.corpus()
        var inspector = CellInspector(lexicon: .standard, cache: VerdictCache(capacity: capacity, maxLength: maxLength, hashMask: 3))
        let diffs = Self.check(&inspector, corpus: corpus)
        #expect(diffs.isEmpty, "\(diffs.prefix(10))")
        #expect(inspector.cache.count == min(capacity, Set(corpus.filter { !$0.isEmpty && $0.count <= maxLength }).count))
    }

    @Test func cacheFindsOnlyEqualBytes() {
        var cache = VerdictCache(capacity: 4, maxLength: 8, hashMask: 0)
        func find(_ s: String) -> Int? {
            var s = s
            return s.withUTF8 { cache.find(UnsafeRawBufferPointer($0), hash: cache.hash(UnsafeRawBufferPointer($0))) }
        }
        func add(_ s: String, _ year: Int) {
            var s = s, v = CellVerdict()
            v.year = year
            s.withUTF8 { cache.add(UnsafeRawBufferPointer($0), hash: cache.hash(UnsafeRawBufferPointer($0)), verdict: v) }
        }
        add("abc", 1); add("abd", 2); add("", 3); add("123456789", 4); add("ab", 5); add("zz", 6); add("yy", 7)
        #expect(find("abc").map { cache.verdicts[$0].year } == 1)
        #expect(find("abd").map { cache.verdicts[$0].year } == 2)
        #expect(find("").map { cache.verdicts[$0].year } == 3)
        #expect(find("123456789") == nil)  // longer than maxLength: not kept
        #expect(find("ab").map { cache.verdicts[$0].year } == 5)
        #expect(find("zz") == nil && find("yy") == nil)  // full
        #expect(find("abe") == nil && find("ABC") == nil && find("a") == nil)
        #expect(cache.count == 4)
    }
}
