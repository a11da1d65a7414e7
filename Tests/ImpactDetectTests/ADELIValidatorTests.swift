import Testing
@testable import ImpactDetect

@Suite struct ADELIValidatorTests {
    @Test func numericNumberWithLuhnKey() {
        #expect(ADELIValidator.normalize("751012345") == (.valid, "751012345"))
        #expect(ADELIValidator.normalize(" 75 101 2345 ") == (.valid, "751012345"))
    }

    @Test func wrongKey() {
        #expect(ADELIValidator.check("751012346") == .invalidKey)
    }

    /// regulatory.md §6.5: 2A/2B (Corsica) and 9A–9F (overseas) prefixes; no known check.
    @Test(arguments: ["2A1234567", "2b1234567", "9A0000001", "9F7654321"])
    func letterPrefixesAreUnchecked(value: String) {
        let r = ADELIValidator.normalize(value)
        #expect(r.outcome == .unchecked)
        #expect(r.outcome.isAccepted)
        #expect(r.normalized == value.uppercased())
    }

    @Test(arguments: ["9G1234567", "2C1234567", "AB1234567", "75101234", "7510123456", "75101234X", "75-101-2345"])
    func malformed(value: String) {
        #expect(ADELIValidator.check(value) == .malformed)
    }
}
