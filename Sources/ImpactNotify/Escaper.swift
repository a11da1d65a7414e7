import ImpactReporting

/// The output a document is rendered for, and how text from the report or the incident file is
/// escaped for it (``OutputSafety``: HTML-escaped, Markdown-escaped, always formula-neutralised).
///
/// Every string that reaches a template goes through ``text(_:)`` first: the templates render
/// with Mustache's `TEXT` content type, so escaping never depends on the template's author
/// using `{{ }}` rather than `{{{ }}}`.
public enum DocumentFormat: String, Sendable, CaseIterable {
    case md, html

    /// Escapes `s` for this output. An international phone number (`+33 1 23 45 67 89`) keeps
    /// its `+` rather than taking the formula-neutralising `'` (digits cannot make a formula).
    public func text(_ s: String) -> String {
        if s.utf8.count > 1, s.utf8.first == UInt8(ascii: "+"),
           s.utf8.dropFirst().allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x20 || $0 == 0x2E || $0 == 0x2D || $0 == 0x28 || $0 == 0x29 }) {
            let rest = text(String(s.dropFirst()))
            return (self == .md ? "\\+" : "+") + rest
        }
        switch self {
        case .md: return OutputSafety.markdown(s)
        case .html: return OutputSafety.html(s)
        }
    }

    /// The marker of a value left for a person, emphasised.
    public func toComplete(_ lang: DocumentLanguage) -> String {
        let m = Sourced<String>.toComplete(lang)
        switch self {
        case .md: return "**\(m)**"
        case .html: return "<span class=\"todo\">\(m)</span>"
        }
    }

    /// Inline code (field names, sources).
    public func code(_ s: String) -> String {
        switch self {
        case .md:
            // Backticks inside are replaced (a code span cannot escape them); pipes are escaped
            // for tables (GFM reads `\|` inside code spans in cells).
            let t = OutputSafety.plainText(s).replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|")
            return "`\(t)`"
        case .html: return "<code>\(OutputSafety.html(s))</code>"
        }
    }
}
