import Testing
@testable import ImpactSynth

/// The generator's own check-digit implementations, on the worked examples of
/// ../shared/domain/regulatory.md §6.1, §6.6.
@Suite struct CheckDigitsTests {
    @Test(arguments: [
        ("2550814168025", 38),
        ("1780599330108", 17),
        ("253072B073004", 70),
        ("253072A073004", 43),
        ("2951099126111", 93),
    ])
    func nirKeyMatchesWorkedExamples(body: String, key: Int) {
        #expect(CheckDigits.nirKey(body: Array(body.utf8)) == key)
    }

    @Test(arguments: [
        ("255081416802538", true),
        ("253072B07300470", true),
        ("253072A07300443", true),
        ("255081416802539", false),   // key off by one
        ("253072A07300470", false),   // 2B's key on a 2A number
        ("25508141680253", false),    // 14 characters
        ("2550814A6802538", false),   // letter outside the department
    ])
    func nirValidity(nir: String, valid: Bool) {
        #expect(CheckDigits.isValidNIR(Array(nir.utf8)) == valid)
    }

    @Test(arguments: ["750712184", "690781810", "130786049", "750803447", "330781196"])
    func finessExamplesPassLuhn(finess: String) {
        let digits = Array(finess.utf8)
        #expect(CheckDigits.isLuhnValid(digits))
        #expect(CheckDigits.luhnDigit(for: digits.prefix(8)) == digits[8] - 48)
    }

    @Test func luhnRejectsNearMiss() {
        #expect(!CheckDigits.isLuhnValid(Array("750712185".utf8)))
        #expect(!CheckDigits.isLuhnValid(Array("75071218x".utf8)))
    }

    @Test func wrongKeyNeverEqualsTheKey() {
        for key in 1...97 {
            for shift in 1...9 {
                let wrong = LabValueWriter.wrongKey(key, shift: shift)
                #expect(wrong != key)
                #expect((1...97).contains(wrong))
            }
        }
    }

    @Test func civilDateRoundTrips() {
        #expect(CivilDate(year: 1970, month: 1, day: 1).days == 0)
        #expect(CivilDate(year: 2000, month: 3, day: 1).days == 11_017)
        #expect(CivilDate(days: -1) == CivilDate(year: 1969, month: 12, day: 31))
        for days in stride(from: -30_000, through: 30_000, by: 97) {
            let d = CivilDate(days: days)
            #expect(d.days == days)
        }
    }
}
