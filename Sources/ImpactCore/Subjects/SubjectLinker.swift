import ImpactIngest
import CMemoryHints
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
/// ``tally(controllers:)`` needs 32 bytes per observation more while it runs (its sort buffers).
///
/// Memory budget (``setMemoryBudget(_:)``, `impact --memory-limit`): when the next growth of the
/// key or observation table would pass the budget, both tables are moved to a
/// ``SubjectSpillStore`` (keys: key → node, stored once; observations: appended) and emptied.
/// Node numbers never change (unions only touch `parent`), so a key absent from memory is
/// looked up in the store (after a Bloom filter of the spilled keys) and gets its old node back:
/// the components, and so the counts, are exactly those of an all-in-memory run. The tally then
/// sorts the observations in the store (external sort) instead of in memory. What does not
/// spill: `parent` (4 bytes per node: the one per-subject cost that stays in memory), the
/// prescriber tables, and the stored subjects of a case (``importStoredSubject(id:presences:)``
/// keeps their id → node in memory). The tally's in-memory sort (32 bytes per observation)
/// counts against the budget too: past it, the tables spill and the sort is the store's.
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

    // Memory budget and spill (nil / empty until set and needed).
    private var budget: SubjectMemoryBudget?
    private var spillStore: (any SubjectSpillStore)?
    private var spilledKeys: SpilledKeyFilter?
    /// The tables may hold this many entries before the budget must be checked again
    /// (`Int.max` without a budget: the check is one integer compare per record).
    private var keyRoom = Int.max
    private var observationRoom = Int.max
    /// Table sizes the budget has allowed so far (growth approved ahead of the table's).
    private var approvedKeyBytes = 0
    private var approvedObservationBytes = 0
    /// What was moved out of memory so far.
    public private(set) var spillStatistics = SubjectSpillStatistics()
    /// Why spilling failed (kind and SQLite's message, never a value), or nil. Once set, the
    /// counts may be wrong: callers must not report them.
    public private(set) var spillFailure: String?
    /// Bumped by every change that can alter the tally (its cache is valid for one generation).
    private var generation = 0
    private var cachedTally: (generation: Int, controllers: Int, tally: SubjectTally)?

    public init() {
    }

    /// Sets the memory budget of the distinct-subject tables (nil: none, never spills). Call
    /// before the first record.
    public func setMemoryBudget(_ budget: SubjectMemoryBudget?) {
        flushObservations()
        self.budget = budget
        // Empty tables start within the budget (smaller than the usual first size if need be).
        if let budget, nodeOfKey.count == 0, observations.count == 0 {
            let slots = Self.restartSlots(budget: budget.bytes)
            if slots < nodeOfKey.capacity { nodeOfKey = UInt64Table(capacity: slots * 3 / 4) }
            if slots < observations.capacity { observations = UInt64Table(capacity: slots * 3 / 4) }
        }
        approvedKeyBytes = nodeOfKey.memoryBytes
        approvedObservationBytes = observations.memoryBytes
        if budget == nil {
            keyRoom = .max
            observationRoom = .max
        } else {
            keyRoom = nodeOfKey.limit
            observationRoom = observations.limit
        }
    }

    /// Whether the tables have been moved to a spill store at least once.
    public var hasSpilled: Bool { spillStore != nil }

    deinit {
        parent.free()
        recordKeys.free()
        recordKinds.free()
        previousKeys.free()
        pendingKeys.deallocate()
        pendingBits.deallocate()
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

    /// Hints the CPU to load the table slot of a key about to be added (several records ahead),
    /// so that the cache misses of many keys overlap instead of stalling one by one. Changes
    /// nothing.
    @inline(__always) public func prefetch(_ key: SubjectKey) {
        nodeOfKey.prefetch(key.rawValue)
    }

    /// The second step, for a record a few records ahead whose key slots were prefetched:
    /// looks its first key up and, when it is known, hints the CPU to load the node's parent
    /// and the (node, controller) observation the record will update (a returning subject's
    /// node is usually its own root). Changes nothing.
    @inline(__always) public func prefetchSubject(of key: SubjectKey, controller: Int) {
        guard let v = nodeOfKey.get(key.rawValue) else { return }
        let node = Int32(bitPattern: v)
        guard Int(node) < parent.count else { return }
        impact_prefetch(parent.base + Int(node))
        observations.prefetch(SubjectLinker.pack(node: node, controller: controller))
    }

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
        if nodeOfKey.count &+ recordKeys.count > keyRoom || observations.count &+ pendingCount >= observationRoom {
            flushObservations()
            if nodeOfKey.count &+ recordKeys.count > keyRoom || observations.count >= observationRoom {
                makeRoom(keys: recordKeys.count, observations: 1)
            }
        }
        generation &+= 1
        if previousAnchor >= 0 && recordKeys.count == previousKeys.count && recordKeys.count > 0 && repeatsPreviousKeys() {
            // The keys of the previous record (a person's next row): they are all in the table
            // and linked already, and nothing changed since, so its anchor is this one's.
            basisCountsByKind[Int(recordKinds[0])] += 1
            observe(SubjectLinker.pack(node: previousAnchor, controller: controller), categories)
            return
        }
        var anchor: Int32
        if recordKeys.count == 0 {
            anchor = newNode()
            recordOnly += 1
        } else {
            basisCountsByKind[Int(recordKinds[0])] += 1
            anchor = -1
            for j in 0..<recordKeys.count {
                let k = recordKeys[j]
                var spilled = false
                let (v, inserted) = nodeOfKey.getOrInsert(k) {
                    if spilledKeys != nil, let n = spilledNode(k) {
                        spilled = true
                        return n
                    }
                    return UInt32(bitPattern: newNode())
                }
                let node = Int32(bitPattern: v)
                anchor = anchor < 0 ? node : union(anchor, node)
                // A key read back from the spill was looked up in the directory when it was new.
                if inserted && !spilled, let directory, let stored = directory.storedSubject(for: SubjectKey(rawValue: k)),
                   let storedNode = nodeOfStoredSubject[stored] {
                    anchor = union(anchor, storedNode)
                }
            }
        }
        observe(SubjectLinker.pack(node: anchor, controller: controller), categories)
        previousKeys.count = 0
        if recordKeys.count > 0 {
            previousKeys.append(contentsOf: recordKeys.base, count: recordKeys.count)
            previousAnchor = anchor
        } else {
            previousAnchor = -1
        }
    }

    @inline(__always) private func repeatsPreviousKeys() -> Bool {
        for j in 0..<recordKeys.count where recordKeys.base[j] != previousKeys.base[j] { return false }
        return true
    }

    /// Observations waiting to be OR-ed into the table, oldest first (a ring of
    /// ``pendingLimit``): each one's slot is prefetched when it is queued and written
    /// ``pendingLimit`` records later, so that a new subject's observation (whose slot nothing
    /// could prefetch before its node existed) does not stall its record on a cache miss. They
    /// go in in the order they came, so the table is the one direct writes would give; every
    /// reader of the table flushes them first (``flushObservations()``).
    private let pendingKeys = UnsafeMutablePointer<UInt64>.allocate(capacity: SubjectLinker.pendingLimit)
    private let pendingBits = UnsafeMutablePointer<UInt32>.allocate(capacity: SubjectLinker.pendingLimit)
    private var pendingHead = 0
    private var pendingCount = 0
    /// A power of two: the ring's indices are masked with `pendingLimit - 1`.
    static let pendingLimit = 8

    /// Queues an observation (see ``pendingKeys``), writing the oldest when the ring is full.
    @inline(__always) private func observe(_ key: UInt64, _ bits: UInt32) {
        if pendingCount == Self.pendingLimit {
            observations.formUnion(pendingKeys[pendingHead], pendingBits[pendingHead])
            pendingKeys[pendingHead] = key
            pendingBits[pendingHead] = bits
            pendingHead = (pendingHead &+ 1) & (Self.pendingLimit - 1)
        } else {
            let tail = (pendingHead &+ pendingCount) & (Self.pendingLimit - 1)
            pendingKeys[tail] = key
            pendingBits[tail] = bits
            pendingCount &+= 1
        }
        observations.prefetch(key)
    }

    /// Writes the queued observations into the table, oldest first.
    private func flushObservations() {
        while pendingCount > 0 {
            observations.formUnion(pendingKeys[pendingHead], pendingBits[pendingHead])
            pendingHead = (pendingHead &+ 1) & (Self.pendingLimit - 1)
            pendingCount -= 1
        }
    }

    /// The keys of the record committed last and its anchor (-1: none, or forgotten by a
    /// spill, after which keys go back into the emptied table through the full path).
    private var previousKeys = GrowableStorage<UInt64>(capacity: 16)
    private var previousAnchor: Int32 = -1

    /// Records a health professional (prescriber) seen at `controller`. They are counted
    /// separately, never as data subjects.
    /// Hints the CPU to load the table slots ``addHealthProfessional(_:controller:)`` will probe
    /// for this pair, a few records ahead. Changes nothing.
    @inline(__always) public func prefetchHealthProfessional(_ key: SubjectKey, controller: Int) {
        let packed = SubjectLinker.professionalPair(key, controller)
        prescriberPerController.prefetch(packed == 0 ? 1 : packed)
        prescriberKeys.prefetch(key.rawValue)
    }

    @inline(__always) static func professionalPair(_ key: SubjectKey, _ controller: Int) -> UInt64 {
        (key.rawValue &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(controller) &* 0xC2B2_AE3D_27D4_EB4F
    }

    public func addHealthProfessional(_ key: SubjectKey, controller: Int) {
        generation &+= 1
        let packed = SubjectLinker.professionalPair(key, controller)
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
        flushObservations()
        if observations.count &+ presences.count > observationRoom {
            makeRoom(keys: 0, observations: presences.count)
        }
        generation &+= 1
        let node = newNode()
        nodeOfStoredSubject[id] = node
        for p in presences {
            observations.formUnion(SubjectLinker.pack(node: node, controller: p.controller), p.categories)
        }
    }

    /// Health professionals counted by earlier runs: per controller index, and distinct in total.
    public func importStoredHealthProfessionals(perController: [Int], total: Int) {
        generation &+= 1
        storedProfessionals = perController
        storedProfessionalsTotal = total
    }

    /// The identity state after this run, for a case store: every key of this run with its
    /// component, every stored subject with its component, and each component's presence per
    /// controller, streamed (from memory and from the spill store). Components are numbered
    /// 0..<n in the order of their root node. The state reads the linker: use it before any
    /// further record. Memory: 4 bytes per node while the state lives.
    /// - Throws: the spill store's errors.
    public func exportState() throws -> SubjectState {
        flushObservations()
        if let spillFailure { throw SubjectSpillFailure(message: spillFailure) }
        return SubjectState(linker: self)
    }

    /// Numbers the components: `result[root]` is the component of each root node (in root
    /// order), -1 for other nodes.
    fileprivate func componentsByRoot() -> (UnsafeMutableBufferPointer<Int32>, Int) {
        let n = parent.count
        let comp = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(n, 1))
        var c: Int32 = 0
        for i in 0..<n {
            if parent[i] == Int32(i) {
                comp[i] = c
                c += 1
            } else {
                comp[i] = -1
            }
        }
        return (comp, Int(c))
    }

    fileprivate var storedSubjectNodes: [Int: Int32] { nodeOfStoredSubject }

    fileprivate func root(_ node: Int32) -> Int32 { find(node) }

    /// Calls `body` with every key in memory and in the spill store, with its node (a key read
    /// back from the spill may come twice, with the same node).
    fileprivate func forEachKeyNode(_ body: (UInt64, Int32) throws -> Void) throws {
        try nodeOfKey.forEach { k, v in try body(k, Int32(bitPattern: v)) }
        try spillStore?.forEachKey { k, v in try body(k, Int32(bitPattern: v)) }
    }

    /// Calls `body` with `(group(node) << 20 | controller, categories)` for every observation,
    /// in ascending order, each key once (the masks of equal keys OR-ed). In memory: a radix
    /// sort; with a spill store: its external sort.
    fileprivate func forEachMerged(group: (Int32) -> UInt64, _ body: (UInt64, UInt32) throws -> Void) throws {
        flushObservations()
        if let store = spillBeforeSorting() {
            try forEachMerged(in: store, group: group, body)
            return
        }
        let sorted = sortedInMemory(group: group)
        defer { sorted.deallocate() }
        try Self.forEachRun(sorted, body)
    }

    /// Calls `body` once per key of the sorted observations, with the masks of its run OR-ed.
    /// Inlined with its closure: the tally's loop over ~10⁶ observations makes no call per
    /// observation.
    @inline(__always)
    private static func forEachRun(_ sorted: UnsafeMutableBufferPointer<RootedObservation>,
                                   _ body: (UInt64, UInt32) throws -> Void) rethrows {
        var i = 0
        while i < sorted.count {
            let key = sorted[i].key
            var mask: UInt32 = 0
            while i < sorted.count && sorted[i].key == key {
                mask |= sorted[i].mask
                i += 1
            }
            try body(key, mask)
        }
    }

    /// The spill store to sort with, or nil to sort in memory. The in-memory sort needs 32
    /// bytes per observation: past the budget, the tables spill first and the store sorts.
    private func spillBeforeSorting() -> (any SubjectSpillStore)? {
        if spillStore == nil, let budget, nodeOfKey.memoryBytes + observations.memoryBytes + observations.count * 32 > budget.bytes {
            spill(budget)
        }
        return spillStore
    }

    /// Threads the in-memory tally may use (1: the calling thread only). The analysis sets its
    /// own thread count; the tally is the same either way.
    public var tallyThreads = 1
    /// Observations below which the tally stays on one thread (starting threads would cost
    /// more than they save). Tests lower it.
    var parallelTallyMinimum = 1 << 16

    /// The tally of the observations in memory: every path compressed first, so that an
    /// observation's root is one load (prefetched a few observations ahead, since the
    /// observations come in hash order), then `(root << controllerBits | controller,
    /// categories)` radix sorted with as few bits per controller as `controllers` needs, and
    /// counted. 32 bytes per observation while it runs (as the budget assumes); the two buffers
    /// are not populated up front, so that each thread takes the page faults of its own part.
    ///
    /// With ``tallyThreads`` ≥ 2 every step but the path compression is shared by two threads
    /// (the second core is idle once the input is read): each reads half of the observation
    /// slots (one fills the buffer from the front, the other from the back), each counts and
    /// scatters half of every radix pass (``RootedObservation/radixSort(_:halves:)``: the same
    /// order as one thread), and each counts the subjects of half of the sorted runs, split
    /// between two roots. Counts add up, so the tally equals the one-thread tally.
    private func tallyInMemory(controllers: Int) -> SubjectTally {
        compressPaths()
        PopulatedMemory.returnFreedMemory()
        let n = observations.count
        let pairs = UnsafeMutableBufferPointer<RootedObservation>.allocate(capacity: max(n, 1))
        defer { pairs.deallocate() }
        // Controller indices are below `controllers` (the registry's count): this many bits.
        let controllerBits = UInt64(max(1, Int.bitWidth - max(controllers - 1, 0).leadingZeroBitCount))
        let parent = UnsafePointer(self.parent.base)
        let slots = observations.capacity
        let halves = tallyThreads >= 2 && n >= parallelTallyMinimum ? 2 : 1
        // The first half of the slots fills `pairs` upwards from 0, the second downwards from n - 1.
        TwoThreads.run(halves) { half in
            var w = half == 0 ? 0 : n &- 1
            let step = half == 0 ? 1 : -1
            let range = halves == 1 ? 0..<slots : half == 0 ? 0..<(slots / 2) : (slots / 2)..<slots
            self.observations.forEach(slots: range) { packed, mask in
                pairs[w] = RootedObservation(key: packed &- 1, mask: mask)
                w &+= step
            }
            let (lo, hi) = halves == 1 ? (0, w) : half == 0 ? (0, w) : (w &+ 1, n)
            let ahead = 16
            for i in lo..<hi {
                if i &+ ahead < hi {
                    impact_prefetch(parent + Int(truncatingIfNeeded: pairs[i &+ ahead].key >> 20))
                }
                let p = pairs[i].key
                // A controller index past the registry's would run into the root's bits.
                precondition(Int(truncatingIfNeeded: p & 0xFFFFF) < controllers, "tally: a controller index past the registry's")
                let root = parent[Int(truncatingIfNeeded: p >> 20)]
                pairs[i].key = UInt64(UInt32(bitPattern: root)) << controllerBits | (p & 0xFFFFF)
            }
        }
        let sorted = UnsafeMutableBufferPointer(rebasing: pairs[0..<n])
        RootedObservation.radixSort(sorted, halves: halves)
        // Two runs of roots, split where a root ends near the middle.
        var split = halves == 1 ? n : n / 2
        while split > 0 && split < n && sorted[split].key >> controllerBits == sorted[split &- 1].key >> controllerBits {
            split += 1
        }
        var parts = [SubjectTally](repeating: SubjectTally(controllers: controllers), count: 2)
        parts.withUnsafeMutableBufferPointer { parts in
            TwoThreads.run(halves) { half in
                let run = UnsafeMutableBufferPointer(rebasing: half == 0 ? sorted[0..<split] : sorted[split..<n])
                var counter = TallyCounter(controllers: controllers, controllerBits: controllerBits)
                defer { counter.deallocate() }
                Self.forEachRun(run) { counter.add($0, $1) }
                parts[half] = counter.finish()
            }
        }
        return parts[0].adding(parts[1])
    }

    /// Points every node straight at its root. Nodes in ascending order: a union keeps the
    /// older (smaller) node as the root, so a node's parent is never above it and has already
    /// been pointed at its root when the node is reached (one or two loads per node).
    private func compressPaths() {
        let parent = self.parent.base
        for x in 0..<self.parent.count {
            parent[x] = find(parent[x])
        }
    }

    /// The observations in memory as `(group(node) << 20 | controller, categories)`, radix
    /// sorted (not merged). The caller deallocates the buffer.
    @inline(__always)
    private func sortedInMemory(group: (Int32) -> UInt64) -> UnsafeMutableBufferPointer<RootedObservation> {
        let n = observations.count
        let pairs = UnsafeMutableBufferPointer<RootedObservation>.allocate(capacity: max(n, 1))
        var filled = 0
        observations.forEach { packed, mask in
            let p = packed &- 1
            let node = Int32(bitPattern: UInt32(truncatingIfNeeded: p >> 20))
            pairs[filled] = RootedObservation(key: group(node) << 20 | (p & 0xFFFFF), mask: mask)
            filled += 1
        }
        let sorted = UnsafeMutableBufferPointer(rebasing: pairs[0..<filled])
        RootedObservation.radixSort(sorted)
        return sorted
    }

    /// ``forEachMerged(group:_:)`` through the spill store: the observations in memory and in
    /// the store, sorted by the store, equal keys merged here.
    private func forEachMerged(in store: any SubjectSpillStore, group: (Int32) -> UInt64,
                               _ body: (UInt64, UInt32) throws -> Void) throws {
        let entries = UnsafeMutableBufferPointer<SubjectSpillEntry>.allocate(capacity: max(observations.count, 1))
        defer { entries.deallocate() }
        var filled = 0
        observations.forEach { packed, mask in
            let p = packed &- 1
            entries[filled] = SubjectSpillEntry(key: group(Int32(bitPattern: UInt32(truncatingIfNeeded: p >> 20))) << 20 | (p & 0xFFFFF), value: mask)
            filled += 1
        }
        var pendingKey: UInt64 = 0, pendingMask: UInt32 = 0, pending = false
        try store.sortObservations(adding: UnsafeBufferPointer(rebasing: entries[0..<filled]), regroup: { p in
            group(Int32(bitPattern: UInt32(truncatingIfNeeded: p >> 20))) << 20 | (p & 0xFFFFF)
        }) { key, mask in
            if pending && key == pendingKey {
                pendingMask |= mask
            } else {
                if pending { try body(pendingKey, pendingMask) }
                pendingKey = key
                pendingMask = mask
                pending = true
            }
        }
        if pending { try body(pendingKey, pendingMask) }
    }

    @inline(__always) static func pack(node: Int32, controller: Int) -> UInt64 {
        (UInt64(UInt32(bitPattern: node)) << 20 | UInt64(controller)) &+ 1
    }

    /// Resolves the subjects and counts them.
    ///
    /// The observations are rewritten as (root of their node, controller) and sorted, so that
    /// each subject's controllers are adjacent: one pass then counts subjects per controller,
    /// per category, in total and at several controllers, with 32 bytes per observation (the
    /// observations and the radix sort's second buffer) and no table per subject. In memory it
    /// shares the work between two threads when ``tallyThreads`` allows. After a spill, the sort is the spill store's (external) and the result is
    /// kept until the next change (a case run asks twice).
    /// - Parameter controllers: number of controllers (indices `0..<controllers`).
    /// - Returns: the tally; if the spill store fails, ``spillFailure`` is set and the tally
    ///   must not be reported.
    public func tally(controllers: Int) -> SubjectTally {
        flushObservations()
        if let c = cachedTally, c.generation == generation, c.controllers == controllers { return c.tally }
        var tally: SubjectTally
        if let store = spillBeforeSorting() {
            var counter = TallyCounter(controllers: controllers, controllerBits: 20)
            defer { counter.deallocate() }
            do {
                try forEachMerged(in: store, group: { UInt64(UInt32(bitPattern: find($0))) }) { counter.add($0, $1) }
            } catch {
                fail(error)
            }
            tally = counter.finish()
        } else {
            // In memory (the usual path).
            tally = tallyInMemory(controllers: controllers)
        }
        prescriberPerController.forEach { _, ctrl in if ctrl > 0 { tally.healthProfessionals[Int(ctrl) - 1] += 1 } }
        for (i, n) in storedProfessionals.enumerated() where i < controllers { tally.healthProfessionals[i] += n }
        var newProfessionals = 0
        prescriberKeys.forEach { _, isNew in newProfessionals += Int(isNew) }
        tally.totalHealthProfessionals = storedProfessionalsTotal + newProfessionals
        if spillStore != nil && spillFailure == nil { cachedTally = (generation, controllers, tally) }
        return tally
    }

    // MARK: memory budget

    /// Records linked so far (with keys or without).
    private var linkedRecords: Int { basisCountsByKind.reduce(0, +) + recordOnly }

    /// Called when a table may grow (or a case import add observations) past what the budget
    /// approved: approves the growth when it fits, else spills.
    private func makeRoom(keys: Int, observations incoming: Int) {
        flushObservations()
        guard let budget else {
            keyRoom = .max
            observationRoom = .max
            return
        }
        let keyBytes = max(approvedKeyBytes, nodeOfKey.count &+ keys > nodeOfKey.limit ? 2 * nodeOfKey.memoryBytes : nodeOfKey.memoryBytes)
        var obsBytes = observations.memoryBytes
        while (obsBytes / UInt64Table.stride) * 3 / 4 < observations.count &+ incoming { obsBytes *= 2 }
        obsBytes = max(approvedObservationBytes, obsBytes)
        let filterBytes = spilledKeys?.bytes ?? 0
        if keyBytes + obsBytes + filterBytes > budget.bytes && nodeOfKey.count + observations.count > 0 {
            spill(budget)
            approvedKeyBytes = nodeOfKey.memoryBytes
            approvedObservationBytes = observations.memoryBytes
        } else {
            approvedKeyBytes = keyBytes
            approvedObservationBytes = obsBytes
        }
        guard self.budget != nil else { return }  // the spill failed: no more budget checks
        keyRoom = approvedKeyBytes / UInt64Table.stride * 3 / 4
        observationRoom = approvedObservationBytes / UInt64Table.stride * 3 / 4
    }

    /// Moves both tables to the spill store (created at the first spill) and empties them.
    private func spill(_ budget: SubjectMemoryBudget) {
        flushObservations()
        previousAnchor = -1
        do {
            let store: any SubjectSpillStore
            if let s = spillStore {
                store = s
            } else {
                store = try budget.makeSpill()
                spillStore = store
                spillStatistics.recordsAtFirstSpill = linkedRecords
            }
            let filter = spilledKeys ?? SpilledKeyFilter(bytes: budget.bytes / 8)
            spilledKeys = filter
            let n = max(nodeOfKey.count, observations.count)
            let entries = UnsafeMutableBufferPointer<SubjectSpillEntry>.allocate(capacity: max(n, 1))
            defer { entries.deallocate() }
            var filled = 0
            nodeOfKey.forEach { k, v in
                entries[filled] = SubjectSpillEntry(key: k, value: v)
                filled += 1
            }
            var keys = UnsafeMutableBufferPointer(rebasing: entries[0..<filled])
            keys.sort { Int64(bitPattern: $0.key) < Int64(bitPattern: $1.key) }
            try store.storeKeys(UnsafeBufferPointer(keys))
            for e in keys { filter.insert(e.key) }
            spillStatistics.keysWritten += filled
            filled = 0
            observations.forEach { packed, mask in
                entries[filled] = SubjectSpillEntry(key: packed &- 1, value: mask)
                filled += 1
            }
            try store.storeObservations(UnsafeBufferPointer(rebasing: entries[0..<filled]))
            spillStatistics.observationsWritten += filled
            let slots = Self.restartSlots(budget: budget.bytes - filter.bytes)
            nodeOfKey = UInt64Table(capacity: slots * 3 / 4)
            observations = UInt64Table(capacity: slots * 3 / 4)
            spillStatistics.spills += 1
            spillStatistics.storedBytes = store.storedBytes
            budget.onSpill?(spillStatistics)
        } catch {
            fail(error)
        }
    }

    /// Slots of each table after a spill: both may then double once within `budget` bytes.
    static func restartSlots(budget: Int) -> Int {
        var slots = 16
        while slots * 2 * UInt64Table.stride * 4 <= budget { slots *= 2 }
        return slots
    }

    /// The node of a key moved to the spill store, or nil (the filter answers most new keys).
    private func spilledNode(_ key: UInt64) -> UInt32? {
        guard let filter = spilledKeys, filter.mayContain(key), let store = spillStore else { return nil }
        spillStatistics.lookups += 1
        do {
            guard let n = try store.node(ofKey: key) else { return nil }
            spillStatistics.lookupHits += 1
            return n
        } catch {
            fail(error)
            return nil
        }
    }

    /// Records the first spill failure and stops spilling (the tables stay in memory).
    private func fail(_ error: Error) {
        if spillFailure == nil { spillFailure = "the temporary subject database failed: \(error)" }
        budget = nil
        keyRoom = .max
        observationRoom = .max
    }

    /// Moves the tables to the spill store now (tests: a spill at a chosen record).
    func spillNow() {
        if let budget { spill(budget) }
    }

    /// Approximate bytes held by the distinct-subject structures.
    public var memoryBytes: Int {
        nodeOfKey.memoryBytes + observations.memoryBytes + parent.capacity * 4
            + prescriberKeys.memoryBytes + prescriberPerController.memoryBytes + (spilledKeys?.bytes ?? 0)
    }
}

