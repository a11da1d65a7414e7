import Foundation
import ImpactReporting
import Mustache

/// What `impact draft` produces, and for whom.
public struct DraftOptions: Sendable {
    public var language: DocumentLanguage
    /// Outputs wanted: `json` (the notification data), `md`, `html` (the notification, the
    /// Art. 34 letter and, with `asProcessor`, the processor's notice).
    public var formats: [DraftFormat]
    /// Controller ids to draft for; nil for all of the report's controllers.
    public var controllers: [String]?
    /// Also write the processor's notice to each controller (GDPR Art. 33(2)).
    public var asProcessor: Bool
    /// A folder whose `.mustache` files replace the bundled templates of the same name.
    public var templatesDirectory: String?

    public init(language: DocumentLanguage = .fr, formats: [DraftFormat] = DraftFormat.allCases, controllers: [String]? = nil,
                asProcessor: Bool = false, templatesDirectory: String? = nil) {
        self.language = language; self.formats = formats; self.controllers = controllers
        self.asProcessor = asProcessor; self.templatesDirectory = templatesDirectory
    }
}

public enum DraftFormat: String, Sendable, CaseIterable {
    case json, md, html
}

/// One document to write: its path relative to the output folder and its bytes.
public struct DraftDocument: Sendable, Equatable {
    public var path: String
    public var contents: Data
    public init(path: String, contents: Data) { self.path = path; self.contents = contents }
}

/// Why drafting failed: kind and position only.
public enum DraftError: Error, CustomStringConvertible, Equatable {
    case unknownController(String)
    case noControllers
    case templateMissing(String)
    case templateSyntax(name: String, line: Int)
    case templatesUnreadable(String)

    public var description: String {
        switch self {
        case .unknownController(let id): return "no controller with id \(OutputSafety.plainText(id)) in the report"
        case .noControllers: return "the report has no controller"
        case .templateMissing(let n): return "template \(OutputSafety.plainText(n)) not found"
        case .templateSyntax(let n, let l): return "template \(OutputSafety.plainText(n)): syntax error at line \(l)"
        case .templatesUnreadable(let d): return "templates folder cannot be read: \(OutputSafety.plainText(d))"
        }
    }
}

/// Drafts, per controller of an analysis report, the CNIL notification data (JSON), the same as
/// Markdown and self-contained HTML, the Art. 34 letter to the data subjects and, for a
/// processor, its notice to the controller.
///
/// Behaviour: per controller (in report order), files under a folder named after the
/// controller id (made safe for a file name): `notification.<lang>.json|md|html`,
/// `letter-art34.<lang>.md|html`, `processor-notice.<lang>.md|html`; a complementary
/// notification (a previous notification given for that controller) is named
/// `notification-complementary.<lang>.…`. Documents come from the Mustache templates in
/// `Resources/templates/` (`<document>.<lang>.<format>.mustache`, the HTML style sheet in the
/// partial `style.mustache`), each replaceable by a file of the same name in
/// ``DraftOptions/templatesDirectory``.
///
/// Contract: deterministic (same report, facts and options → same bytes; no clock read);
/// throws ``DraftError``. The documents hold what the report and the incident file hold, escaped
/// for their output, nothing else.
public struct Drafter {
    public let report: ImpactReport
    public let incident: IncidentFacts?
    public let options: DraftOptions
    /// Earlier notifications by controller id (`--complement-of`).
    public let previous: [String: CNILNotification]
    let library: MustacheLibrary

    public init(report: ImpactReport, incident: IncidentFacts?, options: DraftOptions = DraftOptions(),
                previous: [CNILNotification] = []) throws {
        self.report = report; self.incident = incident; self.options = options
        self.previous = Dictionary(previous.map { ($0.controllerId, $0) }, uniquingKeysWith: { _, b in b })
        self.library = try Self.loadTemplates(override: options.templatesDirectory)
    }

    /// The controllers selected by the options, in report order.
    public func selectedControllers() throws -> [ImpactReport.Controller] {
        guard !report.controllers.isEmpty else { throw DraftError.noControllers }
        guard let ids = options.controllers else { return report.controllers }
        return try ids.map { id in
            guard let c = report.controllers.first(where: { $0.id == id }) else { throw DraftError.unknownController(id) }
            return c
        }
    }

