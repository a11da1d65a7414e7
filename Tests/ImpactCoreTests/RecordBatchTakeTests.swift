import Testing
import ImpactIngest
@testable import ImpactCore

/// ``RecordBatch/take(bytes:fieldIDs:starts:ends:)``: the batch takes a reader's storage by a
/// swap, or by a copy when the storage grew for an outsized record (the reader keeps it).
@Suite struct RecordBatchTakeTests {
    /// One committed record "abc;de" (two values) in a reader's storage of `capacity` bytes.
    static func take(capacity: Int) -> (kept: Bool, capacityLeft: Int, values: [String], emptyAfter: Bool) {
        var b = GrowableStorage<UInt8>(capacity: capacity), f = GrowableStorage<Int32>(capacity: 16)
        var s = GrowableStorage<Int32>(capacity: 16), e = GrowableStorage<Int32>(capacity: 16)
        defer { b.free(); f.free(); s.free(); e.free() }
        for byte in Array("abc;de".utf8) { b.append(byte) }
        f.append(0); f.append(1); s.append(0); s.append(4); e.append(3); e.append(6)
        let before = b.base
        let batch = RecordBatch()
        batch.commit(line: 2, valueEnd: 2, byteEnd: 6, valueBytes: 5)
        #expect(batch.byteCount == 6)
        batch.take(bytes: &b, fieldIDs: &f, starts: &s, ends: &e)
        let values = batch.withRecord(0) { r in (0..<r.count).map { String(decoding: r.value($0), as: UTF8.self) } }
        return (b.base == before, b.capacity, values, b.count == 0 && f.count == 0 && s.count == 0 && e.count == 0)
    }

    @Test func aBatchSizedStorageIsSwapped() {
        let t = Self.take(capacity: 1 << 16)
        #expect(!t.kept)
        #expect(t.values == ["abc", "de"])
        #expect(t.emptyAfter)
    }

    @Test func anOutsizedStorageIsCopiedAndStaysWithTheReader() {
        let t = Self.take(capacity: 3 * RecordBatch.retainedBytes)
        #expect(t.kept)
        #expect(t.capacityLeft == 3 * RecordBatch.retainedBytes)
        #expect(t.values == ["abc", "de"])
        #expect(t.emptyAfter)
    }
}
