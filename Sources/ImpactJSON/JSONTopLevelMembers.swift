/// Follows the members of a top-level JSON object from its tokens: the kind of each member's
/// value and, for arrays, how many elements they hold and whether the first is an object.
///
/// Behaviour: the document reader feeds it the tokens it reads inside the root object (member
/// names at depth 1 through ``beginMember(named:)``, every other token through
/// ``observe(_:depthAfter:)``, except the tokens inside the elements of the array it reads as
/// records). It keeps, in bounded memory whatever the number of members: the member count, the
/// first ``listLimit`` + 1 members (for the warning that lists what was not analysed), the first
/// and the largest *array of objects* (an array whose first element is an object; largest = most
/// elements, the first one on ties).
///
/// Contract: depths are ``JSONTokenizer/depth`` after the token (1 inside the root object).
/// Member names are the object's keys (field names, as in a CSV header), decoded as UTF-8;
/// listed names are cut to ``nameLimit`` bytes.
struct JSONTopLevelMembers {
    /// What a member's value is.
    enum Kind: Equatable {
        case object, array, string, number, boolean, null
    }

    /// One top-level member, once its value is complete (or cut by an error).
    struct Member: Equatable {
        /// 0-based position among the root object's members.
        var ordinal: Int
        var name: String
        var kind: Kind
        /// Arrays: elements read.
        var elements: Int
        /// Arrays: the first element is an object (the array can hold records).
        var holdsObjects: Bool
    }

    /// What a token meant for the member being read.
    enum Event: Equatable {
        case none
        /// The member's value is an array: its `[` was just read.
        case arrayStarted
        /// The first element of the member's array is an object: its `{` was just read.
        case firstElementIsObject
    }

    /// Members listed by name in the warning (the rest are counted).
    static let listLimit = 8
    /// Longest member name shown in the warning, in bytes.
    static let nameLimit = 64

    /// Members whose value started (the one being read included).
    private(set) var count = 0
    /// The first `listLimit + 1` members, complete.
    private(set) var listed: [Member] = []
    /// The first array of objects, complete.
    private(set) var firstArrayOfObjects: Member?
    /// The largest array of objects (first on ties), complete.
    private(set) var largestArrayOfObjects: Member?

    private var key: [UInt8] = []
    private var open = false
    private var kind: Kind = .null
    private var elements = 0
    private var holdsObjects = false

    /// 0-based ordinal of the member being read (or last read).
    var currentOrdinal: Int { count - 1 }
    /// Elements read so far in the current member's array.
    var currentElements: Int { elements }
    /// The full name of the member being read.
    var currentName: String { String(decoding: key, as: UTF8.self) }

    /// A member name at depth 1 (its unescaped bytes).
    mutating func beginMember(named name: UnsafeRawBufferPointer) {
        key.removeAll(keepingCapacity: true)
        key.append(contentsOf: name)
        count &+= 1
        open = true
        kind = .null
        elements = 0
        holdsObjects = false
    }

    /// Any token but a member name, with the tokenizer's depth after it.
    @inline(__always)
    mutating func observe(_ token: JSONToken, depthAfter depth: Int) -> Event {
        switch token {
        case .objectStart, .arrayStart:
            if depth == 2 {
                kind = token == .arrayStart ? .array : .object
                return token == .arrayStart ? .arrayStarted : .none
            }
            if depth == 3 && kind == .array {
                elements &+= 1
                if elements == 1 && token == .objectStart {
                    holdsObjects = true
                    return .firstElementIsObject
                }
            }
        case .objectEnd, .arrayEnd:
            if depth == 1 { finish() }
        case .string, .number, .true, .false, .null:
            if depth == 1 {
                kind = token == .string ? .string : token == .number ? .number : token == .null ? .null : .boolean
                finish()
            } else if depth == 2 && kind == .array {
                elements &+= 1
            }
        case .key:
            break
        }
        return .none
    }

    /// Closes a member cut by an error, with what was read of it.
    mutating func finishOpenMember() {
        if open { finish() }
    }

    private mutating func finish() {
        open = false
        let ordinal = count &- 1
        let isCandidate = kind == .array && holdsObjects
        let beatsLargest = isCandidate && elements > (largestArrayOfObjects?.elements ?? -1)
        guard listed.count <= Self.listLimit || (isCandidate && (firstArrayOfObjects == nil || beatsLargest)) else { return }
        var member = Member(ordinal: ordinal, name: currentName, kind: kind, elements: elements, holdsObjects: holdsObjects)
        if isCandidate {
            if firstArrayOfObjects == nil { firstArrayOfObjects = member }
            if beatsLargest { largestArrayOfObjects = member }
        }
        if listed.count <= Self.listLimit {
            member.name = Self.shortened(key)
            listed.append(member)
        }
    }

    /// `name` cut to ``nameLimit`` bytes at a character boundary, `…` marking the cut.
    static func shortened(_ name: [UInt8]) -> String {
        guard name.count > nameLimit else { return String(decoding: name, as: UTF8.self) }
        var end = nameLimit
        while end > 0 && name[end] & 0xC0 == 0x80 { end -= 1 } // not inside a UTF-8 sequence
        return String(decoding: name[..<end], as: UTF8.self) + "…"
    }
}

extension JSONTopLevelMembers {
    /// Which array of objects was read as records.
    enum Rule {
        /// The largest (the input was surveyed first).
        case largest
        /// The first (the input could not be read twice).
        case first
    }

    /// The detail of the ``InputWarning/Kind/skippedMembers`` warning: which array was read as
    /// records and the members that were not, by name and kind, with element counts; nil when
    /// the records' array is the only member.
    ///
    /// Example: `records read from $.data[] (1200 elements, the largest array of objects);
    /// 2 other top-level members not analysed: $.meta (object), $.labs[] (3 elements)`.
    /// Only member names and counts, never a value.
    func skippedMembersDetail(recordsFrom chosen: Member, rule: Rule) -> String? {
        let others = count - 1
        guard others > 0 else { return nil }
        var text = "records read from $.\(Self.shortened(Array(chosen.name.utf8)))[] ("
            + Self.elements(chosen.elements)
        switch rule {
        case .largest: text += ", the largest array of objects)"
        case .first: text += ", the first array of objects: the input cannot be read twice to find the largest)"
        }
        text += "; \(others) other top-level member\(others == 1 ? "" : "s") not analysed: "
        let shown = Array(listed.filter { $0.ordinal != chosen.ordinal }.prefix(Self.listLimit))
        text += shown.map { member -> String in
            switch member.kind {
            case .array:
                let size: String
                if member.elements == 0 {
                    size = "empty"
                } else if member.holdsObjects {
                    size = Self.elements(member.elements) + (member.elements > chosen.elements ? ", larger" : "")
                } else {
                    size = Self.elements(member.elements) + ", not objects"
                }
                return "$.\(member.name)[] (\(size))"
            case .object: return "$.\(member.name) (object)"
            case .string: return "$.\(member.name) (string)"
            case .number: return "$.\(member.name) (number)"
            case .boolean: return "$.\(member.name) (boolean)"
            case .null: return "$.\(member.name) (null)"
            }
        }.joined(separator: ", ")
        let unnamed = others - shown.count
        if unnamed > 0 { text += ", and \(unnamed) more" }
        return text
    }

    private static func elements(_ n: Int) -> String { n == 1 ? "1 element" : "\(n) elements" }
}
