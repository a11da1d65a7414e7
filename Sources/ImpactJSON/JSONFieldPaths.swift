import ImpactIngest

/// Interns the flattened paths of JSON values (`patient.nir`, `exams[].code`, `emails[]`) as
/// dense field ids, in first-seen order.
///
/// Paths form a tree of nodes: node 0 is the record object; a member node is a key under its
/// parent object (`patient` → `patient.nir`); an element node stands for every element of the
/// array held by its parent (`exams` → `exams[]`). A path's name joins keys with `.` and marks
/// array elements with `[]`; keys are used as they are, so a key holding `.` or `[` yields a
/// name that reads as deeper nesting (`{"a.b": 1}` and `{"a": {"b": 1}}` both name `a.b`, yet
/// stay two distinct field ids).
///
/// Finding a member is fast when records repeat their key order: each node remembers the sibling
/// that followed it last time (and each parent its first member), so the expected node is
/// compared byte for byte before any hashing. Only a miss hashes the key.
///
/// Field ids: a node gets one when its first value is appended. Ids handed out since the last
/// ``declarePending(to:)`` are pending: ``declarePending(to:)`` declares them to the sink (just
/// before the record that uses them), ``rollBackPending()`` forgets them (a rejected record), so
/// declared ids stay dense and in first-seen order among the records that were kept.
struct JSONFieldPaths {
    /// Node of the record object itself.
    static let root: Int32 = 0

    private var parent: [Int32] = [-1]
    private var isElement: [Bool] = [false]
    private var keyStart: [Int] = [0]
    private var keyCount: [Int] = [0]
    private var keyBytes: [UInt8] = []
    private var firstMemberHint: [Int32] = [-1]
    private var nextSiblingHint: [Int32] = [-1]
    private var elementNode: [Int32] = [-1]
    private var fieldIDOfNode: [Int32] = [-1]
    private var members: [MemberKey: Int32] = [:]

    private struct MemberKey: Hashable {
        var parent: Int32
        var key: [UInt8]
    }

    /// Node of each field id.
    private(set) var fieldNodes: [Int32] = []
    /// Name of each field id.
    private(set) var fieldNames: [String] = []
    /// Field ids below this one have been declared.
    private(set) var declaredCount = 0

    /// Number of distinct paths met (including containers that never held a value).
    var nodeCount: Int { parent.count }

    /// The member `key` of object node `parent`, created if new. `previous` is the member read
    /// just before in the same object (-1 for the first), used to predict this one.
    mutating func member(of parentNode: Int32, after previous: Int32, key: UnsafeRawBufferPointer) -> Int32 {
        let predicted = previous < 0 ? firstMemberHint[Int(parentNode)] : nextSiblingHint[Int(previous)]
        if predicted >= 0 {
            if keyEquals(predicted, key) { return predicted }
            // One optional member absent since last time: try the one after the prediction.
            let skipped = nextSiblingHint[Int(predicted)]
            if skipped >= 0, keyEquals(skipped, key) {
                remember(skipped, after: previous, in: parentNode)
                return skipped
            }
        }
        let lookup = MemberKey(parent: parentNode, key: Array(key))
        let node: Int32
        if let found = members[lookup] {
            node = found
        } else {
            node = addNode(parent: parentNode, element: false, key: key)
            members[lookup] = node
        }
        remember(node, after: previous, in: parentNode)
        return node
    }

    /// The node for the elements of the array held by `node`.
    mutating func element(of node: Int32) -> Int32 {
        let existing = elementNode[Int(node)]
        if existing >= 0 { return existing }
        let created = addNode(parent: node, element: true, key: UnsafeRawBufferPointer(start: nil, count: 0))
        elementNode[Int(node)] = created
        return created
    }

    /// The field id of `node`'s values, handed out (pending) on first use.
    @inline(__always)
    mutating func fieldID(of node: Int32) -> Int32 {
        let id = fieldIDOfNode[Int(node)]
        if id >= 0 { return id }
        let new = Int32(fieldNodes.count)
        fieldIDOfNode[Int(node)] = new
        fieldNodes.append(node)
        fieldNames.append(name(of: node))
        return new
    }

    /// Declares the pending field ids to `sink`, in id order.
    mutating func declarePending(to sink: RecordSink) {
        while declaredCount < fieldNames.count {
            sink.declareField(declaredCount, name: fieldNames[declaredCount])
            declaredCount += 1
        }
    }

    /// Forgets the pending field ids (their nodes stay, without an id).
    mutating func rollBackPending() {
        while fieldNodes.count > declaredCount {
            fieldIDOfNode[Int(fieldNodes.removeLast())] = -1
            fieldNames.removeLast()
        }
    }

    /// The path of `node`: keys joined by `.`, `[]` for array elements, "" for the root.
    func name(of node: Int32) -> String {
        var chain: [Int32] = []
        var current = node
        while current > Self.root {
            chain.append(current)
            current = parent[Int(current)]
        }
        var bytes: [UInt8] = []
        for n in chain.reversed() {
            if isElement[Int(n)] {
                bytes.append(contentsOf: "[]".utf8)
            } else {
                if !bytes.isEmpty { bytes.append(UInt8(ascii: ".")) }
                bytes.append(contentsOf: keyBytes[keyStart[Int(n)]..<(keyStart[Int(n)] + keyCount[Int(n)])])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Private

    private func keyEquals(_ node: Int32, _ key: UnsafeRawBufferPointer) -> Bool {
        let count = keyCount[Int(node)]
        guard count == key.count else { return false }
        if count == 0 { return true }
        let start = keyStart[Int(node)]
        return keyBytes.withUnsafeBytes { stored in
            memcmp(stored.baseAddress! + start, key.baseAddress!, count) == 0
        }
    }

    private mutating func remember(_ node: Int32, after previous: Int32, in parentNode: Int32) {
        if previous < 0 { firstMemberHint[Int(parentNode)] = node } else { nextSiblingHint[Int(previous)] = node }
    }

    private mutating func addNode(parent parentNode: Int32, element: Bool, key: UnsafeRawBufferPointer) -> Int32 {
        let node = Int32(parent.count)
        parent.append(parentNode)
        isElement.append(element)
        keyStart.append(keyBytes.count)
        keyCount.append(key.count)
        if key.count > 0 { keyBytes.append(contentsOf: key) }
        firstMemberHint.append(-1)
        nextSiblingHint.append(-1)
        elementNode.append(-1)
        fieldIDOfNode.append(-1)
        return node
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
