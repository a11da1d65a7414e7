// Fuzz target: IBANValidator (ImpactDetect). Properties: see Support/ValidatorProperty.swift.

import ImpactDetect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIBANValidator(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: pointer, count: size)
    checkValidator(IBANValidator.self, input, malformed: .malformed, accepted: { $0.isAccepted })
    return 0
}
