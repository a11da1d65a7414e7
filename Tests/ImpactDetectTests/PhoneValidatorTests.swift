import Testing
@testable import ImpactDetect

@Suite struct PhoneValidatorTests {
    @Test(arguments: [
        ("06 12 34 56 78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("06-12-34-56-78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33612345678", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("+33 06 12 34 56 78", "+33612345678"),       // trunk 0 written after +33
        ("01.45.67.89.10", "+33145678910"),
        ("09 70 12 34 56", "+33970123456"),
        ("\u{00A0}06\u{00A0}12\u{00A0}34\u{00A0}56\u{00A0}78 ", "+33612345678"),
        // Overseas departments: their own country codes (ITU E.164).
        ("0596 12 34 56", "+596596123456"),
        ("+33 5 96 12 34 56", "+596596123456"),
        ("+596 596 12 34 56", "+596596123456"),
        ("0696 12 34 56", "+596696123456"),
        ("0590 12 34 56", "+590590123456"),
        ("0690 12 34 56", "+590690123456"),
        ("0594 12 34 56", "+594594123456"),
        ("0262 12 34 56", "+262262123456"),
        ("0692 12 34 56", "+262692123456"),
        ("0693 12 34 56", "+262693123456"),
        ("0269 12 34 56", "+262269123456"),
        ("0639 12 34 56", "+262639123456"),
        ("+262 0692 12 34 56", "+262692123456"),
        // Other countries.
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 (555) 123-4567", "+15551234567"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+32 2 555 12 12", "+3225551212"),
    ])
    func valid(value: String, normalized: String) {
        #expect(PhoneValidator.normalize(value) == (.valid, normalized))
    }

    /// ../shared/cases/020-dates-vs-phones-and-normalisation: 6 values, 4 distinct numbers.
    @Test func case020SixValuesFourNumbers() {
        let values = ["06 12 34 56 78", "+33 7 81 22 33 44", "01.45.67.89.10", "+33 6 12 34 56 78",
                      "0596 12 34 56", "0781223344"]
        let r = values.map { PhoneValidator.normalize($0) }
        #expect(r.allSatisfy { $0.outcome == .valid })
        #expect(Set(r.map(\.normalized)) == ["+33612345678", "+33781223344", "+33145678910", "+596596123456"])
    }

    /// ../shared/cases/020: ISO order dates, postal codes and order numbers are not phones.
    @Test(arguments: [
        "2024-06-07", "2026-06-07", "14/02/1987", "01.02.1990", "20240607",
        "01000", "75015", "97200",
        "1234567", "12345678", "123456789012", "D61499134",
        "0012345678",        // 00 + 8 digits: an order number, not an international call
        "00 12 34 56 78",
        "0012 345 678",
        "612345678",         // leading zero lost: not taken (cannot be told from other numbers)
        "06 12 34 56 7",     // 9 digits
        "06 12 34 56 789",   // 11 digits
        "+33 6 12 34 56 7",  // +33 with 8 digits
        "+0 612345678",
        "+33 6 12 34 56 78 ext 12",
        "tel: 0612345678",
        "06 12 34 56 78.",
        "",
    ])
    func notPhones(value: String) {
        #expect(PhoneValidator.check(value) == .malformed, "\(value)")
    }
}
