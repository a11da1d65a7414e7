import Testing
@testable import ImpactDetect

@Suite struct TermLexiconTests {
    @Test func everyFileExampleHolds() {
        let lexicon = TermLexicon.standard
        #expect(lexicon.examples.count > 100)
        let failures = lexicon.exampleFailures()
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
