/// Parses a calendar date as written in French and international exports.
///
/// Behaviour: after trimming, accepts
/// - `dd/mm/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy` (day first, French order; day and month may have
///   1 or 2 digits; the two separators must be the same);
/// - `yyyy-mm-dd`, `yyyy/mm/dd`, `yyyy.mm.dd`;
/// - `yyyymmdd` only when plausible (year 1900–2100 and a real date), since any 8-digit number
///   has that shape;
/// each optionally followed by a time: `T` or spaces, then `hh:mm`, `hh:mm:ss`, `hh:mm:ss.fff`,
/// and an optional `Z` or `±hh[:]mm` offset (`2019-01-02T15:26:00`, `02/01/2019 15:26`).
/// Years are 1800–2199. Month-first (US) dates are not guessed: `02/14/1987` is not a date.
/// Two-digit years are not accepted (the century would be a guess).
///
/// Contract: `parse` returns the date or nil. As a ``ValueValidator``: `valid` with `normalized`
/// = `yyyymmdd`; `invalidKey` when the shape is a date but the calendar rejects it (31/02/2020,
/// month 13); `malformed` otherwise. Source: ISO 8601; proleptic Gregorian calendar.
public enum DateParser: ValueValidator {
    /// The date in `value`, or nil when it is not one of the accepted forms or not a real date.
    public static func parse(_ value: UnsafeRawBufferPointer) -> (year: Int, month: Int, day: Int)? {
        if case .date(let y, let m, let d) = scan(value) { return (y, m, d) }
        return nil
    }

    /// The date in `s` (tests, one-off use).
    public static func parse(_ s: String) -> (year: Int, month: Int, day: Int)? {
        var copy = s
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    public static func check(_ value: UnsafeRawBufferPointer, normalized: inout [UInt8]) -> ValidationOutcome {
        normalized.removeAll(keepingCapacity: true)
        switch scan(value) {
        case .date(let y, let m, let d):
            var v = y * 10000 + m * 100 + d
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &digits) { p in
                for k in stride(from: 7, through: 0, by: -1) { p[k] = UInt8(v % 10) + 0x30; v /= 10 }
                normalized.append(contentsOf: p)
            }
            return .valid
        case .impossible:
            return .invalidKey
        case .notADate:
            return .malformed
        }
    }

