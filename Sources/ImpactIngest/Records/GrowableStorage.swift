/// Growable storage of a trivial element type without copy-on-write, uniqueness or
/// exclusivity checks: the hot-path buffers of the CSV reader (record bytes, value ends) and of
/// the analysis (record batches, scratch keys). The owner frees it (``free()``) and never copies
/// the struct while using the copy.
///
/// Contract: `base[0..<count]` are the elements; `capacity ≥ count`, at least 16. Growth at
/// least doubles the capacity and keeps the first `count` elements. Not thread-safe.
public struct GrowableStorage<Element: BitwiseCopyable> {
    public private(set) var base: UnsafeMutablePointer<Element>
    public private(set) var capacity: Int
    public var count = 0

    public init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    public func free() { base.deallocate() }

    /// Makes room for `total` elements (keeping the first `count`), at least doubling.
    @inlinable @inline(__always) public mutating func reserve(_ total: Int) {
        if total > capacity { grow(total) }
    }

    @usableFromInline mutating func grow(_ total: Int) {
        let grown = max(total, capacity * 2)
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: grown)
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = grown
    }

    /// Shrinks the capacity back to `limit` when it grew past it (after an outsized record).
    public mutating func shrink(to limit: Int) {
        guard capacity > limit, count <= limit else { return }
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: limit)
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = limit
    }

    @inlinable @inline(__always) public mutating func append(_ e: Element) {
        if count == capacity { grow(count + 1) }
        base[count] = e
        count += 1
    }

    @inlinable @inline(__always) public mutating func append(contentsOf p: UnsafePointer<Element>, count n: Int) {
        reserve(count + n)
        (base + count).update(from: p, count: n)
        count += n
    }

    @inlinable @inline(__always) public subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { let p = base; p[i] = newValue }
    }

    /// The elements, as a buffer (valid until the next growth or ``free()``).
    @inlinable public var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }
}
