import Testing
@testable import ImpactDetect
import Foundation
import ImpactTestSupport


@Suite struct NIRValidatorTests {
    /// regulatory.md §6.1 worked examples (keys recomputed with python-stdnum).
    @Test(arguments: [
        ("255081416802538", NIROutcome.valid(.regular), "255081416802538"),
        ("178059933010817", .valid(.regular), "178059933010817"),    // born abroad, country 330
        ("253072B07300470", .valid(.regular), "253072B07300470"),    // 2B → 18 for the key
        ("253072A07300443", .valid(.regular), "253072A07300443"),    // 2A → 19
        ("295109912611193", .valid(.regular), "295109912611193"),
        ("2 55 08 14 168 025 38", .valid(.regular), "255081416802538"),
        ("2.55.08.14.168.025.38", .valid(.regular), "255081416802538"),
        ("2-55-08-14-168-025-38", .valid(.regular), "255081416802538"),
        ("2\u{00A0}55\u{00A0}08\u{00A0}14\u{00A0}168\u{00A0}025\u{00A0}38", .valid(.regular), "255081416802538"),
        ("  255081416802538\t", .valid(.regular), "255081416802538"),
        ("253072b07300470", .valid(.regular), "253072B07300470"),    // lower-case 2b
    ] as [(String, NIROutcome, String)])
    func workedExamples(value: String, outcome: NIROutcome, normalized: String) {
        let r = NIRValidator.normalize(value)
        #expect(r.outcome == outcome)
        #expect(r.normalized == normalized)
    }

    /// ../shared/cases/017-nir-corsica-and-format-variants: all 7 `nir` values accepted,
    /// 6 with a valid key, 1 key-less; the letters 2A/2B are kept.
    @Test(arguments: [
        ("285022A04512386", NIROutcome.valid(.regular), "285022A04512386"),
        ("179112B03345646", .valid(.regular), "179112B03345646"),
        ("162072000432120", .valid(.regular), "162072000432120"),      // department 20 (pre-1976 Corsica)
        ("2 91 04 75 056 789 32", .valid(.regular), "291047505678932"), // spaced
        ("170351305501214", .valid(.regular), "170351305501214"),      // month 35
        ("185079721234556", .valid(.regular), "185079721234556"),      // department 972
        ("294032B120005", .keyAbsent, "294032B120005"),
    ] as [(String, NIROutcome, String)])
    func case017NirColumnAllAccepted(value: String, outcome: NIROutcome, normalized: String) {
        let r = NIRValidator.normalize(value)
        #expect(r.outcome == outcome)
        #expect(r.outcome.isAccepted)
        #expect(r.normalized == normalized)
    }

    /// ../shared/cases/017: none of `ref_dossier` is a NIR (6 keys off by one, 1 starting with 3
    /// and month 00). 271123305701908 passes Luhn: still not a NIR.
    @Test(arguments: [
        ("184067511405237", NIROutcome.invalidKey),
        ("271123305701908", .invalidKey),
        ("199014410920358", .invalidKey),
        ("263055935018440", .invalidKey),
        ("152086206300771", .invalidKey),
        ("202041305514054", .invalidKey),
        ("300000000000007", .malformed),
    ] as [(String, NIROutcome)])
    func case017RefDossierNotNir(value: String, outcome: NIROutcome) {
        #expect(NIRValidator.check(value) == outcome)
        #expect(!NIRValidator.check(value).isAccepted)
    }

    /// ../shared/cases/018-nir-temporary-nia: 7/8 temporary numbers (NIA) are NIR-like, valid key.
    @Test(arguments: [
        ("788019935102175", NIROutcome.valid(.temporary)),
        ("892059935004494", .valid(.temporary)),
        ("175065935012363", .valid(.regular)),
        ("801089935017706", .valid(.temporary)),
    ] as [(String, NIROutcome)])
    func case018TemporaryNumbersAccepted(value: String, outcome: NIROutcome) {
        #expect(NIRValidator.check(value) == outcome)
    }

