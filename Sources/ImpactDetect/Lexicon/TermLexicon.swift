import Foundation

/// A lexicon term file could not be loaded: the file, the 1-based line and what is wrong.
public struct LexiconError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// A true or false example carried by a lexicon file (`+ text` must match, `- text` must not),
/// checked by ``TermLexicon/exampleFailures()``. In the file, `\n`, `\r`, `\t` stand for a line
/// feed, carriage return and tab.
public struct LexiconExample: Sendable {
    public var file: String
    public var line: Int
    public var text: String
    /// `+` (true) or `-` (false) example.
    public var mustMatch: Bool
    /// The file's own category (its name, e.g. `pregnancy.tsv` → pregnancy).
    public var primary: DataCategory
    /// When the example line gives them after a tab: the exact categories the scan must return.
    public var expected: CategorySet?
}

/// Finds the terms of special-category vocabulary (health, pregnancy, genetic, drug treatment,
/// sex life, criminal offences, …) in free text and exam labels, in one pass.
///
/// Behaviour:
/// - Terms come from the data files `Resources/lexicon/<category>.tsv` (format in each file's
///   header). Each is folded by ``TextFold`` at load and matched as a whole word or phrase
///   (word boundaries on the folded text), French and English alike.
/// - Matching is one pass of a precompiled Aho–Corasick automaton over the folded bytes
///   (alphabet `[a-z0-9 ]`, upper case read as lower case), not one search per term.
/// - Case-sensitive terms (flag `cs`: `TTT`, `HSH`, `ALD`, `PrEP`) match only when the scanned text
///   was folded with `preservingCase: true` and has the exact case there; on lower-cased text they
///   never match. ``scan(text:scratch:)`` folds that way for you. Flag `afternum`: the term must
///   follow a number (`35 SA`). Flag `prefix`: no word boundary needed after the term.
/// - Longest match: a match whose span lies inside a longer match is dropped (`anticorps anti-ADN`
///   is not `ADN`; `ADN libre circulant` is not just `ADN`). At most 32 overlapping matches wait
///   for this rule; past that (pathological text) the oldest is kept as is.
/// - Pathogen rule: a term flagged `nopathogen` (generic molecular methods: ADN, ARN, génotypage,
///   séquençage) gives `genetic` only when no term flagged `pathogen` (VIH, VHC, SARS-CoV-2,
///   Chlamydia, …) is in the same cell: pathogen nucleic acids are not the person's genetic data
///   (GDPR Art. 4(13), Recital 34; regulatory.md §1.1, §7.3); its other categories (health) stay.
/// - Fast path: a cell without letters returns at once.
///
/// Contract: thread-safe and immutable after init; `scan` does not allocate. Negation is not
/// interpreted ("test de grossesse négatif" still reveals a pregnancy test). Implied categories
/// are the caller's job (``CategorySet/closed``). Sources: regulatory.md §7.2–7.7, GDPR Art. 4(13),
/// 4(15), 9, 10.
public final class TermLexicon: Sendable {
    /// The lexicon of `Resources/lexicon/*.tsv`, loaded once. A load error is a programming error
    /// (the files ship with the module; their tests check them) and stops the process with the
    /// file and line.
    public static let standard: TermLexicon = {
        do {
            return try TermLexicon(directory: resourceDirectory("lexicon"))
        } catch {
            fatalError("ImpactDetect: cannot load the term lexicon: \(error)")
        }
    }()

    /// The examples carried by the files, in load order.
    public let examples: [LexiconExample]
    /// Number of terms.
    public var termCount: Int { terms.count }
    /// Number of automaton states (for sizing; the table is `states × 37` 32-bit entries).
    public var stateCount: Int { delta.count / Self.alphabet }

    struct Term: Sendable {
        var text: String
        var file: String
        var categories: CategorySet
        var flags: Flags
        /// The folded term (case kept for `cs`), without the boundary spaces.
        var folded: [UInt8]
        /// Length of the matched pattern: folded + leading space (+ trailing space unless prefix).
        var patternLength: Int
    }

