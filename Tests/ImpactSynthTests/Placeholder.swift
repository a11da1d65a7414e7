import Testing
@testable import ImpactSynth
@Test func moduleLinks() { #expect(Bool(true)) }
