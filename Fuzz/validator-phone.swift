// Fuzz target: PhoneValidator (ImpactDetect). Properties: see Support/ValidatorProperty.swift.

import ImpactDetect

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPhoneValidator(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: pointer, count: size)
    checkValidator(PhoneValidator.self, input, malformed: .malformed, accepted: { $0.isAccepted })
    return 0
}
