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
/// Memory: 12 bytes per key slot (at least 16, about 25 on average per key, see
/// ``UInt64Table``) + 4 bytes per node + the same per (subject, controller) observation;
/// ``tally(controllers:)`` needs 16 bytes per observation more while it runs.
public final class SubjectLinker {
    private var nodeOfKey = UInt64Table(capacity: 1 << 14)
    /// Union–find parent of each node (raw storage: no bounds or uniqueness check per access).
    private var parent = GrowableStorage<Int32>(capacity: 1 << 14)
    private var observations = UInt64Table(capacity: 1 << 14)
    private var prescriberPerController = UInt64Table(capacity: 1 << 10)
    private var prescriberKeys = UInt64Table(capacity: 1 << 10)
    /// The current record's keys and their kinds (a record has a handful).
    private var recordKeys = GrowableStorage<UInt64>(capacity: 16)
    private var recordKinds = GrowableStorage<UInt8>(capacity: 16)
    /// Records per kind of strongest key, indexed by the kind's raw value.
    private var basisCountsByKind = [Int](repeating: 0, count: 8)
    /// Records whose identity relied on each kind of key (its strongest key), and on none.
    public var basisCounts: [SubjectKeyKind: Int] {
        var d: [SubjectKeyKind: Int] = [:]
        for k in SubjectKeyKind.allCases where basisCountsByKind[Int(k.rawValue)] > 0 { d[k] = basisCountsByKind[Int(k.rawValue)] }
        return d
    }
    public private(set) var recordOnly = 0

    /// Identities of earlier runs of a case (see ``SubjectDirectory``); nil for a one-off run.
    public var directory: SubjectDirectory?
    /// Stored subject id → its node in this run.
    private var nodeOfStoredSubject: [Int: Int32] = [:]
    /// Health professionals already counted by earlier runs, per controller and in total.
    private var storedProfessionals: [Int] = []
    private var storedProfessionalsTotal = 0

    public init() {
    }

    deinit {
        parent.free()
        recordKeys.free()
        recordKinds.free()
    }

    /// Starts a new record's key list.
    @inline(__always) public func beginRecord() {
        recordKeys.count = 0
        recordKinds.count = 0
    }

    /// Adds one identifier key of the current record.
    @inline(__always) public func addKey(_ key: SubjectKey, kind: SubjectKeyKind) {
        recordKeys.append(key.rawValue)
        recordKinds.append(kind.rawValue)
    }

    /// Loads the table slots of keys about to be added (several records ahead), so that their
    /// cache misses overlap instead of stalling one by one. Changes nothing.
    @inline(__always) public func touch(_ key: SubjectKey) {
        touched ^= nodeOfKey.touch(key.rawValue)
    }
    private var touched: UInt64 = 0

    /// Whether the current record has a key of `kind` already.
    public func hasKey(of kind: SubjectKeyKind) -> Bool {
        for i in 0..<recordKinds.count where recordKinds[i] == kind.rawValue { return true }
        return false
    }

    /// Whether the current record has any key yet.
    public var recordHasKeys: Bool { recordKeys.count > 0 }

    @inline(__always) private func newNode() -> Int32 {
        let n = Int32(parent.count)
        parent.append(n)
        return n
    }

    @inline(__always) private func find(_ x: Int32) -> Int32 {
        var x = x
        let parent = self.parent.base
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
        if ra < rb { parent.base[Int(rb)] = ra; return ra }
        parent.base[Int(ra)] = rb
        return rb
    }

    /// Ends the current record: links its keys and records that its subject has data of
    /// `categories` at `controller` (an index from the ``ControllerRegistry``).
    public func commitRecord(controller: Int, categories: UInt32) {
        var anchor: Int32
        if recordKeys.count == 0 {
            anchor = newNode()
            recordOnly += 1
        } else {
            basisCountsByKind[Int(recordKinds[0])] += 1
            anchor = -1
            for j in 0..<recordKeys.count {
                let k = recordKeys[j]
                let (v, inserted) = nodeOfKey.getOrInsert(k) { UInt32(bitPattern: newNode()) }
                let node = Int32(bitPattern: v)
                anchor = anchor < 0 ? node : union(anchor, node)
                if inserted, let directory, let stored = directory.storedSubject(for: SubjectKey(rawValue: k)),
                   let storedNode = nodeOfStoredSubject[stored] {
                    anchor = union(anchor, storedNode)
                }
            }
        }
        observations.formUnion(SubjectLinker.pack(node: anchor, controller: controller), categories)
    }

