import Testing
@testable import ImpactCore
@Test func moduleLinks() { #expect(Bool(true)) }
