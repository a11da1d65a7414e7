import Testing
@testable import ImpactDetect

@Suite struct SIRETValidatorTests {
    /// regulatory.md §6.7: 732 829 320 00074.
    @Test(arguments: [("73282932000074", "73282932000074"), ("732 829 320 00074", "73282932000074")])
    func valid(value: String, normalized: String) {
        #expect(SIRETValidator.normalize(value) == (.valid, normalized))
    }

    @Test func invalidKey() {
        #expect(SIRETValidator.check("73282932000075") == .invalidKey)
    }

    /// La Poste: establishments 356000000… are valid when the digit sum is a multiple of 5
    /// (they fail Luhn); the head office 35600000000048 follows Luhn.
    @Test func laPosteException() {
        #expect(!LuhnCheck.isValid("35600000049837"))
        #expect(SIRETValidator.check("35600000049837") == .valid)       // digit sum 45
        #expect(SIRETValidator.check("35600000012345") == .invalidKey)  // digit sum 29
        #expect(SIRETValidator.check("35600000000048") == .valid)       // head office, Luhn
        #expect(SIRETValidator.check("35600000000049") == .invalidKey)
    }

    @Test(arguments: ["7328293200007", "732829320000744", "7328293200007A", ""])
    func malformed(value: String) {
        #expect(SIRETValidator.check(value) == .malformed)
    }
}