    /// Records a health professional (prescriber) seen at `controller`. They are counted
    /// separately, never as data subjects.
    public func addHealthProfessional(_ key: SubjectKey, controller: Int) {
        let packed = (key.rawValue &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(controller) &* 0xC2B2_AE3D_27D4_EB4F
        // Value: controller index + 1, or 0 when an earlier run of the case counted it already.
        let (_, newPair) = prescriberPerController.getOrInsert(packed == 0 ? 1 : packed) {
            directory?.isStoredHealthProfessional(key, controller: controller) == true ? 0 : UInt32(controller + 1)
        }
        _ = prescriberKeys.getOrInsert(key.rawValue) { directory?.isStoredHealthProfessional(key, controller: nil) == true ? 0 : 1 }
        // Distinct (professional, controller) pairs only: the list does not grow with records.
        if newPair && healthProfessionalKeys != nil { healthProfessionalKeys!.append((key, controller)) }
    }

    /// Health professionals seen in this run, kept only when a case store asked for them
    /// (``recordHealthProfessionals()``).
    public private(set) var healthProfessionalKeys: [(SubjectKey, Int)]?

    /// Keeps the (key, controller) of every health professional added, for a case store.
    public func recordHealthProfessionals() { healthProfessionalKeys = [] }

    // MARK: case store

    /// Adds a subject of an earlier run of the case, present at `presences` (controller index,
    /// categories bits). Call before the first record; keys of later records that the
    /// ``directory`` resolves to `id` are linked to it.
    public func importStoredSubject(id: Int, presences: [(controller: Int, categories: UInt32)]) {
        let node = newNode()
        nodeOfStoredSubject[id] = node
        for p in presences {
            observations.formUnion(SubjectLinker.pack(node: node, controller: p.controller), p.categories)
        }
    }

    /// Health professionals counted by earlier runs: per controller index, and distinct in total.
    public func importStoredHealthProfessionals(perController: [Int], total: Int) {
        storedProfessionals = perController
        storedProfessionalsTotal = total
    }

    /// The identity state after this run, for a case store: every key of this run with its
    /// component, every stored subject with its component, and each component's presence per
    /// controller. Components are numbered 0..<n in a stable order (by root node).
    public func exportState() -> SubjectState {
        var componentOfRoot: [Int32: Int] = [:]
        func component(_ node: Int32) -> Int {
            let r = find(node)
            if let c = componentOfRoot[r] { return c }
            let c = componentOfRoot.count
            componentOfRoot[r] = c
            return c
        }
        var state = SubjectState()
        for (stored, node) in nodeOfStoredSubject.sorted(by: { $0.value < $1.value }) {
            state.storedSubjectComponent[stored] = component(node)
        }
        var keys: [(SubjectKey, Int)] = []
        nodeOfKey.forEach { k, v in keys.append((SubjectKey(rawValue: k), component(Int32(bitPattern: v)))) }
        state.keys = keys
        var presence: [(component: Int, controller: Int, categories: UInt32)] = []
        var merged = UInt64Table(capacity: max(16, observations.count))
        observations.forEach { packed, mask in
            let p = packed &- 1
            let node = Int32(bitPattern: UInt32(truncatingIfNeeded: p >> 20))
            merged.formUnion(SubjectLinker.pack(node: Int32(component(node)), controller: Int(p & 0xFFFFF)), mask)
        }
        merged.forEach { packed, mask in
            let p = packed &- 1
            presence.append((Int(p >> 20), Int(p & 0xFFFFF), mask))
        }
        state.presences = presence.sorted { ($0.component, $0.controller) < ($1.component, $1.controller) }
        state.components = componentOfRoot.count
        return state
    }

    @inline(__always) static func pack(node: Int32, controller: Int) -> UInt64 {
        (UInt64(UInt32(bitPattern: node)) << 20 | UInt64(controller)) &+ 1
    }

    /// Resolves the subjects and counts them.
    ///
    /// The observations are rewritten as (root of their node, controller) and sorted, so that
    /// each subject's controllers are adjacent: one pass then counts subjects per controller,
    /// per category, in total and at several controllers, with 16 bytes per observation and no
    /// hash table.
    /// - Parameter controllers: number of controllers (indices `0..<controllers`).
    public func tally(controllers: Int) -> SubjectTally {
        let n = observations.count
        let pairs = UnsafeMutableBufferPointer<RootedObservation>.allocate(capacity: max(n, 1))
        defer { pairs.deallocate() }
        var filled = 0
        observations.forEach { packed, mask in
            let p = packed &- 1
            let node = Int32(bitPattern: UInt32(truncatingIfNeeded: p >> 20))
            let root = UInt64(UInt32(bitPattern: find(node)))
            pairs[filled] = RootedObservation(key: root << 20 | (p & 0xFFFFF), mask: mask)
            filled += 1
        }
        let sorted = UnsafeMutableBufferPointer(rebasing: pairs[0..<filled])
        RootedObservation.radixSort(sorted)
        var tally = SubjectTally(controllers: controllers)
        var i = 0
        while i < filled {
            let root = sorted[i].key >> 20
            var rootMask: UInt32 = 0
            var controllersOfRoot = 0
            while i < filled && sorted[i].key >> 20 == root {
                let key = sorted[i].key
                var mask: UInt32 = 0
                while i < filled && sorted[i].key == key {
                    mask |= sorted[i].mask
                    i += 1
                }
                let ctrl = Int(key & 0xFFFFF)
                tally.subjects[ctrl] += 1
                tally.add(mask: mask, controller: ctrl)
                rootMask |= mask
                controllersOfRoot += 1
            }
            tally.totalSubjects += 1
            tally.addTotal(mask: rootMask)
            if controllersOfRoot >= 2 { tally.subjectsAtSeveralControllers += 1 }
        }
        prescriberPerController.forEach { _, ctrl in if ctrl > 0 { tally.healthProfessionals[Int(ctrl) - 1] += 1 } }
        for (i, n) in storedProfessionals.enumerated() where i < controllers { tally.healthProfessionals[i] += n }
        var newProfessionals = 0
        prescriberKeys.forEach { _, isNew in newProfessionals += Int(isNew) }
        tally.totalHealthProfessionals = storedProfessionalsTotal + newProfessionals
        return tally
    }

    /// Approximate bytes held by the distinct-subject structures.
    public var memoryBytes: Int {
        nodeOfKey.memoryBytes + observations.memoryBytes + parent.capacity * 4
            + prescriberKeys.memoryBytes + prescriberPerController.memoryBytes
    }
}

/// One observation during ``SubjectLinker/tally(controllers:)``: root node << 20 | controller,
/// and the categories.
struct RootedObservation {
    var key: UInt64
    var mask: UInt32

