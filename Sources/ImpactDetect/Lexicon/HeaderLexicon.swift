import Foundation

/// The role a header was resolved to, with its evidence.
public struct HeaderMatch: Sendable, Equatable {
    /// What the field holds.
    public var role: FieldRole
    /// The synonym that matched, as written in `headers.tsv` (for evidence in reports).
    public var synonym: String
    /// 0–1: 1 when every word of the header is understood; less when some words are unknown or a
    /// partial token matched.
    public var strength: Double
    /// The context word that decided the role (`laboratoire` in `laboratoire.nom`), if any.
    public var context: String?

    public init(role: FieldRole, synonym: String, strength: Double, context: String? = nil) {
        self.role = role
        self.synonym = synonym
        self.strength = strength
        self.context = context
    }
}

/// Maps a column header or a JSON path to a ``FieldRole`` (`patient.nom` → last name,
/// `laboratoire.nom` → controller name, `N° Sécurité Sociale` → NIR).
///
/// Behaviour: headers are split into words (camelCase, folding by ``TextFold``, stop words and
/// number tokens dropped, plurals reduced), then matched against the synonyms of
/// `Resources/headers.tsv` by token, so that compounds and paths resolve by specificity; context
/// words (patient, prescripteur, laboratoire, examen) turn a generic attribute into the right
/// role. The file's header comment documents the algorithm; its `+`/`-` lines are examples
/// checked by the tests. Obfuscated names (`col7`, `field12`) give nil.
///
/// Contract: immutable, thread-safe; `match` is meant for headers (once per column), not cells.
/// Source: regulatory.md §7.1; headers of ../shared/samples and ../shared/cases.
public struct HeaderLexicon: Sendable {
    /// The lexicon of `Resources/headers.tsv`, loaded once; a load error stops the process with
    /// the line (a programming error: the file ships with the module and its tests check it).
    public static let standard: HeaderLexicon = {
        do {
            let url = resourceDirectory("headers.tsv")
            return try HeaderLexicon(text: String(contentsOf: url, encoding: .utf8))
        } catch {
            fatalError("ImpactDetect: cannot load the header lexicon: \(error)")
        }
    }()

    /// An example of the file: `header` must resolve (`mustMatch`) or must not resolve to `role`
    /// (nil role: no role at all).
    public struct Example: Sendable {
        public var line: Int
        public var header: String
        public var role: FieldRole?
        public var mustMatch: Bool
    }

    enum Target: Sendable, Equatable {
        case role(FieldRole)
        case none
        case generic(String)
    }

    enum Kind: Sendable {
        case attribute(Target)
        case context(name: String, defaultRole: FieldRole?)
        case neutral
    }

    struct Synonym: Sendable {
        var text: String
        var tokens: [String]
        var prefix: [Bool]
        var kind: Kind
    }

    let synonyms: [Synonym]
    let stopWords: Set<String>
    /// "context|attribute" → role (nil: no role).
    let rewrites: [String: FieldRole?]
    public let examples: [Example]

