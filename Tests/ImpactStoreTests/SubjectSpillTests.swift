import Foundation
import GRDB
import Testing
@testable import ImpactStore
@testable import ImpactCore
@testable import ImpactCLI
import ImpactDetect

/// A spill store in memory: the linker's logic without SQLite (and a check that the tests do
/// not depend on the SQLite store's own behaviour).
final class DictionarySpill: SubjectSpillStore {
    var keys: [UInt64: UInt32] = [:]
    var observations: [SubjectSpillEntry] = []

    func storeKeys(_ entries: UnsafeBufferPointer<SubjectSpillEntry>) throws {
        for e in entries where keys[e.key] == nil { keys[e.key] = e.value }
    }
    func node(ofKey key: UInt64) throws -> UInt32? { keys[key] }
    func storeObservations(_ entries: UnsafeBufferPointer<SubjectSpillEntry>) throws { observations += entries }
    func forEachKey(_ body: (UInt64, UInt32) throws -> Void) throws { for (k, v) in keys { try body(k, v) } }
    func sortObservations(adding entries: UnsafeBufferPointer<SubjectSpillEntry>, regroup: (UInt64) -> UInt64,
                          _ body: (UInt64, UInt32) throws -> Void) throws {
        let all = Array(entries) + observations.map { SubjectSpillEntry(key: regroup($0.key), value: $0.value) }
        for e in all.sorted(by: { $0.key < $1.key }) { try body(e.key, e.value) }
    }
    var storedBytes: Int { keys.count * 12 + observations.count * 12 }
}

/// A spill store that fails after `allowed` writes (disk full, say).
final class FailingSpill: SubjectSpillStore {
    var allowed: Int
    let inner = DictionarySpill()
    init(allowed: Int) { self.allowed = allowed }
    func check() throws {
        allowed -= 1
        if allowed < 0 { throw CaseStoreError(.cannotWrite, path: "spill", message: "SQLite error 13: database or disk is full") }
    }
    func storeKeys(_ entries: UnsafeBufferPointer<SubjectSpillEntry>) throws { try check(); try inner.storeKeys(entries) }
    func node(ofKey key: UInt64) throws -> UInt32? { try inner.node(ofKey: key) }
    func storeObservations(_ entries: UnsafeBufferPointer<SubjectSpillEntry>) throws { try check(); try inner.storeObservations(entries) }
    func forEachKey(_ body: (UInt64, UInt32) throws -> Void) throws { try inner.forEachKey(body) }
    func sortObservations(adding entries: UnsafeBufferPointer<SubjectSpillEntry>, regroup: (UInt64) -> UInt64,
                          _ body: (UInt64, UInt32) throws -> Void) throws {
        try inner.sortObservations(adding: entries, regroup: regroup, body)
    }
    var storedBytes: Int { inner.storedBytes }
}

/// Paths seen by a spill factory (tests only: one run at a time).
final class SpillPaths: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(path: String, mode: Int?)] = []
    func add(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        items.append((path, CaseFiles.permissions(path)))
    }
    var all: [(path: String, mode: Int?)] {
        lock.lock(); defer { lock.unlock() }
        return items
    }
}

/// The distinct-subject tables spilled beyond a memory budget count exactly what they count
/// in memory (issue 4, item 6).
@Suite struct SubjectSpillTests {
    let hasher = SubjectKeyHasher(k0: 11, k1: 12)
    static let tiny = 4 << 10

    func key(_ s: String, _ kind: SubjectKeyKind = .nationalID) -> SubjectKey {
        hasher.finish(hasher.absorb(hasher.begin(kind), Array(s.utf8)))
    }

    func record(_ l: SubjectLinker, _ keys: [String], controller: Int, _ cats: [DataCategory]) {
        l.beginRecord()
        for k in keys { l.addKey(key(k), kind: .nationalID) }
        l.commitRecord(controller: controller, categories: CategorySet(cats).rawValue)
    }

