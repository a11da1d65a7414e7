import Testing
@testable import ImpactCore

/// The keyed hash and the open-addressing table under the subject linker.
@Suite struct SubjectTableTests {
    /// The byte-at-a-time tail of the first version of `absorb`: the one-load tail must give
    /// the same keys (a case store keeps keys of earlier runs).
    static func referenceAbsorb(_ hasher: SubjectKeyHasher, _ state: UInt64, _ bytes: [UInt8]) -> UInt64 {
        var h = state
        var i = 0
        let n = bytes.count
        bytes.withUnsafeBytes { b in
            while i + 8 <= n {
                let w = b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                h = SubjectKeyHasher.mix(h ^ w ^ 0xA076_1D64_78BD_642F, hasher.k1 ^ 0xE703_7ED1_A0B4_28DB)
                i += 8
            }
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        return SubjectKeyHasher.mix(h ^ tail ^ 0x8EBC_6AF0_9C88_C6E3, hasher.k1 ^ UInt64(truncatingIfNeeded: n) &* 0x5899_65CC_7537_4CC3)
    }

    @Test func absorbGivesTheSameHashAsTheByteLoopForEveryLength() {
        let hasher = SubjectKeyHasher(k0: 0x1234, k1: 0x5678)
        let bytes = (0..<40).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for n in 0...bytes.count {
            let part = Array(bytes[0..<n])
            let got = part.withUnsafeBytes { hasher.absorb(99, $0) }
            #expect(got == Self.referenceAbsorb(hasher, 99, part), "length \(n)")
        }
    }

    @Test func tableKeepsEveryEntryThroughGrowth() {
        var table = UInt64Table(capacity: 4)
        let n = 50_000
        for i in 1...n {
            let (v, inserted) = table.getOrInsert(UInt64(i) &* 0x9E37_79B9_7F4A_7C15 | 1) { UInt32(i) }
            #expect(inserted && v == UInt32(i))
        }
        #expect(table.count == n)
        #expect(table.capacity * 3 / 4 >= n)
        var seen = 0
        table.forEach { key, value in
            seen += 1
            if key != UInt64(value) &* 0x9E37_79B9_7F4A_7C15 | 1 { Issue.record("entry \(value) moved to another key") }
        }
        #expect(seen == n)
        #expect(table.get(UInt64(777) &* 0x9E37_79B9_7F4A_7C15 | 1) == 777)
        #expect(table.get(2) == nil)
        let (again, inserted) = table.getOrInsert(UInt64(5) &* 0x9E37_79B9_7F4A_7C15 | 1) { 0 }
        #expect(!inserted && again == 5)
        table.formUnion(UInt64(5) &* 0x9E37_79B9_7F4A_7C15 | 1, 0x100)
        #expect(table.get(UInt64(5) &* 0x9E37_79B9_7F4A_7C15 | 1) == 0x105)
    }

    @Test func radixSortOrdersObservationsByKey() {
        var rng = SystemRandomNumberGenerator()
        for (count, bits) in [(0, 8), (1, 8), (2, 8), (3, 1), (1_000, 12), (20_000, 52), (3_000, 64), (5_001, 26)] {
            let items = (0..<count).map { i in
                RootedObservation(key: bits == 64 ? rng.next() : rng.next() >> UInt64(64 - bits), mask: UInt32(i))
            }
            // A stable sort: equal keys keep their order (masks are the original positions).
            let expected = items.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element.mask)
            for halves in [1, 2] {
                var sorted = items
                sorted.withUnsafeMutableBufferPointer { RootedObservation.radixSort($0, halves: halves) }
                #expect(sorted.map(\.mask) == expected, "\(count) keys of \(bits) bits, \(halves) halves")
            }
        }
    }

    /// Subjects at several controllers, per-controller and total categories from the sorted tally.
    @Test func tallyCountsSubjectsPerControllerAndInTotal() {
        let linker = SubjectLinker()
        let hasher = SubjectKeyHasher(k0: 1, k1: 2)
        func key(_ s: String) -> SubjectKey {
            var s = s
            return s.withUTF8 { hasher.finish(hasher.absorb(hasher.begin(.nationalID), UnsafeRawBufferPointer($0))) }
        }
        // Anne at controllers 0 and 1 (linked through her NIR), Paul at 1 twice, a keyless record at 2.
        for (k, ctrl, cats) in [("anne", 0, UInt32(1)), ("anne", 1, 2), ("paul", 1, 4), ("paul", 1, 8)] {
            linker.beginRecord()
            linker.addKey(key(k), kind: .nationalID)
            linker.commitRecord(controller: ctrl, categories: cats)
        }
        linker.beginRecord()
        linker.commitRecord(controller: 2, categories: 16)
        let t = linker.tally(controllers: 3)
        #expect(t.subjects == [1, 2, 1])
        #expect(t.totalSubjects == 3)
        #expect(t.subjectsAtSeveralControllers == 1)
        #expect(t.byCategory[1][1] == 1 && t.byCategory[1][2] == 1 && t.byCategory[1][3] == 1)
        #expect(t.totalByCategory[0] == 1 && t.totalByCategory[1] == 1 && t.totalByCategory[4] == 1)
        #expect(linker.basisCounts == [.nationalID: 4])
        #expect(linker.recordOnly == 1)
    }
}
