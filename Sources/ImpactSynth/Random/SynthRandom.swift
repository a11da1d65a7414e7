/// The generator's pseudo-random source: xoshiro256** seeded through SplitMix64.
///
/// Every draw of `impact synth` comes from this type and only this type, so the same seed gives
/// the same bytes on every platform and Swift version (the standard library's
/// `random(in:using:)` and `shuffled(using:)` are not used: their algorithms may change).
///
/// Contract: `below(n)` is exactly uniform over `0..<n` (Lemire's multiply-and-reject);
/// independent streams come from ``stream(_:)`` (a new SplitMix64 seeding, not a jump).
/// Source: D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators" (2018);
/// D. Lemire, "Fast random integer generation in an interval" (2019).
public struct SynthRandom: Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    private let seed: UInt64

    /// Seeds the four words of state with SplitMix64 outputs of `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        var state = seed
        s0 = SynthRandom.splitMix(&state)
        s1 = SynthRandom.splitMix(&state)
        s2 = SynthRandom.splitMix(&state)
        s3 = SynthRandom.splitMix(&state)
    }

    /// An independent generator for a named purpose (population, rows, …), derived from the
    /// original seed and `id` only: adding draws to one stream never shifts another.
    public func stream(_ id: UInt64) -> SynthRandom {
        var state = seed ^ (id &* 0xD1B5_4A32_D192_ED03)
        return SynthRandom(seed: SynthRandom.splitMix(&state))
    }

    /// SplitMix64 step (Steele, Lea, Flood 2014).
    @inline(__always)
    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform integer in `0..<n`; `n` must be positive.
    @inline(__always)
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(_:) needs a positive bound")
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// A uniform integer in `range`.
    @inline(__always)
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `perMille / 1000`.
    @inline(__always)
    public mutating func chance(perMille: Int) -> Bool {
        below(1000) < perMille
    }

    /// One element of a non-empty array, uniformly.
    @inline(__always)
    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// Fisher–Yates shuffle with this generator (deterministic for a seed).
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, below(i + 1))
        }
    }
}

/// A discrete distribution over `0..<weights.count` drawn by binary search on cumulative weights.
///
/// Contract: weights are non-negative integers with a positive sum; draws are deterministic for
/// a given ``SynthRandom`` state.
public struct WeightedTable: Sendable {
    private let cumulative: [Int]

    public init(_ weights: [Int]) {
        var running = 0
        var c: [Int] = []
        c.reserveCapacity(weights.count)
        for w in weights {
            precondition(w >= 0, "negative weight")
            running += w
            c.append(running)
        }
        precondition(running > 0, "weights sum to zero")
        cumulative = c
    }

    /// Zipf-like weights for `count` ranks: rank r weighs about `scale / (r + offset)`.
    public static func zipf(count: Int, offset: Int = 3, scale: Int = 100_000) -> WeightedTable {
        WeightedTable((0..<count).map { max(1, scale / ($0 + offset)) })
    }

    public var count: Int { cumulative.count }

    /// An index drawn with probability proportional to its weight.
    @inline(__always)
    public func draw(_ random: inout SynthRandom) -> Int {
        let x = random.below(cumulative[cumulative.count - 1])
        var lo = 0
        var hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