    /// Record A (k1, k2), spill, record B (k2, k3), spill, record C (k3): one person, whose
    /// link from A to C exists only through keys that were on disk when B and C came.
    func chain(_ l: SubjectLinker, spill: Bool) {
        record(l, ["k1", "k2"], controller: 0, [.health])
        if spill { l.spillNow() }
        record(l, ["k2", "k3"], controller: 1, [.genetic])
        if spill { l.spillNow() }
        record(l, ["k3"], controller: 0, [.pregnancy])
        record(l, ["k4"], controller: 1, [.health])
    }

    static let stores: [(String, @Sendable () throws -> any SubjectSpillStore)] = [
        ("dictionary", { DictionarySpill() }),
        ("sqlite", { try TemporarySubjectSpill.create() }),
    ]

    @Test(arguments: 0..<2) func linkFoundOnlyAfterASpillJoinsOneSubject(_ store: Int) throws {
        let (name, make) = Self.stores[store]
        let l = SubjectLinker()
        l.setMemoryBudget(SubjectMemoryBudget(bytes: 1 << 30, makeSpill: make))
        chain(l, spill: true)
        #expect(l.hasSpilled, "\(name)")
        #expect(l.spillStatistics.spills == 2)
        #expect(l.spillStatistics.keysWritten == 2 + 2)   // k1 k2, then k2 (read back) k3
        #expect(l.spillStatistics.lookupHits == 2)         // k2 in B, k3 in C
        let t = l.tally(controllers: 2)
        #expect(t.totalSubjects == 2, "\(name)")
        #expect(t.subjects == [1, 2])
        #expect(t.subjectsAtSeveralControllers == 1)
        #expect(t.byCategory[0][DataCategory.health.index] == 1)
        #expect(t.byCategory[0][DataCategory.pregnancy.index] == 1)
        #expect(t.byCategory[1][DataCategory.genetic.index] == 1)
        #expect(t.byCategory[1][DataCategory.health.index] == 1)
        #expect(t.totalByCategory[DataCategory.health.index] == 2)
        #expect(l.spillFailure == nil)

        let inMemory = SubjectLinker()
        chain(inMemory, spill: false)
        #expect(inMemory.tally(controllers: 2) == t)
        #expect(!inMemory.hasSpilled)
    }

    @Test func tallyWhoseSortWouldPassTheBudgetSortsOnDisk() {
        // 1,500 people: both tables of 2,048 slots (48 KiB) fit a 64 KiB budget, but the
        // in-memory sort would add 32 bytes per observation (47 KiB).
        func fill(_ l: SubjectLinker) {
            for i in 0..<1500 { record(l, ["p\(i)"], controller: i % 3, i % 2 == 0 ? [.health] : [.genetic]) }
        }
        let l = SubjectLinker()
        l.setMemoryBudget(SubjectMemoryBudget(bytes: 64 << 10, makeSpill: { try TemporarySubjectSpill.create() }))
        fill(l)
        #expect(!l.hasSpilled)
        let t = l.tally(controllers: 3)
        #expect(l.hasSpilled)
        #expect(l.spillStatistics.spills == 1)
        let reference = SubjectLinker()
        fill(reference)
        #expect(t == reference.tally(controllers: 3))
        #expect(t.subjects == [500, 500, 500])
    }

    @Test func exportedStateIsTheSameAfterSpills() throws {
        let spilled = SubjectLinker()
        spilled.setMemoryBudget(SubjectMemoryBudget(bytes: 1 << 30, makeSpill: { try TemporarySubjectSpill.create() }))
        chain(spilled, spill: true)
        let memory = SubjectLinker()
        chain(memory, spill: false)
        func flatten(_ l: SubjectLinker) throws -> (keys: [String], presences: [String], components: Int) {
            let s = try l.exportState()
            var keys = Set<String>()
            try s.forEachKey { k, c in keys.insert("\(k.rawValue) \(c)") }
            var presences: [String] = []
            try s.forEachPresence { c, ctrl, m in presences.append("\(c) \(ctrl) \(m)") }
            return (keys.sorted(), presences, s.components)
        }
        let a = try flatten(spilled), b = try flatten(memory)
        #expect(a.keys == b.keys)
        #expect(a.keys.count == 4)
        #expect(a.presences == b.presences)
        #expect(a.presences.count == 3)   // the person at 0 and 1, k4 at 1
        #expect(a.components == 2)
    }

