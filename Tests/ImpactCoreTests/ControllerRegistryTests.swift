import Testing
import ImpactTestSupport
@testable import ImpactCore

/// The controller registry's id look-ups (a cache of recent ids in front of the keyed table).
@Suite struct ControllerRegistryTests {
    /// Ids of every length up to 20 bytes, prefixes of one another, with NUL and high bytes,
    /// interleaved at random: each id keeps the index of its first record and every record is
    /// counted at its controller, whether the look-up hit the cache or the table.
    @Test func everyIDKeepsItsControllerAndCount() {
        var g = SeededGenerator(seed: 9)
        var ids: [[UInt8]] = [[0x31], [0x31, 0x00], [0x31, 0x00, 0x00], Array("310000000".utf8), Array("3100000000000000".utf8),
                              Array("31000000000000000".utf8), [0xFF, 0xFE], Array("750000001".utf8), Array("750000001 ".utf8)]
        for _ in 0..<300 {
            ids.append((0..<Int.random(in: 1...20, using: &g)).map { _ in [0x30, 0x31, 0x00, 0xFF, 0x41].randomElement(using: &g)! })
        }
        var distinct: [[UInt8]] = []
        for id in ids where !distinct.contains(id) { distinct.append(id) }
        let registry = ControllerRegistry()
        var expected: [[UInt8]: Int] = [:], records: [[UInt8]: Int] = [:]
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        for _ in 0..<20_000 {
            let id = distinct.randomElement(using: &g)!
            let index = id.withUnsafeBytes { registry.index(id: $0, name: none, foldedName: none) }
            if expected[id] == nil { expected[id] = expected.count }
            #expect(index == expected[id], "\(id)")
            records[id, default: 0] += 1
        }
        #expect(registry.count == expected.count)
        for (id, index) in expected {
            #expect(registry.entries[index].records == records[id], "\(id)")
            #expect(Array(registry.entries[index].id.utf8) == id || id.contains(0xFF) || id.contains(0xFE))
        }
    }
}
