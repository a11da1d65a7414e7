import Testing
import ImpactIngest
@testable import ImpactCore

/// The birth-date bytes of the name and NIR keys (`yyyymmdd`): the division-free digits must
/// give what the digit-by-digit loop gave (keys of a case store come from earlier runs).
@Suite struct BirthDateKeyBytesTests {
    /// The first version: digits by division, for any year.
    static func reference(_ year: Int, _ month: Int, _ day: Int) -> [UInt8] {
        var p = [UInt8](repeating: 0, count: 8)
        var y = year
        for i in stride(from: 3, through: 0, by: -1) { p[i] = UInt8(truncatingIfNeeded: 0x30 + y % 10); y /= 10 }
        p[4] = UInt8(truncatingIfNeeded: 0x30 + month / 10); p[5] = UInt8(truncatingIfNeeded: 0x30 + month % 10)
        p[6] = UInt8(truncatingIfNeeded: 0x30 + day / 10); p[7] = UInt8(truncatingIfNeeded: 0x30 + day % 10)
        return p
    }

    static func bytes(_ year: Int, _ month: Int, _ day: Int) -> [UInt8] {
        var out = GrowableStorage<UInt8>(capacity: 2)
        defer { out.free() }
        appendDate((year, month, day), to: &out)
        return Array(UnsafeBufferPointer(start: out.base, count: out.count))
    }

    @Test func everyYearMonthAndDayGivesTheDigits() {
        for year in 0...9999 {
            let month = year % 100, day = (year * 7) % 100
            #expect(Self.bytes(year, month, day) == Self.reference(year, month, day), "\(year)-\(month)-\(day)")
        }
        for v in 0...99 {
            #expect(Self.bytes(1970, v, 99 - v) == Self.reference(1970, v, 99 - v))
        }
        #expect(Self.bytes(1985, 4, 3) == Array("19850403".utf8))
    }

    @Test func yearsOutsideFourDigitsKeepTheFirstVersionsBytes() {
        for (y, m, d) in [(-1, 1, 1), (10_000, 12, 31), (12_345, 1, 2), (2000, 100, 1), (2000, 1, -3)] {
            #expect(Self.bytes(y, m, d) == Self.reference(y, m, d), "\(y)-\(m)-\(d)")
        }
    }
}