    @Test func aFailingSpillIsReportedAndStopsSpilling() {
        let l = SubjectLinker()
        l.setMemoryBudget(SubjectMemoryBudget(bytes: 1 << 30, makeSpill: { FailingSpill(allowed: 2) }))
        chain(l, spill: true)   // the first spill writes keys and observations; the second fails
        record(l, ["k5"], controller: 0, [.health])
        #expect(l.spillFailure?.contains("disk is full") == true)
        #expect(l.spillStatistics.spills == 1)
        #expect(throws: SubjectSpillFailure.self) { try l.exportState() }
    }

    static func analyze(_ paths: [String], budget: Int?, parent: String? = nil, seen: SpillPaths? = nil) -> AnalysisOutcome {
        var o = AnalysisOptions()
        o.hasher = SubjectKeyHasher(k0: 3, k1: 4)
        if let budget {
            o.subjectMemory = SubjectMemoryBudget(bytes: budget, makeSpill: {
                try TemporarySubjectSpill.create(inside: parent, opened: { seen?.add($0) })
            })
        }
        return LeakAnalyzer(options: o).analyze(paths: paths)
    }

    static let inputs: [[String]] = [
        [TestPaths.packageRoot.appendingPathComponent("fixtures/lab-leak-fr.csv.gz").path],
        [TestPaths.samples.appendingPathComponent("labs_fr_cp1252.csv").path],
        [TestPaths.samples.appendingPathComponent("labs_nested.jsonl").path,
         TestPaths.samples.appendingPathComponent("labs_en.csv").path],
    ]

    @Test(arguments: 0..<3) func tinyBudgetGivesTheByteIdenticalReport(_ input: Int) throws {
        let paths = Self.inputs[input]
        let tiny = Self.analyze(paths, budget: Self.tiny)
        let standard = Self.analyze(paths, budget: 1 << 30)
        let none = Self.analyze(paths, budget: nil)
        #expect(tiny.spill.spills >= 10, "\(tiny.spill)")
        #expect(tiny.spill.lookupHits > 100)
        #expect(tiny.spillFailure == nil)
        #expect(standard.spill.spills == 0)
        #expect(tiny.report.subjects > 100)
        #expect(tiny.report.controllers.count >= 2)
        let json = try ReportJSON.encode(tiny.report)
        #expect(json == (try ReportJSON.encode(standard.report)))
        #expect(json == (try ReportJSON.encode(none.report)))
    }

    @Test func spillDatabaseWasOwnerOnlyAndIsGone() throws {
        let parent = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let seen = SpillPaths()
        let outcome = Self.analyze([TestPaths.labsEN.path], budget: Self.tiny, parent: parent.path, seen: seen)
        #expect(outcome.spill.spills > 0)
        let made = seen.all
        #expect(made.count == 1)   // created once, at the first spill
        #expect(made.first?.mode == 0o600)
        #expect(made.first.map { ($0.path as NSString).deletingLastPathComponent.hasPrefix(parent.path + "/impact-spill.") } == true)
        // Unlinked as soon as it was opened: nothing in the parent even while the linker lives.
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
        #if os(Linux)
        let path = try #require(made.first?.path)
        #expect(Self.openDescriptors(to: path) == 1)   // open (and deleted) while the run's state lives
        _ = outcome   // keeps the linker, and so the spill, alive until here
        #endif
    }

    @Test func spillDescriptorIsClosedWithTheLinker() throws {
        #if os(Linux)
        let parent = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let seen = SpillPaths()
        do {
            let outcome = Self.analyze([TestPaths.labsEN.path], budget: Self.tiny, parent: parent.path, seen: seen)
            #expect(outcome.spill.spills > 0)
        }
        let path = try #require(seen.all.first?.path)
        #expect(Self.openDescriptors(to: path) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
        #endif
    }

