import Testing
import ImpactTestSupport
@testable import ImpactDetect

@Suite struct TextFoldTests {
    @Test(arguments: [
        ("Allergie connue\nà l'arachide", "allergie connue a l arachide"),
        ("Œdème, Cœur", "oedeme coeur"),
        ("ÆSTHÉTIQUE ætat", "aesthetique aetat"),
        ("Straße", "strasse"),
        ("Ça va, Élodie ? Ÿ", "ca va elodie y"),
        ("De\u{0301}pistage", "depistage"),                // decomposed accent
        ("É\u{0301}\u{0302}", "e"),                        // several combining marks
        ("N° Sécurité Sociale", "n securite sociale"),
        ("Né(e) le", "ne e le"),
        ("l’arachide", "l arachide"),                      // typographic apostrophe
        ("a\u{00A0}b\u{202F}c", "a b c"),                  // NBSP, narrow NBSP
        ("  --__..  ", ""),
        ("exams[].code", "exams code"),
        ("β-hCG", "beta hcg"),
        ("γGT", "gamma gt"),
        ("Łódź, Dvořák, Ørsted, Þór, Đorđe", "lodz dvorak orsted thor dorde"),
        ("ĲSSEL ĳs ſ", "ijssel ijs s"),
        ("x² µg", "x2 ug"),
        ("日本語 text", "text"),                           // other scripts separate words
        ("emoji 😀 ok", "emoji ok"),
        ("ABC123def", "abc123def"),
    ])
    func folds(input: String, expected: String) {
        #expect(TextFold.fold(input) == expected)
    }

    @Test func invalidUTF8BytesSeparateWords() {
        let bytes: [UInt8] = [0x61, 0xE9, 0x62, 0xC3, 0x28, 0x63, 0xF0, 0x9F, 0x98]  // a, cp1252 é, b, bad pair, (, c, truncated
        var out: [UInt8] = []
        bytes.withUnsafeBytes { TextFold.fold($0, into: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "a b c")
    }

    /// The longest expansion (a Greek letter spelled out) must fit the output buffer.
    @Test func worstCaseExpansionFits() {
        let s = String(repeating: "λ", count: 1000)
        #expect(TextFold.fold(s) == Array(repeating: "lambda", count: 1000).joined(separator: " "))
        #expect(TextFold.fold("αβγδκλ") == "alpha beta gamma delta kappa lambda")
    }

    @Test func preservingCase() {
        #expect(TextFold.fold("Patient sous AVK (Préviscan), ŒDÈME", preservingCase: true) == "Patient sous AVK Previscan OEDEME")
        #expect(TextFold.fold("PrEP", preservingCase: true) == "PrEP")
    }

    @Test func outputBufferIsOverwrittenAndReused() {
        var out: [UInt8] = Array(repeating: 0x7A, count: 100)
        var s = "Éa"
        s.withUTF8 { TextFold.fold(UnsafeRawBufferPointer($0), into: &out) }
        #expect(out == Array("ea".utf8))
        let capacity = out.capacity
        s = "bb"
        s.withUTF8 { TextFold.fold(UnsafeRawBufferPointer($0), into: &out) }
        #expect(out == Array("bb".utf8))
        #expect(out.capacity == capacity)
    }

    /// One fold serves both matches (the classification sample): the case-kept fold,
    /// lower-cased in place, is the lower-cased fold, on every code point up to U+0400 (Latin,
    /// combining marks, Greek), on their upper- and lower-case runs and on random byte strings.
    @Test func lowerCasingTheCaseKeptFoldGivesTheFold() {
        func check(_ bytes: [UInt8]) {
            var kept: [UInt8] = [], lower: [UInt8] = []
            bytes.withUnsafeBytes { v in
                TextFold.fold(v, into: &kept, preservingCase: true)
                TextFold.fold(v, into: &lower, preservingCase: false)
            }
            kept.withUnsafeMutableBufferPointer { TextFold.lowerCaseFolded($0) }
            #expect(kept == lower, "\(bytes)")
        }
        for cp in 0x20..<0x400 {
            guard let u = Unicode.Scalar(cp) else { continue }
            let c = String(Character(u))
            check(Array("A\(c)Z\(c)\(c)ÉÉÉÉÉÉÉÉ x9\(c)".utf8))
        }
        check(Array("ŒDÈME CŒUR, ÆSTHÉTIQUE Straße ΒΕΤΑ-hCG ĲSSEL DVOŘÁK".utf8))
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<2000 {
            let n = Int.random(in: 0...60, using: &rng)
            check((0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
    }

    @Test func nameKey() {
        for s in ["Jean-Pierre", "JEAN PIERRE", "jean pierre", "Jean  Pierre", "Jéan-Piérre"] {
            #expect(TextFold.nameKey(s) == "jeanpierre", "\(s)")
        }
        #expect(TextFold.nameKey("D'Almeida") == TextFold.nameKey("DALMEIDA"))
        #expect(TextFold.nameKey("LŒILLET") == "loeillet")
        #expect(TextFold.nameKey("Dupont") != TextFold.nameKey("Dupond"))
    }

    @Test func mayContainLetter() {
        func check(_ s: String) -> Bool { var c = s; return c.withUTF8 { TextFold.mayContainLetter(UnsafeRawBufferPointer($0)) } }
        #expect(!check("12,50"))
        #expect(!check("2024-06-07 15:26"))
        #expect(check("12 SA"))
        #expect(check("é"))
    }
}
