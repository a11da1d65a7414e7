import Testing
@testable import ImpactDetect
import ImpactTestSupport

@Suite struct DateParserTests {
    @Test(arguments: [
        ("14/02/1987", 1987, 2, 14),
        ("02/11/1964", 1964, 11, 2),
        ("2/1/2019", 2019, 1, 2),
        ("30-09-2001", 2001, 9, 30),
        ("30.09.2001", 2001, 9, 30),
        ("2024-06-07", 2024, 6, 7),
        ("2024/06/07", 2024, 6, 7),
        ("20240607", 2024, 6, 7),
        ("2019-01-02T15:26:00", 2019, 1, 2),
        ("2019-01-02T15:26:00.123Z", 2019, 1, 2),
        ("2019-01-02T15:26:00+01:00", 2019, 1, 2),
        ("2019-01-02 15:26", 2019, 1, 2),
        ("02/01/2019 15:26", 2019, 1, 2),
        ("02/01/2019 15:26:59", 2019, 1, 2),
        (" 1993-10-16 ", 1993, 10, 16),
        ("29/02/2024", 2024, 2, 29),
        ("29/02/2000", 2000, 2, 29),
    ])
    func parses(value: String, year: Int, month: Int, day: Int) throws {
        let d = try #require(DateParser.parse(value))
        #expect(d.year == year && d.month == month && d.day == day)
        let n = DateParser.normalize(value)
        #expect(n.outcome == .valid)
        #expect(n.normalized == String(format: "%04d%02d%02d", year, month, day))
    }

    /// The shape of a date, not a calendar date.
    @Test(arguments: ["31/02/2020", "29/02/2023", "29/02/1900", "00/01/2020", "32/01/2020", "2024-13-01",
                      "2024-00-10", "02/14/1987", "31/04/2021"])
    func impossibleDatesAreInvalidKey(value: String) {
        #expect(DateParser.parse(value) == nil)
        #expect(DateParser.check(value) == .invalidKey)
    }

    @Test(arguments: [
        "14/02/87",              // two-digit year
        "20241301",              // yyyymmdd not plausible
        "18991231",              // yyyymmdd before 1900
        "12345678",
        "0612345678",            // a phone number
        "01000",
        "14/02-1987",            // mixed separators
        "2024-06-07T25:00",      // hour 25
        "2024-06-07T12:60",
        "2024-06-07 12",
        "2024-06-07x",
        "1700-01-01",            // year out of range
        "14 février 1987",
        "",
    ])
    func notDates(value: String) {
        #expect(DateParser.parse(value) == nil)
        #expect(DateParser.check(value) == .malformed, "\(value)")
    }

    /// ../shared/cases/020: birth dates and ISO order dates are dates (and not phones).
    @Test func case020DatesAreDates() {
        for v in ["14/02/1987", "02/11/1964", "30/09/2001", "2024-06-07", "2024-07-03"] {
            #expect(DateParser.check(v) == .valid)
            #expect(PhoneValidator.check(v) == .malformed)
        }
    }

    /// Ten-character values are read at fixed positions (the birth date of every record);
    /// they must get exactly the outcome of the general scan, which reads the same value with a
    /// leading blank: every 10-character mix of digits, separators and letters tried agrees.
    @Test func tenCharacterFastPathAgreesWithTheGeneralScan() {
        let alphabet = Array("0123456789/-.:T 1290".utf8)
        var g = SeededGenerator(seed: 20261129)
        var fixed = ["14/02/1987", "31/02/2020", "29/02/1900", "1799-01-01", "2200-01-01", "2024/06-07",
                     "2024-13-01", "00/00/0000", "1987/02/14", "14.02.1987", "14-02.1987", "2024.06.07", "12345/6789"]
        for _ in 0..<20_000 { fixed.append(String(decoding: (0..<10).map { _ in alphabet.randomElement(using: &g)! }, as: UTF8.self)) }
        for value in fixed {
            #expect(scanned(value) == scanned(" " + value), "\(value)")
        }
        func scanned(_ s: String) -> String { Array(s.utf8).withUnsafeBytes { describe(DateParser.scan($0)) } }
        func describe(_ s: DateParser.Scan) -> String {
            switch s {
            case .date(let y, let m, let d): return "\(y)-\(m)-\(d)"
            case .impossible: return "impossible"
            case .notADate: return "not a date"
            }
        }
    }

    @Test func realDateCheck() {
        #expect(DateParser.isRealDate(year: 2024, month: 2, day: 29))
        #expect(!DateParser.isRealDate(year: 2100, month: 2, day: 29))
        #expect(DateParser.isRealDate(year: 2000, month: 2, day: 29))
        #expect(!DateParser.isRealDate(year: 2021, month: 4, day: 31))
    }
}