    struct Flags: OptionSet, Sendable {
        let rawValue: UInt8
        static let caseSensitive = Flags(rawValue: 1)
        static let prefix = Flags(rawValue: 2)
        static let afterNumber = Flags(rawValue: 4)
        static let pathogen = Flags(rawValue: 8)
        static let noPathogen = Flags(rawValue: 16)
        static let names: [(String, Flags)] = [
            ("cs", .caseSensitive), ("prefix", .prefix), ("afternum", .afterNumber),
            ("pathogen", .pathogen), ("nopathogen", .noPathogen),
        ]
    }

    static let alphabet = 37
    static let outputBit: UInt32 = 0x8000_0000

    let terms: [Term]
    /// The per-match facts of each term, without its strings (read in the scan loop without
    /// retaining anything).
    let termInfo: [TermInfo]

    struct TermInfo: Sendable {
        var patternLength: Int32
        var flags: Flags
        var categories: CategorySet
    }
    /// Dense transition table: `delta[state * 37 + symbol]` = next state, with ``outputBit`` set
    /// when the next state has outputs.
    let delta: [UInt32]
    /// Outputs of state s: `outputs[outputStart[s] ..< outputStart[s + 1]]`, longest first.
    let outputStart: [Int32]
    let outputs: [Int32]
    /// Byte → symbol: space/separator 0, letters 1–26 (either case), digits 27–36.
    let symbols: [UInt8]
    let maxPatternLength: Int

