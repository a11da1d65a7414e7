import Testing
@testable import ImpactDetect

@Suite struct ValueShapeLexiconTests {
    @Test func examplesOfTheDataFileHold() {
        let lex = ValueShapeLexicon.standard
        #expect(lex.examples.count >= 10)
        for ex in lex.examples {
            let got = lex.shapes(of: ex.text).contains(ex.shapes)
            #expect(got == ex.mustMatch, "\(ex.mustMatch ? "+" : "-") \(ex.shapes.rawValue) \(ex.text)")
        }
    }

    @Test(arguments: [
        ("Jean-François", ValueShapes.firstName),
        ("ÉLODIE", .firstName),
        ("Anne Marie Roux", .containsFirstName),
        ("LEVEQUE", .lastName),
        ("8, av. Foch", .street),
        ("Biolab Rhône-Saône", .lab),
        ("LBM Camargue", .lab),
        ("Dr Olivier DURAND", .title),
    ])
    func shapesOfValues(value: String, shape: ValueShapes) {
        #expect(ValueShapeLexicon.standard.shapes(of: value).contains(shape))
    }

    @Test(arguments: ["Gants nitrile taille M", "Tournevis cruciforme", "Lunel", "Saint-Nazaire", "12345"])
    func valuesWithoutPersonShapes(value: String) {
        let s = ValueShapeLexicon.standard.shapes(of: value)
        #expect(!s.contains(.firstName) && !s.contains(.lastName) && !s.contains(.title))
    }

    /// A value-shapes file with CRLF line ends reads like one with LF (lines split on bytes).
    @Test func crlfLineEnds() throws {
        let l = try ValueShapeLexicon(text: "# c\r\nfirst_name\tbertille\r\n")
        #expect(l.shapes(of: "Bertille").contains(.firstName))
    }

    @Test func unknownKindIsRejectedWithItsLine() {
        #expect(throws: LexiconError.self) { try ValueShapeLexicon(text: "# c\nnickname\tbob\n") }
    }
}
