import Foundation

/// Dates of the incident in Europe/Paris time, and the 72-hour deadline of GDPR Art. 33(1).
///
/// The deadline is the awareness instant plus 72 elapsed hours (259,200 s), shown in
/// Europe/Paris local time with its offset: across the spring change (last Sunday of March,
/// 02:00 → 03:00) the wall-clock deadline is one hour later than the awareness time of day,
/// across the autumn change (last Sunday of October, 03:00 → 02:00) one hour earlier.
/// Weekends and holidays count (regulatory.md §1.3 [U: reading of Reg. 1182/71]).
///
/// Contract: ``parse(_:)`` accepts ISO 8601 with an offset or `Z`
/// (`2024-03-30T10:00:00+01:00`), or a local Paris time without one (`2024-03-30T10:00`,
/// `2024-03-30 10:00:00`, `2024-03-30` = midnight). A local time that does not exist (the
/// skipped spring hour) moves forward by an hour; one that occurs twice (the repeated autumn
/// hour) is read as the first occurrence (summer time). Returns nil for anything else.
public enum ParisTime {
    public static let zone: TimeZone = TimeZone(identifier: "Europe/Paris")!
    /// GDPR Art. 33(1): "where feasible, not later than 72 hours after having become aware of it".
    public static let notificationDelay: TimeInterval = 72 * 3600

    static var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        return c
    }

    /// Parses an incident date (see the type's contract).
    public static func parse(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        let bytes = Array(s.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= bytes.count else { return nil }
            var v = 0
            for b in bytes[from..<(from + len)] {
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            return v
        }
        guard bytes.count >= 10, let y = num(0, 4), bytes[4] == 0x2D, let mo = num(5, 2), bytes[7] == 0x2D, let d = num(8, 2),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var h = 0, mi = 0, sec = 0
        var i = 10
        if i < bytes.count {
            guard bytes[i] == 0x54 || bytes[i] == 0x20, let hh = num(i + 1, 2), i + 3 < bytes.count, bytes[i + 3] == 0x3A,
                  let mm = num(i + 4, 2) else { return nil }
            h = hh; mi = mm; i += 6
            if i < bytes.count && bytes[i] == 0x3A {
                guard let ss = num(i + 1, 2) else { return nil }
                sec = ss; i += 3
            }
            if i < bytes.count && bytes[i] == 0x2E { // fractional seconds: ignored
                i += 1
                while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
            }
        }
        guard h < 24, mi < 60, sec < 60 else { return nil }
        var offset: Int? = nil
        if i < bytes.count {
            if bytes[i] == 0x5A && i + 1 == bytes.count { offset = 0 }
            else if (bytes[i] == 0x2B || bytes[i] == 0x2D), let oh = num(i + 1, 2) {
                var om = 0
                if i + 3 < bytes.count {
                    if bytes[i + 3] == 0x3A, let m = num(i + 4, 2), i + 6 == bytes.count { om = m }
                    else if let m = num(i + 3, 2), i + 5 == bytes.count { om = m }
                    else { return nil }
                } else if i + 3 != bytes.count { return nil }
                offset = (oh * 3600 + om * 60) * (bytes[i] == 0x2D ? -1 : 1)
            } else { return nil }
        }
        var comps = DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: sec)
        if let offset {
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(secondsFromGMT: 0)!
            comps.timeZone = TimeZone(secondsFromGMT: 0)
            guard let t = utc.date(from: comps), utc.component(.day, from: t) == d else { return nil }
            return t.addingTimeInterval(TimeInterval(-offset))
        }
        // Local Paris time: try the summer offset first (first occurrence of a repeated hour),
        // then the winter one; a skipped hour moves forward.
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(secondsFromGMT: 0)!
        comps.timeZone = TimeZone(secondsFromGMT: 0)
        guard let asUTC = utc.date(from: comps), utc.component(.day, from: asUTC) == d else { return nil }
        for off in [7200, 3600] {
            let t = asUTC.addingTimeInterval(TimeInterval(-off))
            if zone.secondsFromGMT(for: t) == off { return t }
        }
        return asUTC.addingTimeInterval(-3600) // skipped hour: read with the winter offset = one hour later in summer time
    }

    /// True for a calendar day without a time (`2024-04-05`): shown as a day, not a midnight.
    public static func isDateOnly(_ text: String) -> Bool {
        let s = text.trimmingCharacters(in: .whitespaces)
        return s.utf8.count == 10 && parse(s) != nil
    }

    /// `vendredi 5 avril 2024` / `Friday 5 April 2024`.
    public static func readableDay(_ date: Date, _ lang: DocumentLanguage) -> String {
        let full = readable(date, lang)
        let cut = lang == .fr ? full.range(of: " à ") : full.range(of: ", ")
        return cut.map { String(full[..<$0.lowerBound]) } ?? full
    }

    /// The Art. 33(1) deadline: `awareness` + 72 h.
    public static func deadline(afterAwareness awareness: Date) -> Date {
        awareness.addingTimeInterval(notificationDelay)
    }

    /// `2024-04-02T11:00:00+02:00`: ISO 8601 in Paris local time with its offset.
    public static func iso(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let off = zone.secondsFromGMT(for: date)
        return "\(pad(c.year!, 4))-\(pad(c.month!))-\(pad(c.day!))T\(pad(c.hour!)):\(pad(c.minute!)):\(pad(c.second!))" + offsetText(off)
    }

    /// A date for a person to read: `mardi 2 avril 2024 à 11 h 00 (heure de Paris, UTC+02:00)` or
    /// `Tuesday 2 April 2024, 11:00 (Paris time, UTC+02:00)`. Names are spelled here, not by
    /// the system locale, so the output is the same on every machine.
    public static func readable(_ date: Date, _ lang: DocumentLanguage) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        let off = zone.secondsFromGMT(for: date)
        let utc = "UTC" + offsetText(off)
        let wd = c.weekday! - 1, m = c.month! - 1
        switch lang {
        case .fr:
            let days = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]
            let months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
            let day = c.day! == 1 ? "1er" : "\(c.day!)"
            return "\(days[wd]) \(day) \(months[m]) \(c.year!) à \(pad(c.hour!)) h \(pad(c.minute!)) (heure de Paris, \(utc))"
        case .en:
            let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
            let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
            return "\(days[wd]) \(c.day!) \(months[m]) \(c.year!), \(pad(c.hour!)):\(pad(c.minute!)) (Paris time, \(utc))"
        }
    }

    static func pad(_ v: Int, _ width: Int = 2) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func offsetText(_ seconds: Int) -> String {
        let a = abs(seconds)
        return (seconds < 0 ? "-" : "+") + pad(a / 3600) + ":" + pad((a % 3600) / 60)
    }
}

/// The language of a document for a person (French by default: the CNIL's).
public enum DocumentLanguage: String, Codable, Sendable, CaseIterable {
    case fr, en
}
