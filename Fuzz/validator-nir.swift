// Fuzz target: NIRValidator (ImpactDetect). Properties: see Support/ValidatorProperty.swift.

import ImpactDetect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNIRValidator(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: pointer, count: size)
    checkValidator(NIRValidator.self, input, malformed: .malformed, accepted: { $0.isAccepted })
    return 0
}
