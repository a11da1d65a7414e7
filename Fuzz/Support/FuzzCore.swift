// Shared by every fuzz target (compiled into each target's executable by scripts/fuzz.sh).
// Pure Swift: no module of the package is needed here.

#if canImport(Glibc)
import Glibc
#endif

/// SplitMix64 seeded from the input, so that the chunkings tried for an input are the same on
/// every run (a crash reproduces from its artifact alone).
struct FuzzRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range` (closed).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}

/// FNV-1a of the input: the seed of its chunkings and options.
func fuzzSeed(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes {
        h ^= UInt64(b)
        h &*= 0x0000_0100_0000_01B3
    }
    return h
}

/// Ways to cut `count` bytes into consecutive chunks: one byte at a time (inputs up to
/// `byteLimit`), and two random splits with chunks of 1…`maxChunk` bytes. The whole input is
/// the reference each target compares these with.
func fuzzChunkings(count: Int, random: inout FuzzRandom, maxChunk: Int = 64, byteLimit: Int = 4096) -> [[Int]] {
    var result: [[Int]] = []
    if count > 0 && count <= byteLimit { result.append(Array(repeating: 1, count: count)) }
    for _ in 0..<2 {
        var sizes: [Int] = []
        var left = count
        let top = random.int(1...maxChunk)
        while left > 0 {
            let n = min(left, random.int(1...top))
            sizes.append(n)
            left -= n
        }
        result.append(sizes)
    }
    return result
}

/// Stops the run with a message when a property does not hold. libFuzzer records the input
/// as a crash artifact. The message names the property, never the input's bytes.
@inline(never)
func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String,
               file: StaticString = #fileID, line: UInt = #line) {
    if condition { return }
    let text = "fuzz property failed (\(file):\(line)): \(message())\n"
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    abort()
}