    /// The in-place check of the compact form agrees with the general one, and declines
    /// (nil) every value that needs trimming, compacting or upper-casing.
    @Test(arguments: [
        ("255081416802538", NIROutcome?.some(.valid(.regular))),
        ("253072B07300470", .valid(.regular)),
        ("253072A07300443", .valid(.regular)),
        ("788019935102175", .valid(.temporary)),
        ("184067511405237", .invalidKey),
        ("300000000000007", .malformed),
        ("255081416802539", .invalidKey),          // key off by one
        ("253072b07300470", nil),                  // lower-case 2b: the general path upper-cases
        ("2 55 08 14 168 025 38", nil),            // separators
        ("2550814168025", nil),                    // 13 characters, no key
        (" 25508141680253", nil),                  // 15 bytes with a blank
        ("25508141680253X", nil),
    ] as [(String, NIROutcome?)])
    func compactCheckAgreesWithTheGeneralCheck(value: String, expected: NIROutcome?) {
        expectCompactCheck(value, expected, compact: NIRValidator.checkCompact, general: { NIRValidator.check($0) })
    }

    /// The key against the rule written out (INSEE: 97 − N mod 97, 2A → 19, 2B → 18), on
    /// seeded random NIR bodies, Corsican ones included.
    @Test func keyMatchesTheRuleOnRandomBodies() {
        var g = SeededGenerator(seed: 97)
        for _ in 0..<5_000 {
            func digits(_ n: Int, _ range: ClosedRange<Int>) -> String {
                String(Int.random(in: range, using: &g)).leftPadded(to: n)
            }
            let department = Int.random(in: 0..<10, using: &g) == 0 ? ["2A", "2B"].randomElement(using: &g)! : digits(2, 1...95)
            let body = digits(1, 1...2) + digits(2, 0...99) + digits(2, 1...12) + department + digits(3, 1...999) + digits(3, 1...999)
            let numeric = body.replacingOccurrences(of: "2A", with: "19").replacingOccurrences(of: "2B", with: "18")
            let expected = 97 - Int(UInt64(numeric)! % 97)
            #expect(NIRValidator.key(ofNormalized: Array(body.utf8)) == expected, "\(body)")
        }
    }

    /// The in-place check of 15 digits (two words of eight characters, ``DecimalWord``) against
    /// the rule written out, on seeded random bodies: the right key is valid, any other key is
    /// invalid, and a non-digit anywhere but a Corsican department declines to the general path.
    @Test func compactCheckMatchesTheRuleOnRandomNIRs() {
        var g = SeededGenerator(seed: 15)
        for _ in 0..<5_000 {
            func digits(_ n: Int, _ range: ClosedRange<Int>) -> String {
                String(Int.random(in: range, using: &g)).leftPadded(to: n)
            }
            let sex = ["1", "2", "3", "4", "7", "8"].randomElement(using: &g)!
            let body = sex + digits(2, 0...99) + digits(2, 1...12) + digits(2, 1...95) + digits(3, 0...999) + digits(3, 1...999)
            let key = 97 - Int(UInt64(body)! % 97)
            let kind: NIRKind = "12".contains(sex) ? .regular : "34".contains(sex) ? .provisional : .temporary
            expectCompactCheck(body + digits(2, key...key), .valid(kind), compact: NIRValidator.checkCompact,
                               general: { NIRValidator.check($0) })
            let wrong = (key + Int.random(in: 1...99, using: &g)) % 100
            expectCompactCheck(body + digits(2, wrong...wrong), .invalidKey, compact: NIRValidator.checkCompact,
                               general: { NIRValidator.check($0) })
            var bytes = Array((body + digits(2, key...key)).utf8)
            let at = Int.random(in: 0..<15, using: &g)
            bytes[at] = Array(":/ Z-.".utf8).randomElement(using: &g)!
            let value = String(decoding: bytes, as: UTF8.self)
            expectCompactCheck(value, nil, compact: NIRValidator.checkCompact, general: { NIRValidator.check($0) })
        }
    }

    /// Eight characters as one word: every digit string gives its number, any other byte at any
    /// place is not eight digits.
    @Test func decimalWordsReadEightDigits() {
        func word(_ s: String) -> UInt64 { Array(s.utf8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } }
        for s in ["00000000", "99999999", "12345678", "00000001", "10000000", "09876543"] {
            #expect(DecimalWord.isEightDigits(word(s)), "\(s)")
            #expect(DecimalWord.value(ofEightDigits: word(s)) == UInt64(s)!, "\(s)")
        }
        var g = SeededGenerator(seed: 8)
        for _ in 0..<10_000 {
            let s = String(Int.random(in: 0...99_999_999, using: &g)).leftPadded(to: 8)
            #expect(DecimalWord.value(ofEightDigits: word(s)) == UInt64(s)!, "\(s)")
        }
        for at in 0..<8 {
            for b: UInt8 in [0x00, 0x2F, 0x3A, 0x3F, 0x40, 0x41, 0x20, 0xB0, 0xF9, 0xFF] {
                var bytes = Array("12345678".utf8)
                bytes[at] = b
                #expect(!DecimalWord.isEightDigits(bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }), "byte \(b) at \(at)")
            }
        }
    }

