import Foundation
import Testing
import ImpactReporting

/// The 72-hour deadline of GDPR Art. 33(1) in Europe/Paris time, across the daylight-saving
/// changes (last Sunday of March 02:00 → 03:00, last Sunday of October 03:00 → 02:00).
@Suite struct ParisTimeTests {
    struct Deadline: CustomTestStringConvertible, Sendable {
        let awareness: String, deadline: String, why: String
        var testDescription: String { why }
    }

    static let deadlines: [Deadline] = [
        // Awareness on the last Saturday of March: 72 elapsed hours end one wall-clock hour later.
        Deadline(awareness: "2024-03-30T10:00", deadline: "2024-04-02T11:00:00+02:00", why: "spring change, local time"),
        Deadline(awareness: "2024-03-30T10:00:00+01:00", deadline: "2024-04-02T11:00:00+02:00", why: "spring change, with offset"),
        Deadline(awareness: "2025-03-29T23:30", deadline: "2025-04-02T00:30:00+02:00", why: "spring change 2025, late evening"),
        // Awareness on the last Saturday of October: one wall-clock hour earlier.
        Deadline(awareness: "2024-10-26T09:30", deadline: "2024-10-29T08:30:00+01:00", why: "autumn change, local time"),
        Deadline(awareness: "2024-10-26T07:30:00Z", deadline: "2024-10-29T08:30:00+01:00", why: "autumn change, UTC"),
        Deadline(awareness: "2025-10-25T18:00", deadline: "2025-10-28T17:00:00+01:00", why: "autumn change 2025"),
        // No change in between: same wall-clock time three days later, over a weekend.
        Deadline(awareness: "2024-06-14T16:45", deadline: "2024-06-17T16:45:00+02:00", why: "summer, over a weekend"),
        Deadline(awareness: "2024-12-30T12:00", deadline: "2025-01-02T12:00:00+01:00", why: "winter, over new year"),
        Deadline(awareness: "2024-02-27 08:00", deadline: "2024-03-01T08:00:00+01:00", why: "leap year, space separator"),
    ]

    @Test(arguments: deadlines)
    func deadlineIs72ElapsedHours(_ d: Deadline) throws {
        let t = try #require(ParisTime.parse(d.awareness))
        let deadline = ParisTime.deadline(afterAwareness: t)
        #expect(ParisTime.iso(deadline) == d.deadline)
        #expect(deadline.timeIntervalSince(t) == 259_200)
    }

    @Test func ambiguousAndSkippedLocalTimes() throws {
        // 02:30 on 27 October 2024 happens twice: read as the first (summer time, +02:00).
        #expect(ParisTime.iso(try #require(ParisTime.parse("2024-10-27T02:30"))) == "2024-10-27T02:30:00+02:00")
        // 02:30 on 31 March 2024 does not exist: moves forward an hour.
        #expect(ParisTime.iso(try #require(ParisTime.parse("2024-03-31T02:30"))) == "2024-03-31T03:30:00+02:00")
        // The hour after the spring change is summer time.
        #expect(ParisTime.iso(try #require(ParisTime.parse("2024-03-31T03:00"))) == "2024-03-31T03:00:00+02:00")
    }

    @Test func rejectsWhatIsNotADate() {
        for s in ["", "30/03/2024", "2024-13-01", "2024-02-30", "2024-03-30T25:00", "2024-03-30T10:00+1", "2024-03-30T10:00:00+01:00x", "demain"] {
            #expect(ParisTime.parse(s) == nil, "\(s)")
        }
        #expect(ParisTime.parse("2024-03-30") != nil)
        #expect(ParisTime.isDateOnly("2024-04-05"))
        #expect(!ParisTime.isDateOnly("2024-04-05T10:00"))
    }

    @Test func readableInBothLanguages() throws {
        let t = try #require(ParisTime.parse("2024-04-02T11:00:00+02:00"))
        #expect(ParisTime.readable(t, .fr) == "mardi 2 avril 2024 à 11 h 00 (heure de Paris, UTC+02:00)")
        #expect(ParisTime.readable(t, .en) == "Tuesday 2 April 2024, 11:00 (Paris time, UTC+02:00)")
        let first = try #require(ParisTime.parse("2024-03-01"))
        #expect(ParisTime.readableDay(first, .fr) == "vendredi 1er mars 2024")
        #expect(ParisTime.readableDay(first, .en) == "Friday 1 March 2024")
    }
}
