import Testing
@testable import ImpactDetect
import ImpactTestSupport

@Suite struct RPPSValidatorTests {
    /// RPPS numbers of ../shared/samples (synthetic, Luhn-valid) and the IdNat_PS form.
    @Test(arguments: [
        ("10244723747", "10244723747"),
        ("10092113249", "10092113249"),
        (" 10027206639 ", "10027206639"),
        ("810391815585", "10391815585"),      // IdNat_PS = 8 + RPPS
        ("10 39 18 15 585", "10391815585"),
    ])
    func valid(value: String, normalized: String) {
        let r = RPPSValidator.normalize(value)
        #expect(r.outcome == .valid)
        #expect(r.normalized == normalized)
    }

    /// The in-place check of the compact form agrees with the general one and declines (nil)
    /// every other form.
    @Test(arguments: [
        ("10244723747", ValidationOutcome?.some(.valid)),
        ("10092113249", .valid),
        ("10244723748", .invalidKey),                     // key off by one
        ("20244723747", nil),                             // not 10…: the general check says malformed
        ("810391815585", nil),                            // IdNat_PS: normalised by the general check
        (" 10027206639", nil),
        ("10 39 18 15 585", nil),
        ("1024472374A", nil),
    ] as [(String, ValidationOutcome?)])
    func compactCheckAgreesWithTheGeneralCheck(value: String, expected: ValidationOutcome?) {
        expectCompactCheck(value, expected, compact: RPPSValidator.checkCompact, general: { RPPSValidator.check($0) })
    }

    /// The word-at-a-time Luhn sum of the compact check against the digit loop
    /// (`LuhnCheck.sum`), on seeded random numbers starting with 10, and a non-digit at any
    /// place declining to the general check.
    @Test func compactCheckMatchesTheLuhnLoopOnRandomNumbers() {
        var g = SeededGenerator(seed: 11)
        for _ in 0..<5_000 {
            let value = "10" + String(Int.random(in: 0...999_999_999, using: &g)).leftPadded(to: 9)
            let sum = value.utf8.withContiguousStorageIfAvailable { LuhnCheck.sum(UnsafeRawBufferPointer($0), doubleFirst: false) }!!
            expectCompactCheck(value, sum % 10 == 0 ? .valid : .invalidKey, compact: RPPSValidator.checkCompact,
                               general: { RPPSValidator.check($0) })
            var bytes = Array(value.utf8)
            bytes[Int.random(in: 2..<11, using: &g)] = Array(":/ A.".utf8).randomElement(using: &g)!
            let broken = String(decoding: bytes, as: UTF8.self)
            expectCompactCheck(broken, nil, compact: RPPSValidator.checkCompact, general: { RPPSValidator.check($0) })
        }
    }

    @Test(arguments: ["10244723748", "10092113240", "810391815586"])
    func invalidKey(value: String) {
        #expect(RPPSValidator.check(value) == .invalidKey)
    }

    @Test(arguments: [
        "20244723747",     // does not start with 10
        "1024472374",      // 10 digits
        "102447237471",    // 12 digits, not 8 + RPPS
        "33612345678",     // phone without its leading 0 (regulatory.md §6.14)
        "1024472374A",
        "10-244-723-747",
        "",
    ])
    func malformed(value: String) {
        #expect(RPPSValidator.check(value) == .malformed)
    }
}
