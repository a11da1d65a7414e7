import ImpactDetect

/// The masked examples of one field: the first ``limit`` distinct masks (``ValueMask``) of
/// its non-empty values in the classification sample (`--keep-masked-examples`).
///
/// Behaviour: ``offer(_:scratch:)`` masks a value into caller-owned scratch memory and keeps
/// the mask only when it differs from those already kept, so once a field's values all share
/// one shape (a NIR column) nothing is allocated per value; after ``limit`` masks it returns
/// at once. Distinctness is by mask, not by value: three NIRs give one example, not three
/// copies of `9 99 99 99 999 999 99`.
///
/// Contract: holds masks only, never a value (``ValueMask`` documents why a mask identifies
/// no one). Used by one thread at a time.
struct MaskedExamples {
    /// Examples kept per field.
    static let limit = 3

    private(set) var masks: [[UInt8]] = []

    var isFull: Bool { masks.count >= Self.limit }

    /// Masks `value` (UTF-8, already trimmed; non-empty) and keeps the mask when it is new.
    /// `scratch` holds at least ``ValueMask/capacity`` bytes.
    mutating func offer(_ value: UnsafeRawBufferPointer, scratch: UnsafeMutableRawBufferPointer) {
        guard !isFull, value.count > 0 else { return }
        let n = ValueMask.mask(value, into: scratch)
        guard n > 0 else { return }  // only dropped characters (e.g. a lone BOM)
        let masked = UnsafeRawBufferPointer(rebasing: scratch[0..<n])
        for m in masks where m.count == n && m.elementsEqual(masked) { return }
        masks.append(Array(masked))
    }

    /// The masks as strings, in the order first met.
    var strings: [String] { masks.map { String(decoding: $0, as: UTF8.self) } }
}
