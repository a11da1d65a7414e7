import ImpactReporting

/// The output a document is rendered for, and how text from the report or the incident file is
/// escaped for it (``OutputSafety``: HTML-escaped, Markdown-escaped, always formula-neutralised).
///
/// Every string that reaches a template goes through ``text(_:)`` first: the templates render
/// with Mustache's `TEXT` content type, so escaping never depends on the template's author
/// using `{{ }}` rather than `{{{ }}}`.
public enum DocumentFormat: String, Sendable, CaseIterable {
    case md, html

    /// Escapes `s` for this output.
    public func text(_ s: String) -> String {
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
