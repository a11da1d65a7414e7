import Testing
@testable import ImpactDetect

@Suite struct SIRENValidatorTests {
    /// regulatory.md §6.7: 732 829 320, Luhn sum 40.
    @Test(arguments: [("732829320", "732829320"), ("732 829 320", "732829320"), ("732\u{00A0}829\u{00A0}320", "732829320")])
    func valid(value: String, normalized: String) {
        #expect(SIRENValidator.normalize(value) == (.valid, normalized))
    }

    @Test func invalidKey() {
        #expect(SIRENValidator.check("732829321") == .invalidKey)
    }

    @Test(arguments: ["73282932", "7328293200", "73282932O", "732.829.320", ""])
    func malformed(value: String) {
        #expect(SIRENValidator.check(value) == .malformed)
    }
}
