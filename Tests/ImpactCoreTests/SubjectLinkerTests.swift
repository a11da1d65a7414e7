import Testing
@testable import ImpactCore
import ImpactDetect

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
}