    /// Loads every `*.tsv` file of `directory` (sorted by name, so term ids are stable).
    public convenience init(directory: URL) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".tsv") }.sorted()
        var files: [(name: String, text: String)] = []
        for n in names {
            let text = try String(contentsOf: directory.appendingPathComponent(n), encoding: .utf8)
            files.append((n, text))
        }
        try self.init(files: files)
    }

    /// Builds a lexicon from file contents. Each file is named `<category>.tsv` after a
    /// ``DataCategory`` raw value (its primary category, used by its examples).
    /// - Throws: ``LexiconError`` for an unknown category or flag, a term without a letter,
    ///   a term given twice, a malformed line.
    public init(files: [(name: String, text: String)]) throws {
        var terms: [Term] = []
        var examples: [LexiconExample] = []
        var seen: [String: (String, Int)] = [:]
        /// The categories column's text → its categories (most terms repeat a few columns).
        var categoriesOfColumn: [Substring: CategorySet] = [:]
        for file in files {
            let base = file.name.hasSuffix(".tsv") ? String(file.name.dropLast(4)) : file.name
            guard let primary = DataCategory(rawValue: base) else {
                throw LexiconError(file: file.name, line: 0, message: "file name is not a category id")
            }
            var lineNo = 0
            for line in LexiconFileText.lines(file.text) {
                lineNo += 1
                if line.isEmpty || LexiconFileText.hasPrefix(line, "#") { continue }
                if LexiconFileText.hasPrefix(line, "+ ") || LexiconFileText.hasPrefix(line, "- ") {
                    let parts = LexiconFileText.split(line.dropFirst(2), 0x09)
                    var expected: CategorySet?
                    if parts.count > 1 {
                        expected = try Self.categories(parts[1], file.name, lineNo)
                    }
                    var text = String(parts[0])
                    if text.utf8.contains(0x5C) {
                        text = text.replacingOccurrences(of: "\\n", with: "\n")
                            .replacingOccurrences(of: "\\r", with: "\r").replacingOccurrences(of: "\\t", with: "\t")
                    }
                    examples.append(LexiconExample(file: file.name, line: lineNo, text: text,
                                                   mustMatch: line.hasPrefix("+"), primary: primary,
                                                   expected: expected))
                    continue
                }
                let cols = LexiconFileText.split(line, 0x09)
                guard cols.count >= 2 else {
                    throw LexiconError(file: file.name, line: lineNo, message: "expected term<TAB>categories[<TAB>flags<TAB>note]")
                }
                let text = String(LexiconFileText.trimmed(cols[0]))
                let cats: CategorySet
                if let known = categoriesOfColumn[cols[1]] { cats = known } else {
                    cats = try Self.categories(cols[1], file.name, lineNo)
                    categoriesOfColumn[cols[1]] = cats
                }
                var flags = Flags()
                if cols.count > 2 {
                    for f in LexiconFileText.split(cols[2], 0x2C) {
                        let name = String(LexiconFileText.trimmed(f))
                        if name.isEmpty || name == "-" { continue }
                        guard let flag = Flags.names.first(where: { $0.0 == name })?.1 else {
                            throw LexiconError(file: file.name, line: lineNo, message: "unknown flag '\(name)'")
                        }
                        flags.insert(flag)
                    }
                }
                let folded = Array(TextFold.fold(text, preservingCase: flags.contains(.caseSensitive)).utf8)
                guard folded.contains(where: { ValueBytes.isLower($0) || ValueBytes.isUpper($0) }) else {
                    throw LexiconError(file: file.name, line: lineNo, message: "term '\(text)' has no letter after folding")
                }
                let key = (flags.contains(.caseSensitive) ? "cs:" : "") + String(decoding: folded, as: UTF8.self)
                    + (flags.contains(.prefix) ? "*" : "")
                if let previous = seen[key] {
                    throw LexiconError(file: file.name, line: lineNo,
                                       message: "term '\(text)' already defined at \(previous.0):\(previous.1)")
                }
                seen[key] = (file.name, lineNo)
                let patternLength = folded.count + (flags.contains(.prefix) ? 1 : 2)
                terms.append(Term(text: text, file: file.name, categories: cats, flags: flags,
                                  folded: folded, patternLength: patternLength))
            }
        }
        guard terms.count < Int(Int32.max) else {
            throw LexiconError(file: "-", line: 0, message: "too many terms")
        }
        self.terms = terms
        self.termInfo = terms.map { TermInfo(patternLength: Int32($0.patternLength), flags: $0.flags, categories: $0.categories) }
        self.examples = examples

        var sym = [UInt8](repeating: 0, count: 256)
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { sym[Int(b)] = b - 0x61 + 1; sym[Int(b - 0x20)] = b - 0x61 + 1 }
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { sym[Int(b)] = b - 0x30 + 27 }
        self.symbols = sym

        // Trie over padded lower-case patterns. Flat storage throughout (`goto` grows by a row
        // of `a` entries per state; each state's own terms in `ownTerms`, in term order): this
        // is built at every start, and nested arrays made it ~30 M instructions (callgrind).
        let a = Self.alphabet
        // At most one state per pattern symbol, and the root.
        let stateBound = 1 + terms.reduce(0) { $0 + $1.patternLength }
        var goto = [Int32](repeating: -1, count: stateBound * a)
        var ownState: [Int32] = []   // per term, the state its pattern ends in
        ownState.reserveCapacity(terms.count)
        var maxLen = 0
        var pattern: [UInt8] = []
        var stateCount = 1
        goto.withUnsafeMutableBufferPointer { goto in
            for t in terms {
                pattern.removeAll(keepingCapacity: true)
                pattern.append(0)
                for b in t.folded { pattern.append(sym[Int(b)]) }
                if !t.flags.contains(.prefix) { pattern.append(0) }
                maxLen = max(maxLen, pattern.count)
                var s = 0
                for c in pattern {
                    let next = goto[s &* a &+ Int(c)]
                    if next >= 0 { s = Int(next); continue }
                    goto[s &* a &+ Int(c)] = Int32(stateCount)
                    s = stateCount
                    stateCount += 1
                }
                ownState.append(Int32(s))
            }
        }
        goto.removeLast((stateBound - stateCount) * a)
        guard stateCount < Int(Self.outputBit) else {
            throw LexiconError(file: "-", line: 0, message: "automaton too large")
        }
        // Own terms per state, in term order: counting sort of the terms by end state.
        var ownStart = [Int32](repeating: 0, count: stateCount + 1)
        for s in ownState { ownStart[Int(s) + 1] += 1 }
        for s in 0..<stateCount { ownStart[s + 1] += ownStart[s] }
        var ownTerms = [Int32](repeating: 0, count: terms.count)
        do {
            var next = ownStart
            for (id, s) in ownState.enumerated() {
                ownTerms[Int(next[Int(s)])] = Int32(id)
                next[Int(s)] += 1
            }
        }
        // Failure links by breadth-first search; complete the goto function into a DFA.
        var fail = [Int32](repeating: 0, count: stateCount)
        var queue = [Int32](repeating: 0, count: stateCount)
        var queued = 0
        goto.withUnsafeMutableBufferPointer { goto in
            fail.withUnsafeMutableBufferPointer { fail in
                queue.withUnsafeMutableBufferPointer { queue in
                    for c in 0..<a {
                        let n = goto[c]
                        if n < 0 { goto[c] = 0 } else { fail[Int(n)] = 0; queue[queued] = n; queued += 1 }
                    }
                    var head = 0
                    while head < queued {
                        let s = Int(queue[head]); head += 1
                        let row = s &* a, failRow = Int(fail[s]) &* a
                        for c in 0..<a {
                            let n = goto[row &+ c]
                            if n < 0 {
                                goto[row &+ c] = goto[failRow &+ c]
                            } else {
                                fail[Int(n)] = goto[failRow &+ c]
                                queue[queued] = n; queued += 1
                            }
                        }
                    }
                }
            }
        }
        // Outputs of a state: its own terms, then those of its failure state (already complete:
        // the failure state is nearer the root, so earlier in breadth-first order); then, per
        // state, longest pattern first.
        var outputCount = [Int32](repeating: 0, count: stateCount)
        outputCount[0] = ownStart[1] - ownStart[0]
        for k in 0..<queued {
            let s = Int(queue[k])
            outputCount[s] = ownStart[s + 1] - ownStart[s] + outputCount[Int(fail[s])]
        }
        var starts = [Int32](repeating: 0, count: stateCount + 1)
        for s in 0..<stateCount { starts[s + 1] = starts[s] + outputCount[s] }
        var flat = [Int32](repeating: 0, count: Int(starts[stateCount]))
        func fillOutputs(_ s: Int) {
            var w = Int(starts[s])
            for k in Int(ownStart[s])..<Int(ownStart[s + 1]) { flat[w] = ownTerms[k]; w += 1 }
            if s != 0 {
                let f = Int(fail[s])
                for k in Int(starts[f])..<Int(starts[f]) + Int(outputCount[f]) { flat[w] = flat[k]; w += 1 }
            }
        }
        fillOutputs(0)
        for k in 0..<queued { fillOutputs(Int(queue[k])) }
        for s in 0..<stateCount where outputCount[s] > 1 {
            let lo = Int(starts[s]), hi = lo + Int(outputCount[s])
            let sorted = flat[lo..<hi].sorted { terms[Int($0)].patternLength > terms[Int($1)].patternLength }
            flat.replaceSubrange(lo..<hi, with: sorted)
        }
        let dense = [UInt32](unsafeUninitializedCapacity: stateCount * a) { dense, initialized in
            goto.withUnsafeBufferPointer { goto in
                outputCount.withUnsafeBufferPointer { outputCount in
                    for i in 0..<(stateCount * a) {
                        let n = Int(goto[i])
                        dense[i] = UInt32(n) | (outputCount[n] == 0 ? 0 : Self.outputBit)
                    }
                }
            }
            initialized = stateCount * a
        }
        self.delta = dense
        self.outputStart = starts
        self.outputs = flat
        self.maxPatternLength = maxLen
    }

    /// The categories by raw value (one hash look-up instead of a string switch).
    private static let categoryNamed: [Substring: DataCategory] =
        Dictionary(uniqueKeysWithValues: DataCategory.allCases.map { (Substring($0.rawValue), $0) })

    static func categories(_ s: Substring, _ file: String, _ line: Int) throws -> CategorySet {
        var set = CategorySet()
        for c in LexiconFileText.split(s, 0x2C) where !c.isEmpty {
            let name = LexiconFileText.trimmed(c)
            guard let cat = categoryNamed[name] else {
                throw LexiconError(file: file, line: line, message: "unknown category '\(name)'")
            }
            set.insert(CategorySet(cat))
        }
        if set.isEmpty { throw LexiconError(file: file, line: line, message: "no category") }
        return set
    }

    /// The term behind an id of ``LexiconHits/termIDs``, as written in its file, and its categories.
    public func term(_ id: Int32) -> (text: String, categories: CategorySet) {
        let t = terms[Int(id)]
        return (t.text, t.categories)
    }

    /// Folds `text` (UTF-8, case kept) into `scratch` and scans it. Cells without letters return
    /// at once without folding.
    public func scan(text: UnsafeRawBufferPointer, scratch: inout [UInt8]) -> LexiconHits {
        if !TextFold.mayContainLetter(text) { return LexiconHits() }
        TextFold.fold(text, into: &scratch, preservingCase: true)
        return scratch.withUnsafeBytes { scan(folded: $0) }
    }

    /// Folds `text` (UTF-8, case kept) into caller-owned `buffer` and scans it: the hot-path form.
    /// `buffer.count` must be at least `TextFold.capacityNeeded(text.count)`. Cells without
    /// letters return at once without folding.
    public func scan(text: UnsafeRawBufferPointer, buffer: UnsafeMutableBufferPointer<UInt8>) -> LexiconHits {
        if !TextFold.mayContainLetter(text) { return LexiconHits() }
        let n = TextFold.fold(text, into: buffer, preservingCase: true)
        return scan(folded: UnsafeRawBufferPointer(start: buffer.baseAddress, count: n))
    }

    /// Scans a `String` (tests, explanations): folds it keeping case, then scans.
    public func scan(_ s: String) -> LexiconHits {
        var copy = s
        var scratch: [UInt8] = []
        return copy.withUTF8 { scan(text: UnsafeRawBufferPointer($0), scratch: &scratch) }
    }

    /// Scans text already folded by ``TextFold`` (lower-cased, or with `preservingCase: true` to
    /// let case-sensitive terms match).
    public func scan(folded: UnsafeRawBufferPointer) -> LexiconHits {
        if !TextFold.mayContainLetter(folded) { return LexiconHits() }
        return withUnsafeTemporaryAllocation(of: PendingMatch.self, capacity: Self.pendingCapacity) { pending in
            var run = ScanRun(lexicon: self, text: folded, pending: pending)
            let n = folded.count
            let a = Self.alphabet
            delta.withUnsafeBufferPointer { delta in
                symbols.withUnsafeBufferPointer { sym in
                    var state = Int(delta[0] & ~Self.outputBit)  // after the virtual leading space
                    var pos = 1
                    while pos <= n + 1 {
                        let s = pos <= n ? Int(sym[Int(folded[pos - 1])]) : 0
                        let t = delta[state &* a &+ s]
                        state = Int(t & ~Self.outputBit)
                        if t & Self.outputBit != 0 { run.outputs(of: state, end: pos) }
                        pos += 1
                    }
                }
            }
            return run.finish()
        }
    }

    static let pendingCapacity = 32

    struct PendingMatch {
        var start: Int
        var end: Int
        var term: Int32
    }

    /// The state of one scan: matches waiting for the longest-match rule, and the result.
    struct ScanRun {
        let lexicon: TermLexicon
        let text: UnsafeRawBufferPointer
        let pending: UnsafeMutableBufferPointer<PendingMatch>
        var pendingCount = 0
        var categories = CategorySet()
        var deferred = CategorySet()  // from `nopathogen` terms
        var pathogen = false
        var ids = TermIDList()

        init(lexicon: TermLexicon, text: UnsafeRawBufferPointer, pending: UnsafeMutableBufferPointer<PendingMatch>) {
            self.lexicon = lexicon
            self.text = text
            self.pending = pending
        }

        mutating func outputs(of state: Int, end: Int) {
            let lo = Int(lexicon.outputStart[state]), hi = Int(lexicon.outputStart[state + 1])
            for k in lo..<hi {
                let id = lexicon.outputs[k]
                let t = lexicon.termInfo[Int(id)]
                let start = end - Int(t.patternLength) + 1
                if !t.flags.isDisjoint(with: [.caseSensitive, .afterNumber]) && !accepts(lexicon.terms[Int(id)], start: start) { continue }
                add(PendingMatch(start: start, end: end, term: id))
            }
        }

        /// Case and after-number conditions. Stream position p is text index p - 1.
        func accepts(_ t: Term, start: Int) -> Bool {
            if t.flags.contains(.caseSensitive) {
                for (k, b) in t.folded.enumerated() where text[start + k] != b { return false }
            }
            if t.flags.contains(.afterNumber) {
                // The leading space is text[start - 1]; the token before it must be all digits.
                var i = start - 2
                guard i >= 0, ValueBytes.isDigit(text[i]) else { return false }
                while i >= 0 && ValueBytes.isDigit(text[i]) { i -= 1 }
                if i >= 0 && text[i] != 0x20 { return false }
            }
            return true
        }

        mutating func add(_ m: PendingMatch) {
            // Commit matches that no later match can contain.
            var k = 0
            while k < pendingCount {
                if pending[k].start + lexicon.maxPatternLength < m.end {
                    commit(pending[k]); removePending(k)
                } else { k += 1 }
            }
            // Longest match: drop what m contains, or m if contained.
            k = 0
            while k < pendingCount {
                let p = pending[k]
                if p.start < m.start || (p.start == m.start && p.end > m.end) {
                    if p.end >= m.end { return }  // m inside p
                    k += 1
                } else if p.start > m.start || p.end < m.end {
                    removePending(k)  // p inside m
                } else {
                    k += 1  // same span, another term: keep both
                }
            }
            if pendingCount == pending.count { commit(pending[0]); removePending(0) }
            pending[pendingCount] = m
            pendingCount += 1
        }

        mutating func removePending(_ k: Int) {
            for j in k..<(pendingCount - 1) { pending[j] = pending[j + 1] }
            pendingCount -= 1
        }

        mutating func commit(_ m: PendingMatch) {
            let t = lexicon.termInfo[Int(m.term)]
            if t.flags.contains(.noPathogen) { deferred.formUnion(t.categories) } else { categories.formUnion(t.categories) }
            if t.flags.contains(.pathogen) { pathogen = true }
            ids.insert(m.term)
        }

        mutating func finish() -> LexiconHits {
            for k in 0..<pendingCount { commit(pending[k]) }
            pendingCount = 0
            if pathogen { deferred.remove(CategorySet(.genetic)) }
            return LexiconHits(categories: categories.union(deferred), termIDs: ids)
        }
    }

    /// Checks every example of the files; returns one message per failure (empty when all pass).
    /// Messages quote the example (lexicon data, never leak data).
    public func exampleFailures() -> [String] {
        var failures: [String] = []
        for e in examples {
            let hits = scan(e.text)
            let got = hits.categories
            let names = got.categories.map(\.rawValue).joined(separator: ",")
            if let expected = e.expected {
                if got != expected {
                    let want = expected.categories.map(\.rawValue).joined(separator: ",")
                    failures.append("\(e.file):\(e.line): '\(e.text)' gave [\(names)], expected [\(want)]")
                }
            } else if e.mustMatch != got.has(e.primary) {
                failures.append("\(e.file):\(e.line): '\(e.text)' gave [\(names)]: \(e.mustMatch ? "must" : "must not") give \(e.primary.rawValue)")
            }
        }
        return failures
    }
}

/// The URL of a file or folder in the module's `Resources` folder.
func resourceDirectory(_ name: String) -> URL {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources") else {
        fatalError("ImpactDetect: resource 'Resources/\(name)' missing from the bundle")
    }
    return url
}
