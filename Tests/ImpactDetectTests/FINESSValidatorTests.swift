import Testing
@testable import ImpactDetect

@Suite struct FINESSValidatorTests {
    /// regulatory.md §6.6: five real FINESS numbers, all Luhn-valid; and the labs of the samples.
    @Test(arguments: ["750712184", "690781810", "130786049", "750803447", "330781196", "440629855", "560869976"])
    func valid(value: String) {
        #expect(FINESSValidator.normalize(value) == (.valid, value))
    }

    @Test(arguments: ["750712185", "690781811", "130786040"])
    func invalidKey(value: String) {
        #expect(FINESSValidator.check(value) == .invalidKey)
    }

    @Test(arguments: ["2A0012345", "2B0098765", "9C0000017"])
    func corsicaAndOverseasAreUnchecked(value: String) {
        #expect(FINESSValidator.check(value) == .unchecked)
    }

    @Test(arguments: ["75071218", "7507121845", "75071218A", "9Z0000000", "", "FINESS"])
    func malformed(value: String) {
        #expect(FINESSValidator.check(value) == .malformed)
        var out: [UInt8] = [9]
        _ = FINESSValidator.check(value, normalized: &out)
        #expect(out.isEmpty)
    }
}
