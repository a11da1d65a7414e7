import Foundation

/// What a single value looks like when its column's header says nothing: a given name, a
/// street address, a lab name, a titled person's name (`Dr …`).
public struct ValueShapes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Every word of the value is a known given name (`Jean-François`, `Élodie`).
    public static let firstName = ValueShapes(rawValue: 1)
    /// Some word is a street type (`rue`, `av.`, `boulevard`).
    public static let street = ValueShapes(rawValue: 2)
    /// Some word belongs to lab or care-establishment names (`Laboratoire`, `LBM`, `Bio…`).
    public static let lab = ValueShapes(rawValue: 4)
    /// The first word is a title (`Dr`, `Pr`, `Docteur`).
    public static let title = ValueShapes(rawValue: 8)
    /// Some word, but not every word, is a known given name (`Anne Marie Roux`).
    public static let containsFirstName = ValueShapes(rawValue: 16)
    /// Every word of the value is a frequent family name (`DUPONT`, `Le Gall`).
    public static let lastName = ValueShapes(rawValue: 32)
}

/// Word lists of `Resources/value_shapes.tsv` (given names, street types, lab words, titles)
/// and the shapes they give a value.
///
/// Behaviour: the value is folded (``TextFold``) and split into words; multi-word entries
/// (`lieu dit`, `centre hospitalier`) match consecutive words. Meant for the classification
/// sample (a few thousand values per column), not for every cell of a leak.
/// Source: INSEE given-name file (frequent names), AFNOR NF Z 10-011 street types.
public final class ValueShapeLexicon: Sendable {
    public static let standard: ValueShapeLexicon = {
        do {
            return try ValueShapeLexicon(text: String(contentsOf: resourceDirectory("value_shapes.tsv"), encoding: .utf8))
        } catch {
            fatalError("ImpactDetect: cannot load value_shapes.tsv: \(error)")
        }
    }()

    private let words: [String: ValueShapes]
    private let phrases: [String: ValueShapes]
    private let prefixes: [(String, ValueShapes)]
    /// `(kind, example, mustMatch)` lines of the file, for the tests.
    public let examples: [(shapes: ValueShapes, text: String, mustMatch: Bool)]

    /// Parses the file's text. Throws on an unknown kind, with the line number.
    public init(text: String) throws {
        var words: [String: ValueShapes] = [:], phrases: [String: ValueShapes] = [:]
        var prefixes: [(String, ValueShapes)] = []
        var examples: [(ValueShapes, String, Bool)] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.isEmpty || line.hasPrefix("#") { continue }
            var parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            var sign: Character? = nil
            if parts[0].hasPrefix("+ ") || parts[0].hasPrefix("- ") {
                sign = parts[0].first
                parts[0] = String(parts[0].dropFirst(2))
            }
            guard parts.count == 2 else { throw LexiconError(file: "value_shapes.tsv", line: n + 1, message: "expected kind<TAB>word") }
            let shape: ValueShapes
            var isPrefix = false
            switch parts[0] {
            case "first_name": shape = .firstName
            case "last_name": shape = .lastName
            case "street": shape = .street
            case "lab": shape = .lab
            case "lab_prefix": shape = .lab; isPrefix = true
            case "title": shape = .title
            default: throw LexiconError(file: "value_shapes.tsv", line: n + 1, message: "unknown kind \(parts[0])")
            }
            if let sign {
                examples.append((shape, parts[1], sign == "+"))
                continue
            }
            let folded = TextFold.fold(parts[1])
            if isPrefix { prefixes.append((folded, shape)) } else if folded.contains(" ") { phrases[folded, default: []].insert(shape) } else { words[folded, default: []].insert(shape) }
        }
        self.words = words
        self.phrases = phrases
        self.prefixes = prefixes
        self.examples = examples
    }

    /// The shapes of one value (UTF-8).
    public func shapes(of value: UnsafeRawBufferPointer) -> ValueShapes {
        var folded: [UInt8] = []
        TextFold.fold(value, into: &folded)
        let tokens = String(decoding: folded, as: UTF8.self).split(separator: " ").map(String.init)
        guard !tokens.isEmpty else { return [] }
        var result: ValueShapes = []
        var firstNames = 0, lastNames = 0
        for (i, t) in tokens.enumerated() {
            let s = words[t] ?? []
            if s.contains(.firstName) { firstNames += 1 }
            if s.contains(.lastName) { lastNames += 1 }
            if s.contains(.street) { result.insert(.street) }
            if s.contains(.lab) { result.insert(.lab) }
            if i == 0 && s.contains(.title) { result.insert(.title) }
            if i + 1 < tokens.count, let p = phrases[t + " " + tokens[i + 1]] { result.formUnion(p.subtracting(.title)) }
            for (prefix, shape) in prefixes where t.count > prefix.count && t.hasPrefix(prefix) { result.insert(shape) }
            if t.count > 3, t.hasSuffix("bio") { result.insert(.lab) }
        }
        if lastNames == tokens.count { result.insert(.lastName) }
        if firstNames == tokens.count { result.insert(.firstName) } else if firstNames > 0 { result.insert(.containsFirstName) }
        return result
    }

    /// The shapes of one value given as a `String` (tests).
    public func shapes(of s: String) -> ValueShapes {
        var s = s
        return s.withUTF8 { shapes(of: UnsafeRawBufferPointer($0)) }
    }
}