    /// The notification data of one controller.
    public func notification(for c: ImpactReport.Controller) -> CNILNotification {
        NotificationBuilder(report: report, incident: incident, language: options.language).build(controller: c, previous: previous[c.id])
    }

    /// Every document for every selected controller.
    public func documents() throws -> [DraftDocument] {
        var out: [DraftDocument] = []
        var used: Set<String> = []
        for (index, c) in try selectedControllers().enumerated() {
            var folder = Self.safeName(c.id, index: index)
            while used.contains(folder) { folder += "-\(index + 1)" }
            used.insert(folder)
            out += try documents(for: c, folder: folder)
        }
        return out
    }

    /// The documents of one controller, under `folder`.
    public func documents(for c: ImpactReport.Controller, folder: String) throws -> [DraftDocument] {
        let lang = options.language.rawValue
        let n = notification(for: c)
        let stem = previous[c.id] == nil ? "notification" : "notification-complementary"
        var out: [DraftDocument] = []
        for f in options.formats {
            switch f {
            case .json:
                out.append(.init(path: "\(folder)/\(stem).\(lang).json", contents: try DraftJSON.encode(n)))
            case .md, .html:
                let format: DocumentFormat = f == .md ? .md : .html
                out.append(.init(path: "\(folder)/\(stem).\(lang).\(f.rawValue)",
                                 contents: Data(try render("notification", format, notificationView(n, c, format)).utf8)))
                out.append(.init(path: "\(folder)/letter-art34.\(lang).\(f.rawValue)",
                                 contents: Data(try render("letter-art34", format, letterView(n, c, format)).utf8)))
                if options.asProcessor {
                    out.append(.init(path: "\(folder)/processor-notice.\(lang).\(f.rawValue)",
                                     contents: Data(try render("processor-notice", format, noticeView(n, c, format)).utf8)))
                }
            }
        }
        return out
    }

    // MARK: Views

    func notificationView(_ n: CNILNotification, _ c: ImpactReport.Controller, _ format: DocumentFormat) -> [String: Any] {
        let views = DraftViews(format: format, lang: options.language)
        var chart = ""
        if format == .html {
            let lang = options.language
            let bars = n.dataCategories.map { (label: $0.label, count: $0.subjects.value ?? 0) }
            chart = BarChart.svg(title: lang == .fr ? "Personnes concernées par catégorie de données" : "Persons concerned per category of data",
                                 total: (label: lang == .fr ? "Personnes concernées (total)" : "Persons concerned (total)", count: c.subjects),
                                 bars: bars, lang: lang)
        }
        var v = views.notification(n, chart: chart)
        v.merge(views.adviceFlags(n)) { a, _ in a }
        return v
    }

    func letterView(_ n: CNILNotification, _ c: ImpactReport.Controller, _ format: DocumentFormat) -> [String: Any] {
        var v = notificationView(n, c, format)
        let views = DraftViews(format: format, lang: options.language)
        // Plain-language categories, each once (no counts: Art. 34(2) does not require them).
        v["plain_categories"] = n.dataCategories.filter { $0.category != "health_professional" }.map { ["label": views.esc($0.label)] }
        v["chart"] = ""
        return v
    }

    func noticeView(_ n: CNILNotification, _ c: ImpactReport.Controller, _ format: DocumentFormat) -> [String: Any] {
        var v = notificationView(n, c, format)
        let views = DraftViews(format: format, lang: options.language)
        let p = incident?.processor
        func s(_ x: String?, _ path: String) -> [String: Any] {
            views.str(x.map { Sourced($0, source: "incident file: \(path)") } ?? Sourced(nil, source: Sourced<String>.toComplete(options.language)))
        }
        v["processor_name"] = s(p?.name, "processor.name")
        v["processor_contact_name"] = s(p?.contact?.name, "processor.contact.name")
        v["processor_contact_email"] = s(p?.contact?.email, "processor.contact.email")
        v["processor_contact_phone"] = s(p?.contact?.phone, "processor.contact.phone")
        v["processor_dpo_email"] = s(p?.dpo?.email, "processor.dpo.email")
        v["processor_aware_at"] = views.dateField(incident?.dates?.processorAwareAt.map { Sourced($0, source: "incident file: dates.processor_aware_at") }
                                                  ?? Sourced(nil, source: Sourced<String>.toComplete(options.language)))
        v["controller_count"] = views.number(report.controllers.count)
        return v
    }

