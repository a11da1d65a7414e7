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
/// sample (a few thousand values per column), not for every cell of a leak; still, it works on
/// the folded bytes (word look-ups in a ``WordTable``), without a `String` per value.
/// Source: INSEE given-name file (frequent names), AFNOR NF Z 10-011 street types.
public final class ValueShapeLexicon: Sendable {
    public static let standard: ValueShapeLexicon = {
        do {
            return try ValueShapeLexicon(text: String(contentsOf: resourceDirectory("value_shapes.tsv"), encoding: .utf8))
        } catch {
            fatalError("ImpactDetect: cannot load value_shapes.tsv: \(error)")
        }
    }()

    private let words: WordTable
    private let phrases: WordTable
    private let prefixes: [([UInt8], ValueShapes)]
    /// `(kind, example, mustMatch)` lines of the file, for the tests.
    public let examples: [(shapes: ValueShapes, text: String, mustMatch: Bool)]

    /// Parses the file's text. Throws on an unknown kind, with the line number.
    public init(text: String) throws {
        var words: [String: ValueShapes] = [:], phrases: [String: ValueShapes] = [:]
        var prefixes: [(String, ValueShapes)] = []
        var examples: [(ValueShapes, String, Bool)] = []
        for (n, raw) in LexiconFileText.lines(text).enumerated() {
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
        self.words = WordTable(words)
        self.phrases = WordTable(phrases)
        self.prefixes = prefixes.map { (Array($0.0.utf8), $0.1) }
        self.examples = examples
    }

    /// The shapes of one value (UTF-8).
    public func shapes(of value: UnsafeRawBufferPointer) -> ValueShapes {
        let need = TextFold.capacityNeeded(value.count)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: need) { buffer in
            let n = TextFold.fold(value, into: buffer, preservingCase: false)
            return shapes(folded: UnsafeRawBufferPointer(start: buffer.baseAddress, count: n))
        }
    }

    /// The shapes of text already folded and lower-cased (`[a-z0-9 ]`, single spaces, none at
    /// the ends: ``TextFold`` output), the same as ``shapes(of:)`` of the unfolded value.
    /// Words are walked in place, one ahead for the two-word phrases: no allocation per value
    /// (this runs on every cell of the classification sample).
    public func shapes(folded f: UnsafeRawBufferPointer) -> ValueShapes {
        /// The next word at or after `from`: its start and end, or nil.
        @inline(__always) func word(from: Int) -> (start: Int, end: Int)? {
            var s = from
            while s < f.count && f[s] == 0x20 { s += 1 }
            guard s < f.count else { return nil }
            var e = s
            while e < f.count && f[e] != 0x20 { e += 1 }
            return (s, e)
        }
        var result: ValueShapes = []
        var firstNames = 0, lastNames = 0, count = 0
        var current = word(from: 0)
        while let span = current {
            let next = word(from: span.end)
            let t = UnsafeRawBufferPointer(rebasing: f[span.start..<span.end])
            let s = words.lookup(t) ?? []
            if s.contains(.firstName) { firstNames += 1 }
            if s.contains(.lastName) { lastNames += 1 }
            if s.contains(.street) { result.insert(.street) }
            if s.contains(.lab) { result.insert(.lab) }
            if count == 0 && s.contains(.title) { result.insert(.title) }
            if let next, let p = phrases.lookup(UnsafeRawBufferPointer(rebasing: f[span.start..<next.end])) {
                result.formUnion(p.subtracting(.title))
            }
            for (prefix, shape) in prefixes where t.count > prefix.count
                && prefix.withUnsafeBytes({ memcmp($0.baseAddress!, t.baseAddress!, prefix.count) == 0 }) {
                result.insert(shape)
            }
            if t.count > 3, t[t.count - 3] == 0x62, t[t.count - 2] == 0x69, t[t.count - 1] == 0x6F { result.insert(.lab) }  // "bio"
            count += 1
            current = next
        }
        guard count > 0 else { return [] }
        if lastNames == count { result.insert(.lastName) }
        if firstNames == count { result.insert(.firstName) } else if firstNames > 0 { result.insert(.containsFirstName) }
        return result
    }

    /// The shapes of one value given as a `String` (tests).
    public func shapes(of s: String) -> ValueShapes {
        var s = s
        return s.withUTF8 { shapes(of: UnsafeRawBufferPointer($0)) }
    }
}

/// An immutable set of folded words (or phrases) with their shapes, looked up by bytes:
/// open addressing over an FNV-1a hash, entries compared in full.
struct WordTable: Sendable {
    private let text: [UInt8]
    private let entries: [(start: Int32, length: Int32, shapes: ValueShapes)]
    private let slots: [Int32]

    init(_ words: [String: ValueShapes]) {
        var text: [UInt8] = []
        var entries: [(Int32, Int32, ValueShapes)] = []
        for (w, s) in words.sorted(by: { $0.key < $1.key }) {
            entries.append((Int32(text.count), Int32(w.utf8.count), s))
            text.append(contentsOf: w.utf8)
        }
        var size = 16
        while size < entries.count * 4 { size <<= 1 }
        var slots = [Int32](repeating: -1, count: size)
        text.withUnsafeBytes { t in
            for (k, e) in entries.enumerated() {
                var i = Int(truncatingIfNeeded: WordTable.hash(UnsafeRawBufferPointer(rebasing: t[Int(e.0)..<Int(e.0 + e.1)]))) & (size - 1)
                while slots[i] >= 0 { i = (i + 1) & (size - 1) }
                slots[i] = Int32(k)
            }
        }
        self.text = text
        self.entries = entries
        self.slots = slots
    }

    static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for c in b { h = (h ^ UInt64(c)) &* 0x100_0000_01B3 }
        return h ^ (h >> 29)
    }

    /// The shapes of exactly `word`, or nil.
    func lookup(_ word: UnsafeRawBufferPointer) -> ValueShapes? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: WordTable.hash(word)) & mask
        return text.withUnsafeBytes { t in
            while true {
                let k = Int(slots[i])
                if k < 0 { return nil }
                let e = entries[k]
                if Int(e.length) == word.count && (word.count == 0 || memcmp(t.baseAddress! + Int(e.start), word.baseAddress!, word.count) == 0) {
                    return e.shapes
                }
                i = (i + 1) & mask
            }
        }
    }
}
