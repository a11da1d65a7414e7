/// What ``TermLexicon/scan(folded:)`` found in one cell: the categories and the terms that gave them.
///
/// Contract: `categories` are exactly what the matched terms carry, after the pathogen rule
/// (see ``TermLexicon``); implied categories (pregnancy ⇒ health) are not added here: use
/// ``CategorySet/closed``. `termIDs` lists distinct matched terms in order of first match, at most
/// ``TermIDList/capacity`` of them (``TermIDList/overflowed`` says when more matched); resolve
/// them with ``TermLexicon/term(_:)`` for evidence.
public struct LexiconHits: Sendable, Equatable {
    public var categories: CategorySet
    public var termIDs: TermIDList

    public init(categories: CategorySet = [], termIDs: TermIDList = TermIDList()) {
        self.categories = categories
        self.termIDs = termIDs
    }

    /// No term matched.
    @inlinable public var isEmpty: Bool { termIDs.isEmpty && !termIDs.overflowed }
}

/// A list of up to 8 term ids stored inline (no heap allocation per cell).
public struct TermIDList: RandomAccessCollection, Sendable, Equatable {
    /// Most ids kept.
    public static let capacity = 8
    @usableFromInline var storage: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0, 0, 0)
    @usableFromInline var length: Int = 0
    /// More distinct terms matched than ``capacity``: the extra ids were dropped (their
    /// categories were still counted).
    public internal(set) var overflowed = false

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { length }

    public subscript(i: Int) -> Int32 {
        precondition(i >= 0 && i < length, "TermIDList index out of range")
        return withUnsafeBytes(of: storage) { $0.load(fromByteOffset: i * 4, as: Int32.self) }
    }

    /// Appends `id` unless already present; sets ``overflowed`` when full.
    public mutating func insert(_ id: Int32) {
        for k in 0..<length where self[k] == id { return }
        if length == Self.capacity { overflowed = true; return }
        let n = length
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: id, toByteOffset: n * 4, as: Int32.self) }
        length += 1
    }

    public static func == (a: TermIDList, b: TermIDList) -> Bool {
        a.overflowed == b.overflowed && a.elementsEqual(b)
    }
}
