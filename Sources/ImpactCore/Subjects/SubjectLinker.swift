import ImpactDetect

/// Links records to distinct data subjects and tallies them per controller.
///
/// Behaviour (issue "main job", §5): each record brings the keys of its identifiers
/// (``SubjectKeyKind``); records that share any key are the same person (union–find over the
/// keys' nodes, so a patient whose NIR is missing on some rows is still counted once when a
/// name + birth date or a patient id links the rows). A record without any key is a subject of
/// its own. For every record the linker keeps only `(first node, controller) → categories`
/// (an OR of category bits), so memory grows with distinct subjects × controllers, not with
/// records. ``tally(controllers:)`` resolves the components at the end.
///
/// Memory: about 12 bytes × 2 per key slot + 4 bytes per node + 24 bytes per
/// (subject, controller) observation.
public final class SubjectLinker {
    private var nodeOfKey = UInt64Table(capacity: 1 << 14)
    private var parent: [Int32] = []
    private var observations = UInt64Table(capacity: 1 << 14)
    private var prescriberPerController = UInt64Table(capacity: 1 << 10)
    private var prescriberKeys = UInt64Table(capacity: 1 << 10)
    private var recordKeys: [UInt64] = []
    private var recordKinds: [SubjectKeyKind] = []
    /// Records whose identity relied on each kind of key (its strongest key), and on none.
    public private(set) var basisCounts: [SubjectKeyKind: Int] = [:]
    public private(set) var recordOnly = 0

    public init() {
        parent.reserveCapacity(1 << 14)
        recordKeys.reserveCapacity(8)
    }

    /// Starts a new record's key list.
    @inline(__always) public func beginRecord() {
        recordKeys.removeAll(keepingCapacity: true)
        recordKinds.removeAll(keepingCapacity: true)
    }

    /// Adds one identifier key of the current record.
    @inline(__always) public func addKey(_ key: SubjectKey, kind: SubjectKeyKind) {
        recordKeys.append(key.rawValue)
        recordKinds.append(kind)
    }

    /// Whether the current record has a key of `kind` already.
    public func hasKey(of kind: SubjectKeyKind) -> Bool { recordKinds.contains(kind) }

    /// Whether the current record has any key yet.
    public var recordHasKeys: Bool { !recordKeys.isEmpty }

    @inline(__always) private func newNode() -> Int32 {
        let n = Int32(parent.count)
        parent.append(n)
        return n
    }

    @inline(__always) private func find(_ x: Int32) -> Int32 {
        var x = x
        while parent[Int(x)] != x {
            let p = parent[Int(x)]
            parent[Int(x)] = parent[Int(p)]
            x = p
        }
        return x
    }

    @inline(__always) private func union(_ a: Int32, _ b: Int32) -> Int32 {
        let ra = find(a), rb = find(b)
        if ra == rb { return ra }
        // The older node stays the root: stable, and keeps paths short in practice.
        if ra < rb { parent[Int(rb)] = ra; return ra }
        parent[Int(ra)] = rb
        return rb
    }

    /// Ends the current record: links its keys and records that its subject has data of
    /// `categories` at `controller` (an index from the ``ControllerRegistry``).
    public func commitRecord(controller: Int, categories: UInt32) {
        var anchor: Int32
        if recordKeys.isEmpty {
            anchor = newNode()
            recordOnly += 1
        } else {
            basisCounts[recordKinds[0], default: 0] += 1
            anchor = -1
            for k in recordKeys {
                let (v, _) = nodeOfKey.getOrInsert(k) { UInt32(bitPattern: newNode()) }
                let node = Int32(bitPattern: v)
                anchor = anchor < 0 ? node : union(anchor, node)
            }
        }
        observations.formUnion(SubjectLinker.pack(node: anchor, controller: controller), categories)
    }

    /// Records a health professional (prescriber) seen at `controller`. They are counted
    /// separately, never as data subjects.
    public func addHealthProfessional(_ key: SubjectKey, controller: Int) {
        let packed = (key.rawValue &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(controller) &* 0xC2B2_AE3D_27D4_EB4F
        _ = prescriberPerController.getOrInsert(packed == 0 ? 1 : packed) { UInt32(controller) }
        _ = prescriberKeys.getOrInsert(key.rawValue) { 0 }
    }

    @inline(__always) static func pack(node: Int32, controller: Int) -> UInt64 {
        (UInt64(UInt32(bitPattern: node)) << 20 | UInt64(controller)) &+ 1
    }

    /// Resolves the subjects and counts them.
    /// - Parameter controllers: number of controllers (indices `0..<controllers`).
    public func tally(controllers: Int) -> SubjectTally {
        var perRootController = UInt64Table(capacity: max(16, observations.count))
        observations.forEach { packed, mask in
            let p = packed &- 1
            let node = Int32(bitPattern: UInt32(truncatingIfNeeded: p >> 20))
            let ctrl = Int(p & 0xFFFFF)
            perRootController.formUnion(SubjectLinker.pack(node: find(node), controller: ctrl), mask)
        }
        var tally = SubjectTally(controllers: controllers)
        var perRoot = UInt64Table(capacity: max(16, perRootController.count))
        var controllerCountPerRoot = UInt64Table(capacity: max(16, perRootController.count))
        perRootController.forEach { packed, mask in
            let p = packed &- 1
            let ctrl = Int(p & 0xFFFFF)
            let rootKey = (p >> 20) &+ 1
            tally.subjects[ctrl] += 1
            tally.add(mask: mask, controller: ctrl)
            perRoot.formUnion(rootKey, mask)
            let (c, inserted) = controllerCountPerRoot.getOrInsert(rootKey) { 1 }
            if !inserted && c < 2 { controllerCountPerRoot.formUnion(rootKey, 2) }
        }
        perRoot.forEach { _, mask in
            tally.totalSubjects += 1
            tally.addTotal(mask: mask)
        }
        controllerCountPerRoot.forEach { _, c in if c >= 2 { tally.subjectsAtSeveralControllers += 1 } }
        prescriberPerController.forEach { _, ctrl in tally.healthProfessionals[Int(ctrl)] += 1 }
        tally.totalHealthProfessionals = prescriberKeys.count
        return tally
    }

    /// Approximate bytes held by the distinct-subject structures.
    public var memoryBytes: Int {
        nodeOfKey.memoryBytes + observations.memoryBytes + parent.capacity * 4
            + prescriberKeys.memoryBytes + prescriberPerController.memoryBytes
    }
}

/// Distinct subjects per controller and per category: the numbers of the report.
public struct SubjectTally: Sendable, Equatable {
    public var subjects: [Int]
    /// `byCategory[controller][category.index]`.
    public var byCategory: [[Int]]
    public var healthProfessionals: [Int]
    public var totalSubjects = 0
    public var totalByCategory: [Int]
    public var subjectsAtSeveralControllers = 0
    public var totalHealthProfessionals = 0

    init(controllers: Int) {
        subjects = Array(repeating: 0, count: controllers)
        byCategory = Array(repeating: Array(repeating: 0, count: DataCategoryCount), count: controllers)
        healthProfessionals = Array(repeating: 0, count: controllers)
        totalByCategory = Array(repeating: 0, count: DataCategoryCount)
    }

    mutating func add(mask: UInt32, controller: Int) {
        var m = mask
        while m != 0 {
            let b = m.trailingZeroBitCount
            byCategory[controller][b] += 1
            m &= m - 1
        }
    }

    mutating func addTotal(mask: UInt32) {
        var m = mask
        while m != 0 {
            let b = m.trailingZeroBitCount
            totalByCategory[b] += 1
            m &= m - 1
        }
    }
}
