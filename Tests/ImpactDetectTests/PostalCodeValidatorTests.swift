import Foundation
import Testing
@testable import ImpactDetect

@Suite struct PostalCodeValidatorTests {
    /// ../shared/cases/020: `01000` keeps its leading zero.
    @Test(arguments: ["01000", "75015", "13001", "97200", "20000", "98999", " 69002 "])
    func valid(value: String) {
        let r = PostalCodeValidator.normalize(value)
        #expect(r.outcome == .valid)
        #expect(r.normalized == value.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: ["1000", "00999", "99000", "750150", "75 015", "7501A", "2A000", ""])
    func malformed(value: String) {
        #expect(PostalCodeValidator.check(value) == .malformed)
    }
}
