// Shared by the validator fuzz targets.

import ImpactDetect

/// The properties every ``ValueValidator`` must have, checked on one input:
/// - no crash, no sanitizer report, no hang;
/// - the same outcome and normalised form on a second call, also into a buffer that held
///   other bytes (the validator empties it first);
/// - a `malformed` outcome leaves the normalised form empty; `accepted` outcomes fill it;
/// - the normalised form re-validates: checking it (after `reformat`, for a form the validator
///   accepts only in another spelling) gives the same outcome and the same normalised form.
/// `accepted` says which outcomes must produce a normalised form.
func checkValidator<V: ValueValidator>(_ validator: V.Type, _ input: UnsafeRawBufferPointer,
                                       malformed: V.Outcome, accepted: (V.Outcome) -> Bool,
                                       reformat: ([UInt8]) -> [UInt8] = { $0 }) {
    var normalized: [UInt8] = []
    let outcome = V.check(input, normalized: &normalized)
    var again: [UInt8] = Array(repeating: 0x41, count: 7)
    fuzzCheck(V.check(input, normalized: &again) == outcome && again == normalized,
              "\(V.self): a second call gives another result")
    if outcome == malformed {
        fuzzCheck(normalized.isEmpty, "\(V.self): malformed with a normalised form")
        return
    }
    if accepted(outcome) { fuzzCheck(!normalized.isEmpty, "\(V.self): accepted without a normalised form") }
    guard !normalized.isEmpty else { return }
    let respelt = reformat(normalized)
    var second: [UInt8] = []
    let outcome2 = respelt.withUnsafeBytes { V.check($0, normalized: &second) }
    fuzzCheck(outcome2 == outcome, "\(V.self): the normalised form re-validates to another outcome")
    fuzzCheck(second == normalized, "\(V.self): the normalised form is not stable")
}