    /// Parses the `headers.tsv` format.
    /// - Throws: ``LexiconError`` (file `headers.tsv`) for an unknown kind, role or context.
    public init(text: String) throws {
        var synonyms: [Synonym] = []
        var stop = Set<String>()
        var rewrites: [String: FieldRole?] = [:]
        var examples: [Example] = []
        var contexts = Set<String>()
        var pending: [(Int, [Substring])] = []
        var lineNo = 0
        func fail(_ m: String) -> LexiconError { LexiconError(file: "headers.tsv", line: lineNo, message: m) }
        func role(_ s: Substring) throws -> FieldRole? {
            if s == "-" { return nil }
            guard let r = FieldRole(rawValue: String(s)) else { throw fail("unknown role '\(s)'") }
            return r
        }
        for line in LexiconFileText.lines(text) {
            lineNo += 1
            if line.isEmpty || LexiconFileText.hasPrefix(line, "#") { continue }
            let c = LexiconFileText.split(line, 0x09)
            switch c[0] {
            case "stop":
                stop.insert(String(c[1]))
            default:
                pending.append((lineNo, c))
            }
        }
        self.stopWords = stop
        for (n, c) in pending {
            lineNo = n
            guard c.count >= 2 else { throw fail("too few columns") }
            switch c[0] {
            case "syn", "ctx", "neu":
                let (tokens, prefix) = Self.synonymTokens(String(c[1]), stopWords: stop)
                guard !tokens.isEmpty else { throw fail("synonym '\(c[1])' has no word") }
                let kind: Kind
                if c[0] == "neu" {
                    kind = .neutral
                } else if c[0] == "ctx" {
                    guard c.count >= 4 else { throw fail("ctx needs word, context, default role") }
                    kind = .context(name: String(c[2]), defaultRole: try role(c[3]))
                    contexts.insert(String(c[2]))
                } else {
                    guard c.count >= 3 else { throw fail("syn needs synonym and role") }
                    if c[2].hasPrefix("@") { kind = .attribute(.generic(String(c[2]))) }
                    else if let r = try role(c[2]) { kind = .attribute(.role(r)) }
                    else { kind = .attribute(.none) }
                }
                synonyms.append(Synonym(text: String(c[1]), tokens: tokens, prefix: prefix, kind: kind))
            case "rw":
                guard c.count >= 4 else { throw fail("rw needs context, attribute, role") }
                let ctx = String(c[1]), attr = String(c[2])
                guard ctx == "*" || contexts.contains(ctx) else { throw fail("unknown context '\(ctx)'") }
                guard attr == "*" || attr.hasPrefix("@") || FieldRole(rawValue: attr) != nil else {
                    throw fail("unknown attribute '\(attr)'")
                }
                rewrites["\(ctx)|\(attr)"] = .some(try role(c[3]))
            case "+", "-":
                guard c.count >= 3 else { throw fail("example needs header and role") }
                if c[0] == "-" && c[2] == "-" { throw fail("a negative example needs a role") }
                examples.append(Example(line: n, header: String(c[1]), role: try role(c[2]), mustMatch: c[0] == "+"))
            default:
                throw fail("unknown line kind '\(c[0])'")
            }
        }
        self.synonyms = synonyms
        self.rewrites = rewrites
        self.examples = examples
    }

    // MARK: Normalisation

    /// Header words: camelCase split, folded, trailing digits of words dropped, numbers and stop
    /// words dropped, final "s" of words longer than 3 letters dropped (not "ss").
    func tokens(of header: String) -> [String] {
        Self.normalise(Self.splitCamelCase(header), stopWords: stopWords)
    }

    static func splitCamelCase(_ s: String) -> String {
        var out = ""
        var previousLower = false
        for ch in s {
            if ch.isUppercase && previousLower { out.append(" ") }
            out.append(ch)
            previousLower = ch.isLowercase
        }
        return out
    }

    static func normalise(_ s: String, stopWords: Set<String>) -> [String] {
        TextFold.fold(s).split(separator: " ").compactMap { word -> String? in
            var w = Substring(word)
            let letters = w.prefix { !$0.isNumber }
            if letters.count >= 2 && letters.count < w.count && w.dropFirst(letters.count).allSatisfy(\.isNumber) {
                w = letters
            }
            if w.allSatisfy(\.isNumber) { return nil }
            var t = String(w)
            if stopWords.contains(t) { return nil }
            if t.count > 3 && t.hasSuffix("s") && !t.hasSuffix("ss") { t.removeLast() }
            return t
        }
    }

    static func synonymTokens(_ s: String, stopWords: Set<String>) -> ([String], [Bool]) {
        var tokens: [String] = []
        var prefix: [Bool] = []
        for raw in s.split(separator: " ") {
            let isPrefix = raw.hasSuffix("*")
            let words = normalise(String(isPrefix ? raw.dropLast() : raw), stopWords: isPrefix ? [] : stopWords)
            for (k, w) in words.enumerated() {
                tokens.append(w)
                prefix.append(isPrefix && k == words.count - 1)
            }
        }
        return (tokens, prefix)
    }

    // MARK: Matching

    struct Found {
        var synonym: Int
        var start: Int
        var count: Int
        var partial: Bool
    }

