import Testing
@testable import ImpactDetect

@Suite struct LuhnCheckTests {
    @Test(arguments: ["732829320", "73282932000074", "750712184", "10244723747", "79927398713", "0"])
    func validNumbers(digits: String) {
        #expect(LuhnCheck.isValid(digits))
    }

    @Test(arguments: ["732829321", "73282932000075", "750712185", "79927398710", "12"])
    func wrongCheckDigit(digits: String) {
        #expect(!LuhnCheck.isValid(digits))
    }

    @Test(arguments: ["", "7328 29320", "73282932O", "-1", "１２"])
    func nonDigitsAreNeverValid(value: String) {
        #expect(!LuhnCheck.isValid(value))
    }

    /// regulatory.md §6.13: LOINC check digits are the Luhn digit of the code number.
    @Test(arguments: [("2345", 7), ("718", 7), ("26464", 8), ("1558", 6), ("4548", 4), ("21198", 7), ("2106", 3)])
    func loincWorkedExamples(payload: String, check: Int) {
        #expect(LuhnCheck.checkDigit(payload) == UInt8(check))
        #expect(LuhnCheck.isValid(payload + String(check)))
    }

    @Test func checkDigitRejectsNonDigits() {
        #expect(LuhnCheck.checkDigit("") == nil)
        #expect(LuhnCheck.checkDigit("12a") == nil)
    }
}