    /// Whether `day` exists in `month` of `year` (Gregorian).
    @inlinable
    public static func isRealDate(year: Int, month: Int, day: Int) -> Bool {
        guard month >= 1, month <= 12, day >= 1 else { return false }
        let days: Int
        switch month {
        case 2: days = (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: days = 30
        default: days = 31
        }
        return day <= days
    }

    enum Scan { case date(Int, Int, Int), impossible, notADate }

    static func scan(_ v: UnsafeRawBufferPointer) -> Scan {
        if v.count == 10, let fast = scanTenCharacters(v) { return fast }
        let r = ValueBytes.trimmed(v)
        if r.count < 8 || r.count > 40 { return .notADate }
        var i = r.lowerBound
        let end = r.upperBound

        // Reads 1...maxLen digits at i; returns (value, length).
        func number(maxLen: Int) -> (Int, Int)? {
            var n = 0, len = 0
            while i < end, len < maxLen, ValueBytes.isDigit(v[i]) {
                n = n * 10 + Int(v[i] - 0x30); len += 1; i += 1
            }
            return len == 0 ? nil : (n, len)
        }

        guard let (first, firstLen) = number(maxLen: 8) else { return .notADate }
        var y = 0, m = 0, d = 0
        if firstLen == 8 {
            // yyyymmdd: only when plausible.
            y = first / 10000; m = first / 100 % 100; d = first % 100
            guard i == end, (1900...2100).contains(y), isRealDate(year: y, month: m, day: d) else {
                return .notADate
            }
            return .date(y, m, d)
        }
        guard i < end else { return .notADate }
        let sep = v[i]
        guard sep == 0x2F || sep == 0x2D || sep == 0x2E else { return .notADate }
        i += 1
        if firstLen == 4 {
            y = first
            guard let (mm, _) = number(maxLen: 2), i < end, v[i] == sep else { return .notADate }
            i += 1
            guard let (dd, _) = number(maxLen: 2) else { return .notADate }
            m = mm; d = dd
        } else if firstLen <= 2 {
            d = first
            guard let (mm, _) = number(maxLen: 2), i < end, v[i] == sep else { return .notADate }
            i += 1
            guard let (yy, yLen) = number(maxLen: 4), yLen == 4 else { return .notADate }
            m = mm; y = yy
        } else {
            return .notADate
        }
        if i < end {
            guard timeSuffix(v, from: i, to: end) else { return .notADate }
        }
        guard (1800...2199).contains(y) else { return .notADate }
        return isRealDate(year: y, month: m, day: d) ? .date(y, m, d) : .impossible
    }

    /// `T` or spaces, `hh:mm[:ss[.fff]]`, optional `Z` or `±hh[:]mm`, then the end.
    /// The two ten-character forms (`dd/mm/yyyy`, `yyyy-mm-dd`, with `/`, `-` or `.` twice)
    /// read at fixed positions, with the outcome the general scan gives them; nil for anything
    /// else (which the general scan then reads). A birth date in every record of a leak.
    @inline(__always)
    static func scanTenCharacters(_ v: UnsafeRawBufferPointer) -> Scan? {
        @inline(__always) func digit(_ k: Int) -> Int? {
            let d = Int(v[k] &- 0x30)
            return d < 10 ? d : nil
        }
        @inline(__always) func isSeparator(_ b: UInt8) -> Bool { b == 0x2F || b == 0x2D || b == 0x2E }
        let y: Int, m: Int, d: Int
        if isSeparator(v[2]) && v[5] == v[2] {
            guard let d0 = digit(0), let d1 = digit(1), let m0 = digit(3), let m1 = digit(4),
                  let y0 = digit(6), let y1 = digit(7), let y2 = digit(8), let y3 = digit(9) else { return nil }
            d = d0 * 10 + d1; m = m0 * 10 + m1; y = ((y0 * 10 + y1) * 10 + y2) * 10 + y3
        } else if isSeparator(v[4]) && v[7] == v[4] {
            guard let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3),
                  let m0 = digit(5), let m1 = digit(6), let d0 = digit(8), let d1 = digit(9) else { return nil }
            d = d0 * 10 + d1; m = m0 * 10 + m1; y = ((y0 * 10 + y1) * 10 + y2) * 10 + y3
        } else {
            return nil
        }
        guard (1800...2199).contains(y) else { return .notADate }
        return isRealDate(year: y, month: m, day: d) ? .date(y, m, d) : .impossible
    }

    static func timeSuffix(_ v: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
        var i = start
        if v[i] == 0x54 { i += 1 } else {
            guard v[i] == 0x20 else { return false }
            while i < end && v[i] == 0x20 { i += 1 }
        }
        func two() -> Int? {
            guard i + 1 < end, ValueBytes.isDigit(v[i]), ValueBytes.isDigit(v[i + 1]) else { return nil }
            defer { i += 2 }
            return Int(v[i] - 0x30) * 10 + Int(v[i + 1] - 0x30)
        }
        guard let hh = two(), hh <= 23, i < end, v[i] == 0x3A, (i += 1) == (), let mm = two(), mm <= 59 else {
            return false
        }
        if i < end && v[i] == 0x3A {
            i += 1
            guard let ss = two(), ss <= 60 else { return false }
            if i < end && (v[i] == 0x2E || v[i] == 0x2C) {
                i += 1
                let s = i
                while i < end && ValueBytes.isDigit(v[i]) { i += 1 }
                if i == s { return false }
            }
        }
        if i == end { return true }
        if v[i] == 0x5A { return i + 1 == end }
        if v[i] == 0x2B || v[i] == 0x2D {
            i += 1
            guard let oh = two(), oh <= 14 else { return false }
            if i < end && v[i] == 0x3A { i += 1 }
            guard let om = two(), om <= 59 else { return false }
            return i == end
        }
        return false
    }
}
