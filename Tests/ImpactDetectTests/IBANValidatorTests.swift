import Testing
@testable import ImpactDetect

@Suite struct IBANValidatorTests {
    /// regulatory.md §6.9 worked example, and registry examples of other countries.
    @Test(arguments: [
        ("FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
        ("FR7630006000011234567890189", "FR7630006000011234567890189"),
        ("fr76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
        ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),  // letter in the account
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
        ("NL91ABNA0417164300", "NL91ABNA0417164300"),
        ("BE68-5390-0754-7034", "BE68539007547034"),
        ("CH93 0076 2011 6238 5295 7", "CH9300762011623852957"),
    ])
    func valid(value: String, normalized: String) {
        #expect(IBANValidator.normalize(value) == (.valid, normalized))
    }

    @Test(arguments: ["FR7630006000011234567890188", "FR7730006000011234567890189", "DE88370400440532013000"])
    func invalidKey(value: String) {
        #expect(IBANValidator.check(value) == .invalidKey)
    }

    @Test(arguments: [
        "FR763000600001123456789018",    // FR must be 27
        "FR76300060000112345678901899",
        "DE8937040044053201300",         // DE must be 22
        "7630006000011234567890189FR",
        "FRXX30006000011234567890189",
        "FR76 3000 6000 0112 3456 7890 18!",
        "FR76",
        "",
    ])
    func malformed(value: String) {
        #expect(IBANValidator.check(value) == .malformed)
    }

    @Test func unlistedCountryNeedsOnlyTheGeneralLength() {
        // "ZZ" is in no registry: 15–34 characters and mod 97 = 1 decide.
        var s = "ZZ00123456789012345"
        var out: [UInt8] = []
        let first = IBANValidator.check(s, normalized: &out)
        #expect(first == .invalidKey || first == .valid)
        // Fix the check digits: 98 − (number with "00" mod 97).
        let rearranged = "123456789012345" + "3535" + "00"
        var rem = 0
        for c in rearranged { rem = (rem * 10 + Int(String(c))!) % 97 }
        s = "ZZ" + String(format: "%02d", 98 - rem) + "123456789012345"
        #expect(IBANValidator.check(s) == .valid)
    }
}
