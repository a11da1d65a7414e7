import Testing

/// Checks a validator's in-place check of its compact form (`checkCompact`) on `value`: it gives
/// `expected` (nil: the value is not in compact form), and when it answers, it agrees with the
/// general check.
func expectCompactCheck<Outcome: Equatable>(_ value: String, _ expected: Outcome?,
                                            compact: (UnsafeRawBufferPointer) -> Outcome?,
                                            general: (String) -> Outcome,
                                            sourceLocation: SourceLocation = #_sourceLocation) {
    var v = value
    let answer = v.withUTF8 { compact(UnsafeRawBufferPointer($0)) }
    #expect(answer == expected, "\(value)", sourceLocation: sourceLocation)
    if let answer { #expect(answer == general(value), "\(value)", sourceLocation: sourceLocation) }
}
