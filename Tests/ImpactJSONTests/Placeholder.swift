import Testing
@testable import ImpactJSON
@Test func moduleLinks() { #expect(Bool(true)) }