    // MARK: Templates

    func render(_ document: String, _ format: DocumentFormat, _ view: [String: Any]) throws -> String {
        let name = "\(document).\(options.language.rawValue).\(format.rawValue)"
        guard let t = library.getTemplate(named: name) else { throw DraftError.templateMissing(name + ".mustache") }
        return t.render(view, library: library)
    }

    /// The bundled templates, then those of `override` on top (same name replaces).
    static func loadTemplates(override: String?) throws -> MustacheLibrary {
        var library = MustacheLibrary()
        // The copied folder sits at the bundle's root; Foundation on Linux may answer
        // `url(forResource:)` with a `Resources/` path that does not exist, so check each.
        let candidates = [Bundle.module.bundleURL.appendingPathComponent("templates"),
                          Bundle.module.resourceURL?.appendingPathComponent("templates"),
                          Bundle.module.url(forResource: "templates", withExtension: nil)].compactMap { $0 }
        guard let bundled = candidates.first(where: { isDirectory($0.path) }) else { throw DraftError.templateMissing("templates") }
        try register(folder: bundled.path, into: &library)
        if let override {
            guard isDirectory(override) else { throw DraftError.templatesUnreadable(override) }
            try register(folder: override, into: &library)
        }
        return library
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    static func register(folder: String, into library: inout MustacheLibrary) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for file in names.sorted() where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            guard let data = FileManager.default.contents(atPath: folder + "/" + file) else { throw DraftError.templatesUnreadable(file) }
            do {
                library.register(try MustacheTemplate(string: String(decoding: data, as: UTF8.self)), named: name)
            } catch let e as MustacheTemplate.ParserError {
                throw DraftError.templateSyntax(name: file, line: e.context.lineNumber)
            }
        }
    }

    /// A folder name from a controller id: letters, digits, `.`, `_`, `-` kept, others `_`;
    /// `controller-N` when nothing usable is left (ids come from the leak).
    public static func safeName(_ id: String, index: Int) -> String {
        var s = ""
        for u in id.unicodeScalars.prefix(64) {
            let ok = (u >= "a" && u <= "z") || (u >= "A" && u <= "Z") || (u >= "0" && u <= "9") || u == "_" || u == "-" || u == "."
            s.unicodeScalars.append(ok ? u : "_")
        }
        if s.isEmpty || s.hasPrefix(".") || s.allSatisfy({ $0 == "_" }) { return "controller-\(index + 1)" }
        return s
    }
}

/// Writes documents owner-only (mode 0600) through a temporary file and a rename, so that a
/// reader never sees half a draft and nobody else can read it (``OutputDestination``: an
/// existing symbolic link is followed, a device or FIFO written in place).
public enum DraftWriter {
    /// Writes each document under `directory` (created 0700 when missing); returns the paths written.
    public static func write(_ documents: [DraftDocument], to directory: String) throws -> [String] {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var written: [String] = []
        for d in documents {
            let path = directory + "/" + d.path
            let dir = (path as NSString).deletingLastPathComponent
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try writeAtomically(d.contents, to: path)
            written.append(path)
        }
        return written
    }

    /// `data` to `path` as ``OutputDestination`` plans it: a missing or regular file (also
    /// through a symbolic link, which is kept) is replaced by a 0600 file through a temporary
    /// file and `rename(2)`; a device or FIFO is written in place, never replaced.
    /// - Throws: ``OutputDestinationError`` (path and reason).
    public static func writeAtomically(_ data: Data, to path: String) throws {
        try OutputDestination.write(data, to: path)
    }
}
