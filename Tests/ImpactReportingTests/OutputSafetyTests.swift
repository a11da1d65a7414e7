import Testing
@testable import ImpactReporting

/// Case `023-csv-formula-injection`: text from the leak never starts a cell with a formula.
@Suite struct OutputSafetyTests {
    @Test(arguments: [
        ("=HYPERLINK(\"http://exemple.invalid\")", "'=HYPERLINK(\"http://exemple.invalid\")"),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'?cmd"),
        ("\rcmd", "'?cmd"),
        ("Nom", "Nom"),
        ("a\u{1B}[31mred", "a?[31mred"),
    ])
    func plainTextNeutralisesFormulasAndControls(input: String, expected: String) {
        #expect(OutputSafety.plainText(input) == expected)
    }

    @Test func htmlEscapesMarkup() {
        #expect(OutputSafety.html("<a href=\"x\">=1</a>") == "&lt;a href=&quot;x&quot;&gt;=1&lt;/a&gt;")
        #expect(OutputSafety.html("=HYPERLINK(\"u\")") == "&#39;=HYPERLINK(&quot;u&quot;)")
    }

    @Test func markdownEscapesPunctuation() {
        #expect(OutputSafety.markdown("*bold* [x](y)") == "\\*bold\\* \\[x\\]\\(y\\)")
    }
}
