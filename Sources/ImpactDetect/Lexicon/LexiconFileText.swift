/// The text of the bundled data files (`lexicon/*.tsv`, `headers.tsv`, `value_shapes.tsv`),
/// split on UTF-8 bytes: lines at LF (a CR before it dropped, so CRLF files read alike),
/// columns at TAB, lists at `,`.
///
/// Splitting on Characters (grapheme clusters) read a CRLF file as one line, since "\r\n" is
/// one Character, and with Foundation's trimming cost ~0.05 s at every start (callgrind).
enum LexiconFileText {
    /// The lines of `text`, without their line ends (empty lines kept: numbering stays 1-based
    /// by position). One pass over the bytes; each line is a slice of `text`.
    static func lines(_ text: String) -> [Substring] {
        var text = text
        var bounds: [(start: Int, end: Int)] = []
        text.withUTF8 { b in
            var start = 0
            for i in 0..<b.count where b[i] == 0x0A {
                bounds.append((start, i > start && b[i - 1] == 0x0D ? i - 1 : i))
                start = i + 1
            }
            bounds.append((start, b.count > start && b[b.count - 1] == 0x0D ? b.count - 1 : b.count))
        }
        let u = text.utf8, origin = u.startIndex
        return bounds.map { text[u.index(origin, offsetBy: $0.start)..<u.index(origin, offsetBy: $0.end)] }
    }

    /// `s` split at every ASCII `byte` (empty parts kept).
    static func split(_ s: Substring, _ byte: UInt8) -> [Substring] {
        var parts: [Substring] = []
        let u = s.utf8
        var start = u.startIndex, i = start
        while i != u.endIndex {
            if u[i] == byte {
                parts.append(s[start..<i])
                u.formIndex(after: &i)
                start = i
            } else {
                u.formIndex(after: &i)
            }
        }
        parts.append(s[start..<u.endIndex])
        return parts
    }

    /// Whether `s` starts with the Character sequence `prefix` (ASCII): `s.hasPrefix(prefix)`,
    /// with the Character comparison skipped when the first bytes already differ (the common
    /// case: a term line tested for `#`, `+ `, `- `).
    @inline(__always)
    static func hasPrefix(_ s: Substring, _ prefix: String) -> Bool {
        guard let first = s.utf8.first, first == prefix.utf8.first else { return false }
        return s.hasPrefix(prefix)
    }

    /// `s` without leading and trailing spaces and tabs.
    static func trimmed(_ s: Substring) -> Substring {
        let u = s.utf8
        guard let first = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
              let last = u.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return s[s.endIndex...] }
        return Substring(u[first...last])
    }
}