    @Test func spillDirectoryIsPrivateAndRemoved() throws {
        let parent = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        nonisolated(unsafe) var modes: (dir: Int?, file: Int?) = (nil, nil)
        let spill = try TemporarySubjectSpill.create(inside: parent.path, opened: { path in
            modes = (CaseFiles.permissions((path as NSString).deletingLastPathComponent), CaseFiles.permissions(path))
        })
        #expect(modes.dir == 0o700)
        #expect(modes.file == 0o600)
        #expect(CaseFiles.permissions(spill.path) == nil)
        #expect(CaseFiles.permissions(spill.directory) == nil)
        // Still usable: keys, look-ups, observations and the sort.
        let keys = [SubjectSpillEntry(key: 1 << 63 | 5, value: 7), SubjectSpillEntry(key: 3, value: 9)]
        try keys.withUnsafeBufferPointer { try spill.storeKeys($0) }
        try [SubjectSpillEntry(key: 3, value: 1)].withUnsafeBufferPointer { try spill.storeKeys($0) }   // kept: 9
        #expect(try spill.node(ofKey: 1 << 63 | 5) == 7)
        #expect(try spill.node(ofKey: 3) == 9)
        #expect(try spill.node(ofKey: 4) == nil)
        let obs = [SubjectSpillEntry(key: 2 << 20 | 1, value: 4), SubjectSpillEntry(key: 1 << 20, value: 2)]
        try obs.withUnsafeBufferPointer { try spill.storeObservations($0) }
        var sorted: [String] = []
        try [SubjectSpillEntry(key: 1 << 20 | 1, value: 8)].withUnsafeBufferPointer { extra in
            try spill.sortObservations(adding: extra, regroup: { $0 &+ (10 << 20) }) { k, m in sorted.append("\(k >> 20):\(k & 0xFFFFF)=\(m)") }
        }
        #expect(sorted == ["1:1=8", "11:0=2", "12:1=4"])
        #expect(spill.storedBytes > 0)
        spill.close()
        #expect(throws: CaseStoreError.self) { try spill.node(ofKey: 3) }
    }

    /// Descriptors of this process open on `path` (deleted or not).
    static func openDescriptors(to path: String) -> Int {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.filter { fd in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)") else { return false }
            return target == path || target == path + " (deleted)"
        }.count
    }

    @Test func caseRunsOfTwoFilesAreIdenticalWithATinyBudget() throws {
        let leak = try SplitLeak()
        defer { leak.remove() }
        let clock = { Date(timeIntervalSince1970: 1_800_000_000) }
        var outcomes: [[CaseRunOutcome]] = []
        var rows: [[String]] = []
        for (name, budget) in [("tiny", Self.tiny), ("default", 1 << 30)] {
            let db = leak.path("\(name).db")
            let store = try CaseStore.open(CaseFiles(database: db))
            var options = AnalysisOptions()
            options.subjectMemory = .spillingToTemporaryDatabase(bytes: budget)
            let first = try store.run(paths: [leak.halfA], options: options, now: clock)
            let second = try store.run(paths: [leak.halfB], options: options, now: clock)
            try store.close()
            outcomes.append([first, second])
            let q = try DatabaseQueue(path: db)
            rows.append(try q.read { db in
                var out: [String] = []
                for r in try Row.fetchAll(db, sql: "SELECT subject, controller, categories FROM presence ORDER BY subject, controller") { out.append("p \(r)") }
                for r in try Row.fetchAll(db, sql: "SELECT id, first_run FROM subject ORDER BY id") { out.append("s \(r)") }
                for r in try Row.fetchAll(db, sql: "SELECT subject, count(*) FROM subject_key GROUP BY subject ORDER BY subject") { out.append("k \(r)") }
                return out
            })
            try q.close()
        }
        let (tiny, standard) = (outcomes[0], outcomes[1])
        #expect(tiny[0].spill.spills > 5)
        #expect(tiny[1].spill.spills > 5)
        #expect(tiny[1].spill.recordsAtFirstSpill == 0)   // the stored subjects alone outgrew the budget
        #expect(standard[1].spill.spills == 0)
        for i in 0..<2 {
            #expect(tiny[i].reportJSON == standard[i].reportJSON, "run \(i + 1)")
            #expect(tiny[i].statistics == standard[i].statistics, "run \(i + 1)")
        }
        #expect(rows[0] == rows[1])
        #expect(rows[0].count > 1000)
        let together = LeakAnalyzer().analyze(paths: [leak.halfA, leak.halfB]).report
        #expect(CaseCounts(tiny[1].report) == CaseCounts(together))
    }
}