    /// Sorts by `key` (least significant 16 bits first, one counting pass per 16 bits the keys
    /// use): linear time, and a second buffer of the same size while it runs.
    static func radixSort(_ a: UnsafeMutableBufferPointer<RootedObservation>) {
        let n = a.count
        guard n > 1 else { return }
        var maxKey: UInt64 = 0
        for e in a { maxKey |= e.key }
        let temp = UnsafeMutableBufferPointer<RootedObservation>.allocate(capacity: n)
        defer { temp.deallocate() }
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1 << 16)
        defer { counts.deallocate() }
        var source = a, target = temp
        var shift: UInt64 = 0
        while shift < 64 && maxKey >> shift != 0 {
            counts.initialize(repeating: 0)
            for e in source { counts[Int(truncatingIfNeeded: (e.key >> shift) & 0xFFFF)] += 1 }
            var total = 0
            for d in 0..<(1 << 16) {
                let c = counts[d]
                counts[d] = total
                total += c
            }
            for e in source {
                let d = Int(truncatingIfNeeded: (e.key >> shift) & 0xFFFF)
                target[counts[d]] = e
                counts[d] += 1
            }
            swap(&source, &target)
            shift += 16
        }
        if source.baseAddress != a.baseAddress {
            _ = a.update(fromContentsOf: source)
        }
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

/// What a case store needs to look up identities of earlier runs. Implementations hold only
/// keyed hashes (the case database's HMAC-SHA256 of each ``SubjectKey``), never identifiers.
public protocol SubjectDirectory: AnyObject {
    /// The id of the stored subject that `key` belongs to, or nil. Called once per key new to
    /// this run.
    func storedSubject(for key: SubjectKey) -> Int?
    /// Whether an earlier run counted this health professional at `controller` (nil: at any).
    func isStoredHealthProfessional(_ key: SubjectKey, controller: Int?) -> Bool
}

/// The identity state a case store persists after a run (see ``SubjectLinker/exportState()``).
public struct SubjectState: Sendable {
    /// Every key seen in this run → component.
    public var keys: [(SubjectKey, Int)] = []
    /// Every stored subject imported → component (stored subjects merged by this run share one).
    public var storedSubjectComponent: [Int: Int] = [:]
    /// (component, controller index, categories bits).
    public var presences: [(component: Int, controller: Int, categories: UInt32)] = []
    public var components = 0
}
