import Testing
@testable import ImpactSynth

/// The generator's vocabulary: encodable, unambiguous, consistent.
@Suite struct LexiconTests {
    static let allText: [String] = PersonNames.family + PersonNames.female + PersonNames.male
        + Places.streetTypes + Places.streetNames + Places.labPatterns + Places.genericLabNames
        + Places.departments.flatMap { $0.communes.map(\.name) + $0.themes }
        + LabCatalogue.exams.flatMap { exam -> [String] in
            var t = [exam.french, exam.english, exam.unit]
            if case .text(let fr, let en) = exam.result { t += fr + en }
            return t
        }
        + (LabCatalogue.neutralComments + LabCatalogue.healthComments
           + LabCatalogue.conditions.flatMap(\.comments)).map(\.text)
        + LabCatalogue.statuses.flatMap { [$0.french, $0.english] }
        + DecoyCatalogue.products.map(\.name) + DecoyCatalogue.families + DecoyCatalogue.suppliers
        + DecoyCatalogue.warehouses + DecoyCatalogue.remarks

    @Test func everyStringIsEncodableInWindows1252() throws {
        let encoder = TextEncoder(.windows1252)
        for text in LexiconTests.allText {
            #expect(throws: Never.self) { _ = try encoder.encode(text) }
        }
    }

    @Test func windows1252UsesTheCodePageBytes() throws {
        let encoder = TextEncoder(.windows1252)
        #expect(try encoder.encode("fœtal") == [0x66, 0x9C, 0x74, 0x61, 0x6C])
        #expect(try encoder.encode("d’une") == [0x64, 0x92, 0x75, 0x6E, 0x65])
        #expect(try encoder.encode("Écoles") == [0xC9, 0x63, 0x6F, 0x6C, 0x65, 0x73])
        #expect(throws: UnencodableCharacter.self) { _ = try encoder.encode("ł") }
    }

    /// Distinct people need distinct names after folding, or "homonyms born on different
    /// days" would not be the only homonyms.
    @Test func familyNamesFoldDistinctly() {
        let keys = PersonNames.family.map(ASCIIFold.nameKey)
        #expect(Set(keys).count == keys.count)
    }

    @Test func firstNamesFoldDistinctlyAcrossSexes() {
        let keys = (PersonNames.female + PersonNames.male).map(ASCIIFold.nameKey)
        #expect(Set(keys).count == keys.count)
    }

    @Test func namesHaveAccentsHyphensAndParticles() {
        #expect(PersonNames.family.contains { $0.contains("-") })
        #expect(PersonNames.family.contains { $0.contains(" ") })
        #expect(PersonNames.family.contains { $0.contains("'") })
        #expect(PersonNames.female.contains { $0.contains("-") })
        #expect(PersonNames.male.contains { $0.unicodeScalars.contains { $0.value > 0x7F } })
    }

    @Test func asciiFoldForEmails() {
        #expect(ASCIIFold.emailPart("Lefèvre") == "lefevre")
        #expect(ASCIIFold.emailPart("Cœurdevey") == "coeurdevey")
        #expect(ASCIIFold.emailPart("N'Diaye") == "ndiaye")
        #expect(ASCIIFold.emailPart("Jean-François") == "jean-francois")
        #expect(ASCIIFold.nameKey("Le Goff") == ASCIIFold.nameKey("LE GOFF"))
    }

    @Test func examCodesAreUniqueAndConditionsReferToThem() {
        let codes = LabCatalogue.exams.map(\.code)
        #expect(Set(codes).count == codes.count)
        for condition in LabCatalogue.conditions {
            for code in condition.examCodes { #expect(codes.contains(code), "\(condition.name) \(code)") }
            #expect(!condition.comments.isEmpty)
        }
    }

    /// The tags carry the truth: a template with `{n}` has a range and no other does; every
    /// condition comment reveals its condition.
    @Test func commentTemplatesAreConsistent() {
        let all = LabCatalogue.neutralComments + LabCatalogue.healthComments
            + LabCatalogue.conditions.flatMap(\.comments)
        for t in all {
            #expect(t.text.contains("{n}") == (t.range != nil), "\(t.text)")
        }
        for t in LabCatalogue.neutralComments { #expect(t.reveals.isEmpty) }
        for t in LabCatalogue.healthComments { #expect(t.reveals == .health) }
        for c in LabCatalogue.conditions {
            let tag: Reveals = c.name == "pregnancy" ? .pregnancy : (c.name == "genetic" ? .genetic : .drugTreatment)
            for t in c.comments { #expect(t.reveals.contains(tag) && t.reveals.contains(.health), "\(t.text)") }
            #expect(LabCatalogue.conditions.filter { $0.name == c.name }.count == 1)
        }
    }

    /// Routine exams reveal health only; pregnancy exams are restricted to women.
    @Test func examTagsAndEligibility() {
        for exam in LabCatalogue.exams {
            #expect(exam.reveals.contains(.health))
            if exam.routineWeight > 0 { #expect(exam.reveals == .health, "\(exam.code)") }
            if exam.reveals.contains(.pregnancy) {
                if case .childbearingWoman = exam.eligibility {} else { Issue.record("\(exam.code) not restricted") }
            }
        }
    }
}
