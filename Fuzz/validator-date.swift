// Fuzz target: DateParser (ImpactDetect). Properties: see Support/ValidatorProperty.swift, and:
// - a valid date normalises to 8 digits `yyyymmdd` naming a real date of 1800–2199, equal to
//   what `parse` returns;
// - the normalised form re-validates written `yyyy-mm-dd` (the bare `yyyymmdd` spelling is
//   accepted only for 1900–2100, since any 8-digit number has that shape).

import ImpactDetect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDateParser(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: pointer, count: size)
    checkValidator(DateParser.self, input, malformed: .malformed, accepted: { $0.isAccepted },
                   reformat: { n in Array(n[0..<4]) + [0x2D] + Array(n[4..<6]) + [0x2D] + Array(n[6..<8]) })
    var normalized: [UInt8] = []
    let parsed = DateParser.parse(input)
    if DateParser.check(input, normalized: &normalized) == .valid {
        fuzzCheck(normalized.count == 8 && normalized.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, "not 8 digits")
        let v = normalized.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        let (y, m, d) = (v / 10000, v / 100 % 100, v % 100)
        fuzzCheck((1800...2199).contains(y) && DateParser.isRealDate(year: y, month: m, day: d), "not a real date")
        fuzzCheck(parsed.map { $0 == (y, m, d) } == true, "parse and check disagree")
    } else {
        fuzzCheck(parsed == nil, "parse accepts what check does not")
    }
    return 0
}
