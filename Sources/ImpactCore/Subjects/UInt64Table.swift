/// An open-addressing hash table from non-zero `UInt64` keys to `UInt32` values
/// (linear probing, power-of-two capacity, load factor ≤ 1/2). 12 bytes per slot; no
/// per-entry allocation. Used for subject-key → node and (node, controller) → categories.
///
/// Key 0 is reserved for empty slots: callers pass keys that are never 0
/// (``SubjectKey`` guarantees it; packed keys add 1).
struct UInt64Table {
    private(set) var keys: [UInt64]
    private(set) var values: [UInt32]
    private(set) var count = 0
    private var mask: Int

    init(capacity: Int = 1024) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        keys = Array(repeating: 0, count: c)
        values = Array(repeating: 0, count: c)
        mask = c - 1
    }

    @inline(__always) private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    /// The value for `key`, or nil.
    func get(_ key: UInt64) -> UInt32? {
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// Returns the value for `key`, inserting `make()` first if absent. `inserted` tells which.
    @inline(__always)
    mutating func getOrInsert(_ key: UInt64, _ make: () -> UInt32) -> (value: UInt32, inserted: Bool) {
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return (values[i], false) }
            if k == 0 {
                let v = make()
                keys[i] = key
                values[i] = v
                count += 1
                if count * 2 > keys.count { grow() }
                return (v, true)
            }
            i = (i + 1) & mask
        }
    }

    /// ORs `bits` into the value of `key` (inserting it with `bits` if absent).
    @inline(__always)
    mutating func formUnion(_ key: UInt64, _ bits: UInt32) {
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { values[i] |= bits; return }
            if k == 0 {
                keys[i] = key
                values[i] = bits
                count += 1
                if count * 2 > keys.count { grow() }
                return
            }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        let c = oldKeys.count * 2
        keys = Array(repeating: 0, count: c)
        values = Array(repeating: 0, count: c)
        mask = c - 1
        for j in 0..<oldKeys.count where oldKeys[j] != 0 {
            var i = slot(oldKeys[j])
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = oldKeys[j]
            values[i] = oldValues[j]
        }
    }

    /// Calls `body` for every entry, in slot order.
    func forEach(_ body: (UInt64, UInt32) -> Void) {
        for i in 0..<keys.count where keys[i] != 0 { body(keys[i], values[i]) }
    }

    /// Bytes held by the table.
    var memoryBytes: Int { keys.count * 12 }
}
