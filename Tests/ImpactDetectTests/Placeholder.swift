import Testing
@testable import ImpactDetect
@Test func moduleLinks() { #expect(Bool(true)) }
