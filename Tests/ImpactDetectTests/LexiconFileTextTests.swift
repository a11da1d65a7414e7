import Testing
@testable import ImpactDetect

/// ``LexiconFileText``'s byte loops against the generic splits they replaced (same parts, same
/// text), on line ends, empty parts and multi-byte text.
@Suite struct LexiconFileTextTests {
    static let texts: [String] = [
        "", "\n", "\r\n", "\r", "a", "a\n", "a\r\n", "a\r\r\n", "\r\na\r\n\r\nb", "a\n\nb\n",
        "élan\tsanté,grossesse\r\n# commentaire\n+ exemple\ttest\n", "\u{301}\n#\u{301}x\n\t\t,,\n",
        "x\ry\nz", "日本\t語\n",
    ]

    @Test(arguments: texts)
    func linesAreTheGenericSplit(text: String) {
        let reference = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { Substring($0.last == 0x0D ? $0.dropLast() : $0) }
        #expect(LexiconFileText.lines(text) == reference)
    }

    @Test(arguments: texts)
    func partsAreTheGenericSplit(text: String) {
        for byte: UInt8 in [0x09, 0x2C, 0x0A] {
            // Also on a slice that does not start at the text's start.
            for s in [Substring(text), text.dropFirst()] {
                let reference = s.utf8.split(separator: byte, omittingEmptySubsequences: false).map { Substring($0) }
                #expect(LexiconFileText.split(s, byte) == reference)
            }
        }
    }

    @Test(arguments: texts)
    func prefixIsCharacterPrefix(text: String) {
        for line in LexiconFileText.lines(text) + [Substring("#\u{301} not a comment"), "+ x", "+", "- ", "-x"] {
            for p in ["#", "+ ", "- "] { #expect(LexiconFileText.hasPrefix(line, p) == line.hasPrefix(p)) }
        }
    }
}
