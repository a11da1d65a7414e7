import Testing
@testable import ImpactReporting

/// The assessment texts' placeholders (`{0}`, `{1}`…), filled on bytes.
@Suite struct AssessmentTextTests {
    @Test(arguments: [
        ("{0}", "{0}", "x", "x"),
        ("a {0} b {0}", "{0}", "xy", "a xy b xy"),
        ("{0}{0}", "{0}", "", ""),
        ("é{1}è", "{1}", "ü", "éüè"),
        ("{0", "{0}", "x", "{0"),
        ("{10} {1}", "{1}", "x", "{10} x"),
        ("a {0} b", "{0}", "{0}", "a {0} b"),   // the value is not scanned again
        ("", "{0}", "x", ""),
        ("0.75", ".", ",", "0,75"),
    ])
    func placeholdersAreReplacedLeftToRight(text: String, token: String, value: String, expected: String) {
        let got = AssessmentRules.replacing(Array(token.utf8), with: Array(value.utf8), in: Array(text.utf8))
        #expect(String(decoding: got, as: UTF8.self) == expected)
    }

    @Test func decimalsTakeACommaInFrench() {
        #expect(AssessmentRules.number(0.75, .fr) == "0,75")
        #expect(AssessmentRules.number(0.75, .en) == "0.75")
        #expect(AssessmentRules.number(4, .fr) == "4")
    }
}
