import Testing
@testable import ImpactSynth

@Suite struct SynthRandomTests {
    /// Pins the algorithm: a change here changes every seeded leak (reference values computed
    /// with an independent Python implementation of SplitMix64 + xoshiro256**).
    @Test func xoshiroSequenceMatchesReference() {
        var r = SynthRandom(seed: 42)
        #expect(r.next() == 0x1578_0B2E_0C2E_C716)
        #expect(r.next() == 0x6104_D986_6D11_3A7E)
        #expect(r.next() == 0xAE17_5332_39E4_99A1)
        var z = SynthRandom(seed: 0)
        #expect(z.next() == 0x99EC_5F36_CB75_F2B4)
    }

    @Test func belowStaysInRangeAndCoversIt() {
        var r = SynthRandom(seed: 7)
        var seen = [Int](repeating: 0, count: 7)
        for _ in 0..<7_000 {
            let x = r.below(7)
            #expect((0..<7).contains(x))
            seen[x] += 1
        }
        // Each value about 1,000 times; 800 is > 6 standard deviations away.
        #expect(seen.allSatisfy { $0 > 800 && $0 < 1_200 })
    }

    @Test func streamsAreIndependentOfDrawsOnOtherStreams() {
        let root = SynthRandom(seed: 9)
        var a = root.stream(2)
        var consumed = root.stream(1)
        for _ in 0..<100 { _ = consumed.next() }
        var b = root.stream(2)
        #expect(a.next() == b.next())
        var c = root.stream(3)
        var d = root.stream(2)
        #expect(c.next() != d.next())
    }

    @Test func weightedTableFollowsWeights() {
        let table = WeightedTable([0, 1, 3])
        var r = SynthRandom(seed: 1)
        var counts = [0, 0, 0]
        for _ in 0..<4_000 { counts[table.draw(&r)] += 1 }
        #expect(counts[0] == 0)
        #expect(counts[1] > 800 && counts[1] < 1_200)
        #expect(counts[2] > 2_800 && counts[2] < 3_200)
    }

    @Test func shuffleIsAPermutationAndSeeded() {
        var r1 = SynthRandom(seed: 3), r2 = SynthRandom(seed: 3)
        var a = Array(0..<50), b = Array(0..<50)
        r1.shuffle(&a)
        r2.shuffle(&b)
        #expect(a == b)
        #expect(a != Array(0..<50))
        #expect(a.sorted() == Array(0..<50))
    }
}
