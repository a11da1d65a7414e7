/// The text of the bundled data files (`lexicon/*.tsv`, `headers.tsv`, `value_shapes.tsv`),
/// split on UTF-8 bytes: lines at LF (a CR before it dropped, so CRLF files read alike),
/// columns at TAB, lists at `,`.
///
/// Splitting on Characters (grapheme clusters) read a CRLF file as one line, since "\r\n" is
/// one Character, and with Foundation's trimming cost ~0.05 s at every start (callgrind).
enum LexiconFileText {
    /// The lines of `text`, without their line ends (empty lines kept: numbering stays 1-based
    /// by position).
    static func lines(_ text: String) -> [Substring] {
        text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0.last == 0x0D ? $0.dropLast() : $0) }
    }

    /// `s` split at every ASCII `byte` (empty parts kept).
    static func split(_ s: Substring, _ byte: UInt8) -> [Substring] {
        s.utf8.split(separator: byte, omittingEmptySubsequences: false).map { Substring($0) }
    }

    /// `s` without leading and trailing spaces and tabs.
    static func trimmed(_ s: Substring) -> Substring {
        let u = s.utf8
        guard let first = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
              let last = u.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return s[s.endIndex...] }
        return Substring(u[first...last])
    }
}
