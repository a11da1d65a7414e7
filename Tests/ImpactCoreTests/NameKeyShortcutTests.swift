import Testing
import ImpactDetect
import ImpactTestSupport
@testable import ImpactCore

/// The shortcut for the name key of separate family and given-name fields (plain ASCII and
/// Latin-1 letters, no folding or splitting) against the general path, which folds and splits.
@Suite struct NameKeyShortcutTests {
    /// An extractor per test (it owns scratch buffers: not shared between parallel tests).
    static func extractor() -> RecordExtractor {
        RecordExtractor(lexicon: TermLexicon.standard, hasher: SubjectKeyHasher(k0: 1, k1: 2))
    }

    /// The shortcut's key bytes (nil: it declined) and the general path's, for one pair.
    static func keys(_ family: String, _ given: String, _ e: RecordExtractor = extractor()) -> (shortcut: [UInt8]?, general: [UInt8]?) {
        return Array(family.utf8).withUnsafeBytes { f in
            Array(given.utf8).withUnsafeBytes { g in
                let shortcut = e.plainNameKeyBytes(family: f, given: g).map { Array($0) }
                let general = e.foldedNameKeyBytes(family: f, given: g).map { Array($0) }
                return (shortcut, general)
            }
        }
    }

    @Test(arguments: [
        ("DUPONT", "Jean", "dupont\u{1F}jean"),
        ("Lévêque", "Théo", "leveque\u{1F}theo"),
        ("LÉVÊQUE", "THÉO", "leveque\u{1F}theo"),
        ("Müller", "Zoë", "muller\u{1F}zoe"),
        ("GARÇON", "Anaïs", "garcon\u{1F}anais"),
    ])
    func accentedLettersTakeTheShortcut(family: String, given: String, expected: String) {
        let k = Self.keys(family, given)
        #expect(k.shortcut == Array(expected.utf8))
        #expect(k.general == Array(expected.utf8))
    }

    /// Values the shortcut must leave to the general path: separators, ligatures and letters
    /// folding to two, decomposed accents, other scripts, an empty part.
    @Test(arguments: [
        ("Le Gall", "Jean"), ("N'GUYEN", "Thi"), ("DUPONT", "Jean-Pierre"), ("Lætitia", "Anne"),
        ("STRAUß", "Hans"), ("Œuvray", "Paul"), ("Jose\u{301}", "Maria"), ("Δημήτρης", "Nikos"),
        ("DUPONT", ""), ("", "Jean"), ("×", "Jean"), ("DUPONT1", "Jean"),
    ])
    func otherValuesDeclineTheShortcut(family: String, given: String) {
        #expect(Self.keys(family, given).shortcut == nil)
    }

    /// Random names over ASCII letters, every character of U+00C0…U+00FF, separators and other
    /// letters: whenever the shortcut answers, the general path gives the same bytes.
    @Test func shortcutAgreesWithTheGeneralPathOnRandomNames() {
        var g = SeededGenerator(seed: 0xC3)
        let latin1 = (0xC0...0xFF).map { String(UnicodeScalar(UInt8($0))) }
        let others = ["-", " ", "'", "’", "Œ", "ł", "\u{301}", "β", "1", "."]
        let ascii = (0x41...0x5A).map { String(UnicodeScalar(UInt8($0))) } + (0x61...0x7A).map { String(UnicodeScalar(UInt8($0))) }
        var answered = 0
        let e = Self.extractor()
        for _ in 0..<20_000 {
            func name() -> String {
                var s = ""
                for _ in 0..<Int.random(in: 1...10, using: &g) {
                    switch Int.random(in: 0..<20, using: &g) {
                    case 0..<12: s += ascii.randomElement(using: &g)!
                    case 12..<19: s += latin1.randomElement(using: &g)!
                    default: s += others.randomElement(using: &g)!
                    }
                }
                return s
            }
            let (family, given) = (name(), name())
            let k = Self.keys(family, given, e)
            if let shortcut = k.shortcut {
                answered += 1
                #expect(shortcut == k.general, "\(family) / \(given)")
            }
        }
        #expect(answered > 5_000)
    }
}