    @Test func provisionalKindFromSexDigit3Or4() throws {
        var n: [UInt8] = Array("3850775123456".utf8)
        let key = try #require(NIRValidator.key(ofNormalized: n))
        n += Array(String(format: "%02d", key).utf8)
        #expect(NIRValidator.check(String(decoding: n, as: UTF8.self)) == .valid(.provisional))
    }

    /// regulatory.md §6.14: a value that passes Luhn but fails the NIR key is not a NIR.
    @Test func luhnValidButWrongNirKeyIsInvalidKey() {
        #expect(LuhnCheck.isValid("185077512345609"))
        #expect(NIRValidator.check("185077512345609") == .invalidKey)
        #expect(NIRValidator.check("185077512345608") == .valid(.regular))  // key 08
    }

    @Test(arguments: [
        "555081416802538",   // sex digit 5
        "655081416802538",   // sex digit 6
        "255001416802538",   // month 00
        "255131416802538",   // month 13
        "255251416802538",   // month 25
        "255451416802538",   // month 45
        "255080016802538",   // department 00
        "255089706802538",   // department 970 (971–978 only)
        "255089816802538",   // department 98 with third digit 1 (984–989 only)
        "255081416800038",   // order number 000
        "25508141680253",    // 14 characters
        "2550814168025381",  // 16 characters
        "255081416802A38",   // letter outside the department
        "253073A07300443",   // 3A is no department
        "2550814168025X8",   // letter in the key
        "255081416802538/",  // other punctuation
        "",
        "NIR",
    ])
    func nearMissesAreNotAccepted(value: String) {
        #expect(NIRValidator.check(value) == .malformed, "\(value)")
        var out: [UInt8] = [1, 2, 3]
        _ = NIRValidator.check(value, normalized: &out)
        #expect(out.isEmpty)
    }

    /// 97 and 98 take a third department digit: 971–978 and 984–989; 99 is born abroad.
    @Test func overseasDepartments() {
        for d in ["971", "972", "973", "974", "975", "976", "977", "978", "984", "988", "989", "991", "993"] {
            #expect(NIRValidator.check("25508\(d)12345678".prefix(13).description) == .keyAbsent, "\(d)")
        }
        for d in ["970", "979", "980", "983"] {
            #expect(NIRValidator.check("25508\(d)12345678".prefix(13).description) == .malformed, "\(d)")
        }
    }

    @Test func monthRulesAcceptPseudoMonths() {
        for month in [1, 12, 20, 30, 35, 42, 50, 99] {
            let base = "2 55 \(String(format: "%02d", month)) 14 168 025"
            var out: [UInt8] = []
            _ = NIRValidator.check(base, normalized: &out)
            #expect(out.count == 13, "month \(month)")
        }
    }

    @Test func fieldsForCrossChecks() throws {
        var out: [UInt8] = []
        #expect(NIRValidator.check("2 55 08 14 168 025 38", normalized: &out) == .valid(.regular))
        let f = try #require(NIRValidator.fields(of: out))
        #expect(f.sexDigit == 2)
        #expect(!f.isMale)
        #expect(f.birthYear == 55)
        #expect(f.birthMonth == 8)
        #expect(f.hasRealBirthMonth)
        var pseudo: [UInt8] = []
        _ = NIRValidator.check("170351305501214", normalized: &pseudo)
        let g = try #require(NIRValidator.fields(of: pseudo))
        #expect(g.birthMonth == 35)
        #expect(!g.hasRealBirthMonth)
        #expect(g.isMale)
        #expect(NIRValidator.fields(of: Array("12345".utf8)) == nil)
    }

    @Test func keyForASeparateKeyColumn() {
        #expect(NIRValidator.key(ofNormalized: Array("2550814168025".utf8)) == 38)
        #expect(NIRValidator.key(ofNormalized: Array("253072B073004".utf8)) == 70)
        #expect(NIRValidator.key(ofNormalized: Array("253072A073004".utf8)) == 43)
        #expect(NIRValidator.key(ofNormalized: Array("5550814168025".utf8)) == nil)
    }
}