/// `--memory-limit SIZE`.
@Suite struct MemoryLimitTests {
    @Test(arguments: [
        ("4096", 4096), ("4K", 4096), ("4k", 4096), ("512M", 512 << 20), ("2G", 2 << 30), ("2g", 2 << 30),
        ("64MiB", 64 << 20), ("1GB", 1 << 30), ("3T", 3 << 40), (" 8M ", 8 << 20), ("100B", 100),
    ])
    func sizes(_ text: String, _ bytes: Int) {
        #expect(MemoryLimit.parse(text) == bytes)
    }

    @Test(arguments: ["", "M", "abc", "12X", "1.5G", "-5", "+5", "5 G", "iB", "5iB", "99999999999T", "0x10", "٣K"])
    func notSizes(_ text: String) {
        #expect(MemoryLimit.parse(text) == nil)
    }

    @Test func defaultIsHalfTheMemoryAndAtLeastOneGiB() {
        let d = MemoryLimit.defaultBytes
        #expect(d >= 1 << 30)
        #expect(d <= max(Int(ProcessInfo.processInfo.physicalMemory) / 2, 1 << 30))
    }

    @Test func descriptions() {
        #expect(MemoryLimit.describe(4096) == "4 KiB")
        #expect(MemoryLimit.describe(3 << 29) == "1.5 GiB")
        #expect(MemoryLimit.describe(100) == "100 B")
    }
}

/// `impact --memory-limit` as a user runs it.
@Suite(.serialized) struct MemoryLimitCommandLineTests {
    static let fixture = TestPaths.packageRoot.appendingPathComponent("fixtures/lab-leak-fr.csv").path

    @Test(arguments: ["abc", "0", "12X", "1.5G", "-5", "100", "4095", "99999999999T"])
    func badValuesAreUsageErrors(_ value: String) throws {
        let r = try CommandRun.run([Self.fixture, "--memory-limit=\(value)"])
        #expect(r.status == 64, "\(value): \(r.stderr)")
        #expect(r.stderr.contains("--memory-limit must be"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func tinyLimitPrintsTheSameReportAndSaysItSpilled() throws {
        let plain = try CommandRun.run([Self.fixture, "--format", "json"])
        let tiny = try CommandRun.run([Self.fixture, "--format", "json", "--memory-limit", "4K", "--verbose"])
        let large = try CommandRun.run([Self.fixture, "--format", "json", "--memory-limit", "2G"])
        #expect(plain.status == 0 && tiny.status == 0 && large.status == 0, "\(tiny.stderr)")
        #expect(tiny.stdout == plain.stdout)
        #expect(large.stdout == plain.stdout)
        #expect(tiny.stderr.contains("reached the memory limit (4 KiB)"), "\(tiny.stderr)")
        #expect(tiny.stderr.contains("subject tables spilled"), "\(tiny.stderr)")
        #expect(!large.stderr.contains("spill"))
    }

    @Test func helpListsTheOption() throws {
        let r = try CommandRun.run(["analyze", "--help"])
        #expect(r.status == 0)
        let text = String(decoding: r.stdout, as: UTF8.self)
        #expect(text.contains("--memory-limit <SIZE>"))
        #expect(text.contains("at least 1G"))
    }
}