/// The counting pass of ``SubjectLinker/tally(controllers:)``: takes the merged
/// `(root << controllerBits | controller, categories)` in ascending order (a subject's
/// controllers adjacent, each once) and counts subjects per controller, per category, in total
/// and at several controllers. Flat counters (no array uniqueness check per observation).
struct TallyCounter {
    private let controllers: Int
    private let controllerBits: UInt64
    private let controllerMask: UInt64
    /// Subjects per controller.
    private let subjects: UnsafeMutableBufferPointer<Int>
    /// Subjects per (controller, categories); row `controllers` is every controller together.
    /// Expanded into per-category counts by ``finish()``: the masks are few, so one probe
    /// replaces an increment per category bit.
    private var masks = MaskHistogram()
    private var totalSubjects = 0
    private var subjectsAtSeveralControllers = 0
    private var currentRoot = UInt64.max
    private var rootMask: UInt32 = 0
    private var controllersOfRoot = 0

    /// - Parameters:
    ///   - controllers: number of controllers; every key's controller is below it.
    ///   - controllerBits: how many low bits of a key hold the controller.
    init(controllers: Int, controllerBits: UInt64) {
        self.controllers = controllers
        self.controllerBits = controllerBits
        controllerMask = (1 << controllerBits) &- 1
        subjects = .allocate(capacity: max(controllers, 1))
        subjects.initialize(repeating: 0)
    }

