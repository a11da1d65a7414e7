import Testing
import ImpactTestSupport
@testable import ImpactIngest

/// ``ValueOffsets/copy(_:to:count:adding:)`` against the element-by-element loop: every count
/// from 0 to 13 (no block, blocks of four and a rest), negative and wrapping offsets.
@Test func valueOffsetsCopyAddsAndSumsLikeTheLoop() {
    var g = SeededGenerator(seed: 4)
    for count in 0...13 {
        for delta: Int32 in [0, 1, -7, 1 << 20, Int32.max] {
            let from = (0..<count).map { _ in Int32.random(in: Int32.min...Int32.max, using: &g) }
            var to = [Int32](repeating: 0, count: count + 1)
            let sum = from.withUnsafeBufferPointer { f in
                to.withUnsafeMutableBufferPointer { ValueOffsets.copy(f.baseAddress!, to: $0.baseAddress!, count: count, adding: delta) }
            }
            #expect(Array(to[0..<count]) == from.map { $0 &+ delta }, "count \(count), delta \(delta)")
            #expect(to[count] == 0, "nothing written past count")
            #expect(sum == from.reduce(0, &+), "count \(count), delta \(delta)")
        }
    }
}
