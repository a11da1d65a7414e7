import Testing
@testable import ImpactCore
import ImpactDetect
import ImpactTestSupport

@Suite struct SubjectLinkerTests {
    let hasher = SubjectKeyHasher(k0: 1, k1: 2)

    func key(_ s: String, _ kind: SubjectKeyKind) -> SubjectKey {
        hasher.finish(hasher.absorb(hasher.begin(kind), Array(s.utf8)))
    }

    func record(_ l: SubjectLinker, _ keys: [(String, SubjectKeyKind)], controller: Int, _ cats: [DataCategory] = [.health]) {
        l.beginRecord()
        for (s, k) in keys { l.addKey(key(s, k), kind: k) }
        l.commitRecord(controller: controller, categories: CategorySet(cats).rawValue)
    }

    @Test func rowsSharingAnyKeyAreOnePerson() {
        let l = SubjectLinker()
        record(l, [("nirA", .nationalID), ("annie-1960", .nameAndBirthDate)], controller: 0)
        record(l, [("annie-1960", .nameAndBirthDate), ("ipp7", .patientID)], controller: 0)   // NIR missing on this row
        record(l, [("ipp7", .patientID)], controller: 0, [.pregnancy, .health])
        record(l, [("nirB", .nationalID)], controller: 0)
        let t = l.tally(controllers: 1)
        #expect(t.subjects == [2])
        #expect(t.totalSubjects == 2)
        #expect(t.byCategory[0][DataCategory.pregnancy.index] == 1)
        #expect(t.byCategory[0][DataCategory.health.index] == 2)
    }

    @Test func patientAtTwoControllersCountsAtEachAndOnceInTotal() {
        let l = SubjectLinker()
        record(l, [("nirA", .nationalID)], controller: 0)
        record(l, [("nirA", .nationalID)], controller: 1, [.genetic])
        record(l, [("nirC", .nationalID)], controller: 1)
        let t = l.tally(controllers: 2)
        #expect(t.subjects == [1, 2])
        #expect(t.totalSubjects == 2)
        #expect(t.subjectsAtSeveralControllers == 1)
        #expect(t.totalByCategory[DataCategory.genetic.index] == 1)
        #expect(t.byCategory[0][DataCategory.genetic.index] == 0)
    }

    @Test func recordsWithoutKeysAreSubjectsOfTheirOwn() {
        let l = SubjectLinker()
        record(l, [], controller: 0)
        record(l, [], controller: 0)
        #expect(l.tally(controllers: 1).subjects == [2])
        #expect(l.recordOnly == 2)
    }

    @Test func healthProfessionalsAreCountedApartPerController() {
        let l = SubjectLinker()
        l.addHealthProfessional(key("rpps1", .nationalID), controller: 0)
        l.addHealthProfessional(key("rpps1", .nationalID), controller: 0)
        l.addHealthProfessional(key("rpps1", .nationalID), controller: 1)
        l.addHealthProfessional(key("rpps2", .nationalID), controller: 1)
        let t = l.tally(controllers: 2)
        #expect(t.healthProfessionals == [1, 2])
        #expect(t.totalHealthProfessionals == 2)
        #expect(t.totalSubjects == 0)
    }

    @Test func tableGrowsAndKeepsEveryKey() {
        var t = UInt64Table(capacity: 4)
        for i in 1...10_000 { t.formUnion(UInt64(i) &* 0x9E37_79B9, UInt32(i & 7)) }
        #expect(t.count == 10_000)
        #expect(t.get(UInt64(777) &* 0x9E37_79B9) == UInt32(777 & 7))
        #expect(t.get(12345) == nil)
    }

    /// The tally against a reference written plainly (union–find over key names, sets of
    /// subjects per controller and category) on random records: keys from a small pool, so
    /// later records join components formed earlier (paths of several steps, roots with many
    /// observations at one controller); controller counts on both sides of a power of two
    /// (the tally packs the controller into as few bits as the count needs); masks over every
    /// category bit (300 masks, repeated: the mask histogram grows with counts above 1). Then more records
    /// after a tally (it compresses paths) and a second tally. On one thread and on two (every
    /// step split in halves, down to a handful of observations).
    @Test(arguments: [1, 2, 3, 4, 5, 31, 32, 33, 300], [1, 2])
    func tallyEqualsAPlainReference(controllers: Int, threads: Int) {
        var rng = SeededGenerator(seed: UInt64(controllers))
        let l = SubjectLinker()
        l.tallyThreads = threads
        l.parallelTallyMinimum = 0
        var parent: [String: String] = [:]
        func find(_ k: String) -> String {
            var k = k
            while let p = parent[k], p != k { k = p }
            return k
        }
        var observations: [(keys: [String], controller: Int, mask: UInt32)] = []
        var keylessID = 0
        // 300 masks over every category bit, and none: repeated, so counts pass through growth.
        let masks = [0] + (0..<300).map { _ in UInt32(truncatingIfNeeded: rng.next()) & ((1 << UInt32(DataCategoryCount)) - 1) }
        var lastKeys: [String] = []
        func add(_ records: Int) {
            for _ in 0..<records {
                let n = Int(rng.next() % 4)   // 0 to 3 keys
                var keys: [String] = []
                for _ in 0..<n {
                    let kind: SubjectKeyKind = rng.next() % 2 == 0 ? .nationalID : .nameAndBirthDate
                    keys.append("\(kind.rawValue):\(rng.next() % 400)")
                }
                // A third of the records repeat the previous record's keys (a person's next row),
                // at any controller: the linker's shortcut for them.
                if !lastKeys.isEmpty && rng.next() % 3 == 0 { keys = lastKeys }
                lastKeys = keys
                let controller = Int(rng.next() % UInt64(controllers))
                let mask = masks[Int(rng.next() % UInt64(masks.count))]
                l.beginRecord()
                for k in keys {
                    let kind = SubjectKeyKind(rawValue: UInt8(k.prefix(while: { $0 != ":" }))!)!
                    l.addKey(key(k, kind), kind: kind)
                }
                l.commitRecord(controller: controller, categories: mask)
                if keys.isEmpty {
                    keylessID += 1
                    keys = ["keyless \(keylessID)"]
                }
                for k in keys where parent[k] == nil { parent[k] = k }
                for k in keys.dropFirst() {
                    let a = find(keys[0]), b = find(k)
                    if a != b { parent[b] = a }
                }
                observations.append((keys, controller, mask))
            }
        }
        func expectMatchesReference(_ t: SubjectTally) {
            var perController: [Set<String>] = Array(repeating: [], count: controllers)
            var maskOf: [String: [Int: UInt32]] = [:]
            for o in observations {
                let subject = find(o.keys[0])
                perController[o.controller].insert(subject)
                maskOf[subject, default: [:]][o.controller, default: 0] |= o.mask
            }
            #expect(t.subjects == perController.map(\.count), "\(controllers) controllers")
            #expect(t.totalSubjects == maskOf.count)
            #expect(t.subjectsAtSeveralControllers == maskOf.values.filter { $0.count >= 2 }.count)
            for c in 0..<DataCategoryCount {
                let bit = UInt32(1) << UInt32(c)
                #expect(t.totalByCategory[c] == maskOf.values.filter { $0.values.reduce(0, |) & bit != 0 }.count)
                for ctrl in 0..<controllers {
                    #expect(t.byCategory[ctrl][c] == maskOf.values.filter { ($0[ctrl] ?? 0) & bit != 0 }.count)
                }
            }
        }
        add(3_000)
        expectMatchesReference(l.tally(controllers: controllers))
        add(1_000)
        expectMatchesReference(l.tally(controllers: controllers))
    }
}