    /// Frees the counts (after ``finish()``).
    func deallocate() {
        subjects.deallocate()
        masks.deallocate()
    }

    @inline(__always) mutating func add(_ key: UInt64, _ mask: UInt32) {
        let root = key >> controllerBits
        if root != currentRoot {
            closeRoot()
            currentRoot = root
            rootMask = 0
            controllersOfRoot = 0
        }
        let controller = Int(truncatingIfNeeded: key & controllerMask)
        precondition(controller < controllers, "TallyCounter: a controller index past the registry's")
        subjects[controller] &+= 1
        if mask != 0 { masks.add(row: controller, mask: mask) }
        rootMask |= mask
        controllersOfRoot &+= 1
    }

    /// Counts the subject being read.
    private mutating func closeRoot() {
        guard currentRoot != .max else { return }
        totalSubjects += 1
        if rootMask != 0 { masks.add(row: controllers, mask: rootMask) }
        if controllersOfRoot >= 2 { subjectsAtSeveralControllers += 1 }
        currentRoot = .max
    }

    /// The tally of every key added (call once, after the last `add`).
    mutating func finish() -> SubjectTally {
        closeRoot()
        var tally = SubjectTally(controllers: controllers)
        for c in 0..<controllers { tally.subjects[c] = subjects[c] }
        masks.forEach { row, mask, n in
            var m = mask
            while m != 0 {
                if row == controllers {
                    tally.totalByCategory[m.trailingZeroBitCount] += n
                } else {
                    tally.byCategory[row][m.trailingZeroBitCount] += n
                }
                m &= m - 1
            }
        }
        tally.totalSubjects = totalSubjects
        tally.subjectsAtSeveralControllers = subjectsAtSeveralControllers
        return tally
    }
}

