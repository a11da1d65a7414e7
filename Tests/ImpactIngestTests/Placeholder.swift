import Testing
@testable import ImpactIngest
@Test func moduleLinks() { #expect(Bool(true)) }