    /// The role of `header`, or nil when no synonym matches or the header has no role
    /// (an identifier code without context, a birthplace).
    public func match(_ header: String) -> HeaderMatch? {
        let t = tokens(of: header)
        if t.isEmpty { return nil }
        var found: [Found] = []
        for (si, syn) in synonyms.enumerated() where syn.tokens.count <= t.count {
            for start in 0...(t.count - syn.tokens.count) {
                var partial = false
                var ok = true
                for k in 0..<syn.tokens.count {
                    let h = t[start + k], s = syn.tokens[k]
                    if h == s { continue }
                    if syn.prefix[k] && h.hasPrefix(s) { partial = true; continue }
                    ok = false
                    break
                }
                if ok { found.append(Found(synonym: si, start: start, count: syn.tokens.count, partial: partial)) }
            }
        }
        if found.isEmpty { return nil }
        var covered = [Bool](repeating: false, count: t.count)
        for f in found { for k in f.start..<(f.start + f.count) { covered[k] = true } }
        let understood = Double(covered.filter { $0 }.count) / Double(t.count)

        let attributes = found.filter { if case .attribute = synonyms[$0.synonym].kind { return true }; return false }
        let contexts = found.filter { if case .context = synonyms[$0.synonym].kind { return true }; return false }

        func rank(_ f: Found) -> (Int, Int, Int, Int) {
            let priority: Int
            switch synonyms[f.synonym].kind {
            case .attribute(.generic("@date")): priority = 3
            case .attribute(.generic): priority = 1
            default: priority = 2
            }
            return (f.count, priority, f.partial ? 0 : 1, f.start)
        }

        guard let best = attributes.max(by: { rank($0) < rank($1) }) else {
            // Only context words: the default role of the last one.
            guard let last = contexts.max(by: { ($0.start, $0.count) < ($1.start, $1.count) }),
                  case .context(_, let defaultRole) = synonyms[last.synonym].kind, let role = defaultRole else {
                return nil
            }
            return HeaderMatch(role: role, synonym: synonyms[last.synonym].text,
                               strength: strength(understood, partial: last.partial), context: nil)
        }
        // The nearest context word outside the attribute, preferring one before it.
        let outside = contexts.filter { $0.start + $0.count <= best.start || $0.start >= best.start + best.count }
        let context = outside.min { a, b in
            func distance(_ c: Found) -> (Int, Int) {
                c.start < best.start ? (best.start - (c.start + c.count), 0) : (c.start - (best.start + best.count), 1)
            }
            return distance(a) < distance(b)
        }
        var contextName: String?
        if let context, case .context(let name, _) = synonyms[context.synonym].kind { contextName = name }

        guard case .attribute(let target) = synonyms[best.synonym].kind,
              let role = resolve(target, context: contextName) else { return nil }
        let partial = best.partial || (context?.partial ?? false)
        return HeaderMatch(role: role, synonym: synonyms[best.synonym].text,
                           strength: strength(understood, partial: partial),
                           context: context.map { synonyms[$0.synonym].text })
    }

    func strength(_ understood: Double, partial: Bool) -> Double {
        (0.5 + 0.5 * understood) * (partial ? 0.9 : 1)
    }

    func resolve(_ target: Target, context: String?) -> FieldRole? {
        let attribute: String
        switch target {
        case .none: return nil
        case .role(let r): attribute = r.rawValue
        case .generic(let g): attribute = g
        }
        if let context {
            if let r = rewrites["\(context)|\(attribute)"] { return r }
            if let r = rewrites["\(context)|*"] { return r }
        }
        if case .role(let r) = target { return r }
        if let r = rewrites["*|\(attribute)"] { return r }
        return nil
    }

    /// Checks the examples of the file; one message per failure (empty when all pass).
    public func exampleFailures() -> [String] {
        examples.compactMap { e in
            let got = match(e.header)?.role
            let ok = e.mustMatch ? got == e.role : got != e.role
            if ok { return nil }
            return "headers.tsv:\(e.line): '\(e.header)' gave \(got?.rawValue ?? "no role"), "
                + "\(e.mustMatch ? "expected" : "must not give") \(e.role?.rawValue ?? "no role")"
        }
    }
}
