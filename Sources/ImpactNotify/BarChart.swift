import ImpactReporting

/// An inline SVG bar chart of the persons per category of data for one controller.
///
/// Behaviour: one horizontal bar per category present (in report order), the first bar the
/// total of distinct persons; bar length proportional to the count, the count written at the
/// bar's end. Self-contained (no script, no external font or link), sized by a `viewBox` so it
/// scales with the page; `role="img"` with a `<title>` for screen readers.
///
/// Contract: labels are escaped for XML (``OutputSafety/html(_:)``); the output holds counts and
/// category labels only.
enum BarChart {
    static func svg(title: String, total: (label: String, count: Int), bars: [(label: String, count: Int)], lang: DocumentLanguage) -> String {
        let rows = [total] + bars
        let labelWidth = 300, barWidth = 380, valueWidth = 80, rowHeight = 28, top = 36
        let width = labelWidth + barWidth + valueWidth
        let height = top + rows.count * rowHeight + 8
        let maxCount = max(1, rows.map(\.count).max() ?? 1)
        let views = DraftViews(format: .html, lang: lang)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-labelledby=\"chart-title\" class=\"chart\">\n"
        s += "<title id=\"chart-title\">\(OutputSafety.html(title))</title>\n"
        s += "<text x=\"0\" y=\"20\" class=\"chart-title\">\(OutputSafety.html(title))</text>\n"
        for (i, r) in rows.enumerated() {
            let y = top + i * rowHeight
            let w = r.count == 0 ? 0 : max(2, Int((Double(r.count) / Double(maxCount) * Double(barWidth)).rounded()))
            let cls = i == 0 ? "bar total" : "bar"
            let fill = i == 0 ? "#1f4e79" : "#4a90c2"
            s += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 18)\" text-anchor=\"end\" class=\"chart-label\">\(OutputSafety.html(r.label))</text>\n"
            s += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(w)\" height=\"\(rowHeight - 8)\" class=\"\(cls)\" fill=\"\(fill)\"/>\n"
            s += "<text x=\"\(labelWidth + w + 6)\" y=\"\(y + 18)\" class=\"chart-value\">\(views.number(r.count))</text>\n"
        }
        s += "</svg>"
        return s
    }
}
