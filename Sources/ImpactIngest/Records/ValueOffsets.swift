/// Value offsets (the `Int32` starts and ends of a record's values, ``RecordBuffer``'s shape)
/// copied from one buffer to another with a constant added, four at a time (`SIMD4`): the CSV
/// reader derives starts from ends this way, and a record batch rebases a record's ranges.
public enum ValueOffsets {
    /// Writes `from[i] + delta` to `to[i]` for every `i < count` (wrapping) and returns the sum
    /// of the `from[i]`, wrapping: the difference of two such sums (ends less starts) is the
    /// values' total length whenever that fits in 31 bits. The buffers must not overlap.
    @inlinable @inline(__always)
    public static func copy(_ from: UnsafePointer<Int32>, to: UnsafeMutablePointer<Int32>, count: Int,
                            adding delta: Int32) -> Int32 {
        let source = UnsafeRawPointer(from), target = UnsafeMutableRawPointer(to)
        let delta4 = SIMD4<Int32>(repeating: delta)
        var sum4 = SIMD4<Int32>(repeating: 0)
        var i = 0
        while i &+ 4 <= count {
            let v = source.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Int32>.self)
            target.storeBytes(of: v &+ delta4, toByteOffset: i &* 4, as: SIMD4<Int32>.self)
            sum4 &+= v
            i &+= 4
        }
        var sum = sum4.wrappedSum()
        while i < count {
            to[i] = from[i] &+ delta
            sum &+= from[i]
            i &+= 1
        }
        return sum
    }
}