/// How many times each (row, non-empty 32-bit mask) pair was added: open addressing, linear
/// probing, at most half full. Owns raw memory: call ``deallocate()``.
struct MaskHistogram {
    /// `row << 32 | mask`, or 0 for an empty slot (masks are never 0).
    private var keys: UnsafeMutableBufferPointer<UInt64>
    private var counts: UnsafeMutableBufferPointer<Int>
    private var shift: UInt64
    private var used = 0

    init() {
        keys = .allocate(capacity: 256)
        keys.initialize(repeating: 0)
        counts = .allocate(capacity: 256)
        counts.initialize(repeating: 0)
        shift = 64 - 8
    }

    func deallocate() {
        keys.deallocate()
        counts.deallocate()
    }

    /// Adds one (row, mask). `mask` must not be 0; `row` must be below 2³¹.
    @inline(__always) mutating func add(row: Int, mask: UInt32) {
        let key = UInt64(truncatingIfNeeded: row) << 32 | UInt64(mask)
        let slots = keys.count &- 1
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let k = keys[i]
            if k == key { counts[i] &+= 1; return }
            if k == 0 { break }
            i = (i &+ 1) & slots
        }
        keys[i] = key
        counts[i] = 1
        used &+= 1
        if used &* 2 > keys.count { grow() }
    }

    private mutating func grow() {
        let oldKeys = keys, oldCounts = counts
        keys = .allocate(capacity: oldKeys.count * 2)
        keys.initialize(repeating: 0)
        counts = .allocate(capacity: oldKeys.count * 2)
        counts.initialize(repeating: 0)
        shift -= 1
        for j in 0..<oldKeys.count where oldKeys[j] != 0 {
            var i = Int(truncatingIfNeeded: (oldKeys[j] &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while keys[i] != 0 { i = (i &+ 1) & (keys.count &- 1) }
            keys[i] = oldKeys[j]
            counts[i] = oldCounts[j]
        }
        oldKeys.deallocate()
        oldCounts.deallocate()
    }

    /// Calls `body(row, mask, times added)` for every pair added, in no particular order.
    func forEach(_ body: (Int, UInt32, Int) -> Void) {
        for i in 0..<keys.count where keys[i] != 0 {
            body(Int(keys[i] >> 32), UInt32(truncatingIfNeeded: keys[i]), counts[i])
        }
    }
}

/// One observation during ``SubjectLinker/tally(controllers:)``: root node << 20 | controller,
/// and the categories.
struct RootedObservation {
    var key: UInt64
    var mask: UInt32

    /// Sorts by `key`, least significant digit first: as many counting passes as 16-bit digits
    /// the keys use, the bits shared evenly between them (26-bit keys: two passes of 13 bits,
    /// whose 8,192 counters stay in the L2 cache). Linear time, and a second buffer of the same
    /// size while it runs. Stable.
    ///
    /// With `halves` = 2 each pass is shared by two threads: each counts the digits of its half
    /// of the elements, then each scatters its half to its own places (the first half's
    /// elements of a digit before the second half's): the same order as one thread.
    static func radixSort(_ a: UnsafeMutableBufferPointer<RootedObservation>, halves: Int = 1) {
        let n = a.count
        guard n > 1 else { return }
        var maxKey: UInt64 = 0
        for e in a { maxKey |= e.key }
        let bits = UInt64(64 - maxKey.leadingZeroBitCount)
        let passes = max(1, (bits + 15) / 16)
        let digitBits = (bits + passes - 1) / passes
        let digitMask = (UInt64(1) << digitBits) &- 1
        let digits = 1 << digitBits
        let temp = UnsafeMutableBufferPointer<RootedObservation>.allocate(capacity: n)
        defer { temp.deallocate() }
        // Per half: its counts, then where its next element of each digit goes.
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2 * digits)
        defer { counts.deallocate() }
        let mid = halves == 2 ? n / 2 : n
        var source = a, target = temp
        var shift: UInt64 = 0
        while shift < 64 && maxKey >> shift != 0 {
            let (from, to) = (source, target)
            counts.initialize(repeating: 0)
            TwoThreads.run(halves) { half in
                let own = half &* digits
                for i in (half == 0 ? 0..<mid : mid..<n) {
                    counts[own &+ Int(truncatingIfNeeded: (from[i].key >> shift) & digitMask)] &+= 1
                }
            }
            var total = 0
            for d in 0..<digits {
                for half in 0..<halves {
                    let c = counts[half &* digits &+ d]
                    counts[half &* digits &+ d] = total
                    total &+= c
                }
            }
            TwoThreads.run(halves) { half in
                let own = half &* digits
                for i in (half == 0 ? 0..<mid : mid..<n) {
                    let e = from[i]
                    let d = own &+ Int(truncatingIfNeeded: (e.key >> shift) & digitMask)
                    to[counts[d]] = e
                    counts[d] &+= 1
                }
            }
            swap(&source, &target)
            shift += digitBits
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

    /// This tally plus `other` (counts of disjoint sets of subjects, same controllers).
    func adding(_ other: SubjectTally) -> SubjectTally {
        var t = self
        for c in subjects.indices {
            t.subjects[c] += other.subjects[c]
            t.healthProfessionals[c] += other.healthProfessionals[c]
            for k in 0..<DataCategoryCount { t.byCategory[c][k] += other.byCategory[c][k] }
        }
        for k in 0..<DataCategoryCount { t.totalByCategory[k] += other.totalByCategory[k] }
        t.totalSubjects += other.totalSubjects
        t.subjectsAtSeveralControllers += other.subjectsAtSeveralControllers
        t.totalHealthProfessionals += other.totalHealthProfessionals
        return t
    }

    init(controllers: Int) {
        subjects = Array(repeating: 0, count: controllers)
        byCategory = Array(repeating: Array(repeating: 0, count: DataCategoryCount), count: controllers)
        healthProfessionals = Array(repeating: 0, count: controllers)
        totalByCategory = Array(repeating: 0, count: DataCategoryCount)
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

/// The identity state a case store persists after a run (see ``SubjectLinker/exportState()``),
/// read from the linker (memory and spill store) as it is streamed.
public final class SubjectState {
    private let linker: SubjectLinker
    private let componentOfRoot: UnsafeMutableBufferPointer<Int32>
    /// Number of components (distinct subjects after the run, stored ones included).
    public let components: Int
    /// Every stored subject imported → component (stored subjects merged by this run share one).
    public let storedSubjectComponent: [Int: Int]

    fileprivate init(linker: SubjectLinker) {
        self.linker = linker
        (componentOfRoot, components) = linker.componentsByRoot()
        var stored: [Int: Int] = [:]
        let comp = componentOfRoot
        for (id, node) in linker.storedSubjectNodes { stored[id] = Int(comp[Int(linker.root(node))]) }
        storedSubjectComponent = stored
    }

    deinit { componentOfRoot.deallocate() }

    private func component(_ node: Int32) -> Int { Int(componentOfRoot[Int(linker.root(node))]) }

    /// Calls `body` with every key seen in this run and its component (a key may come twice,
    /// with the same component, when it was spilled and read back).
    public func forEachKey(_ body: (SubjectKey, Int) throws -> Void) throws {
        try linker.forEachKeyNode { k, node in try body(SubjectKey(rawValue: k), component(node)) }
    }

    /// Calls `body` with each (component, controller index, categories bits), in ascending
    /// (component, controller) order, each pair once.
    public func forEachPresence(_ body: (_ component: Int, _ controller: Int, _ categories: UInt32) throws -> Void) throws {
        let comp = componentOfRoot
        let linker = self.linker
        try linker.forEachMerged(group: { UInt64(UInt32(bitPattern: comp[Int(linker.root($0))])) }) { key, mask in
            try body(Int(key >> 20), Int(key & 0xFFFFF), mask)
        }
    }
}

/// The spill store failed: the counts of the run are not reliable.
public struct SubjectSpillFailure: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
