import Foundation
import Testing
@testable import ImpactDetect

@Suite struct TermLexiconTests {
    let lexicon = TermLexicon.standard

    func categories(_ text: String) -> [DataCategory] { lexicon.scan(text).categories.categories }

    // MARK: Data files and their examples

    @Test func dataFilesLoadWithoutError() throws {
        let l = try TermLexicon(directory: resourceDirectory("lexicon"))
        #expect(l.termCount > 900)
        #expect(l.termCount == lexicon.termCount)
    }

    @Test func everyFileExampleHolds() {
        #expect(lexicon.examples.count > 150)
        // Every file carries true and false examples.
        let files = Set(lexicon.examples.map(\.file))
        for f in files {
            #expect(lexicon.examples.contains { $0.file == f && $0.mustMatch }, "\(f) has no + example")
            #expect(lexicon.examples.contains { $0.file == f && !$0.mustMatch }, "\(f) has no - example")
        }
        let failures = lexicon.exampleFailures()
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func exampleCheckerReportsAFailingExample() throws {
        let l = try TermLexicon(files: [("pregnancy.tsv", """
            grossesse\tpregnancy
            + suivi de grossesse
            + enceinte
            - grossesse gémellaire
            + grossesse\thealth
            """)])
        let failures = l.exampleFailures()
        #expect(failures.count == 3)
        #expect(failures.contains { $0.hasPrefix("pregnancy.tsv:3:") })  // "enceinte" is no term here
        #expect(failures.contains { $0.hasPrefix("pregnancy.tsv:4:") })
        #expect(failures.contains { $0.hasPrefix("pregnancy.tsv:5:") })
    }

    @Test(arguments: [
        ("grossesse\tpregnancy\ngrossesse\tpregnancy", "already defined at pregnancy.tsv:1"),
        ("Grossesse\tpregnancy\ngrossesse\tpregnancy", "already defined"),
        ("grossesse\tpregnant", "unknown category 'pregnant'"),
        ("grossesse\tpregnancy\tcase", "unknown flag 'case'"),
        ("12,50\tpregnancy", "has no letter"),
        ("grossesse", "expected term<TAB>categories"),
    ])
    func malformedDataFilesAreRejectedWithTheLine(content: String, message: String) {
        do {
            _ = try TermLexicon(files: [("pregnancy.tsv", content)])
            Issue.record("loaded a malformed file")
        } catch let e as LexiconError {
            #expect(e.description.contains(message), "\(e)")
            #expect(e.line >= 1)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// Lines are split on bytes: a file saved with CRLF line ends reads like one with LF (split
    /// on Characters, "\r\n" is one grapheme and the file was a single line), and blanks around
    /// terms, categories and flags are ignored.
    @Test func crlfLineEndsAndBlanksAroundColumns() throws {
        let l = try TermLexicon(files: [("pregnancy.tsv", "# comment\r\n grossesse \t pregnancy , health \t prefix\r\naménorrhée\tpregnancy\r\n")])
        #expect(l.termCount == 2)
        #expect(l.term(0).text == "grossesse")
        #expect(l.term(0).categories == CategorySet([.pregnancy, .health]))
        let hits = l.scan("Aménorrhée, grossesses multiples")
        #expect(hits.categories == CategorySet([.pregnancy, .health]))
        #expect(hits.termIDs.count == 2)
        // A whitespace-only category is still an error, with its line.
        #expect(throws: LexiconError.self) { try TermLexicon(files: [("pregnancy.tsv", "grossesse\tpregnancy, ")]) }
    }

    @Test func fileNamedAfterNoCategoryIsRejected() {
        #expect(throws: LexiconError.self) { try TermLexicon(files: [("diseases.tsv", "fièvre\thealth")]) }
    }

    // MARK: Cases (../shared/cases)

    /// ../shared/cases/003-quoted-newline: a comment spread over two lines, and the one-column file.
    @Test func case003AllergyAndAsthmaInMultilineCells() throws {
        let a = SharedFiles.csvRecords(try SharedFiles.text("cases/003-quoted-newline/a.csv"), delimiter: 0x2C)
        #expect(a[3][3] == "Allergie connue\nà l'arachide")
        #expect(categories(a[3][3]) == [.health])
        #expect(categories(a[1][3]).isEmpty)  // "ok"
        #expect(categories(a[2][3]).isEmpty)  // "rappeler"
        let b = SharedFiles.csvRecords(try SharedFiles.text("cases/003-quoted-newline/b.csv"), delimiter: 0x2C)
        #expect(b[1][0].contains("\n"))
        #expect(categories(b[1][0]) == [.health])
    }

    /// ../shared/cases/009-very-long-field: the diagnosis is after 200,000 characters of filler.
    @Test func case009RenalFailureAtTheEndOfAVeryLongCell() throws {
        let recs = SharedFiles.csvRecords(try SharedFiles.text("cases/009-very-long-field/input.csv"), delimiter: 0x2C)
        let notes = recs[1][2]
        #expect(notes.count > 200_000)
        let hits = lexicon.scan(notes)
        #expect(hits.categories == CategorySet([.health]))
        #expect(hits.termIDs.map { lexicon.term($0).text } == ["insuffisance rénale chronique"])
        #expect(categories(recs[2][2]).isEmpty)  // "courte note"
    }

    /// ../shared/cases/014-json-array-nested-objects: pregnancy in a consultation reason,
    /// genetic + health in `antecedents`.
    @Test func case014MotifAndAntecedents() throws {
        let json = try JSONSerialization.jsonObject(with: SharedFiles.data("cases/014-json-array-nested-objects/input.json"))
        let records = try #require(json as? [[String: Any]])
        let consultations = try #require(records[0]["consultations"] as? [[String: Any]])
        let motif = try #require(consultations[0]["motif"] as? String)
        #expect(lexicon.scan(motif).categories.has(.pregnancy))
        let antecedents = try #require(records[2]["antecedents"] as? String)
        #expect(categories(antecedents) == [.health, .genetic])
    }

    /// ../shared/cases/001-semicolon-decimal-comma: the `note` column holds no personal category.
    @Test func case001CustomerNoteIsNotSpecialCategory() throws {
        let recs = SharedFiles.csvRecords(try SharedFiles.text("cases/001-semicolon-decimal-comma/input.csv"), delimiter: 0x3B)
        let notes = recs.dropFirst().map { $0[5] }
        #expect(notes.first == "client fidèle, relance en mars")
        for n in notes { #expect(categories(n).isEmpty, "\(n)") }
    }

    // MARK: Domain decisions (values as they appear in lab exports)

    @Test(arguments: [
        ("Prélèvement hémolysé", []),
        ("Tube coagulé, prélèvement refait", []),
        ("Patient à jeun", []),
        ("Fasting patient", []),
        ("Fièvre depuis 7 jours", [.health]),
        ("Sous metformine", [.drugTreatment]),
        ("Bilan de grossesse", [.pregnancy]),
        // Decision: a miscarriage history is not the subject's pregnancy (men carry it too).
        ("Karyotype requested (recurrent miscarriage)", [.health, .genetic]),
        ("Trisomy 21 screening (cell-free DNA)", [.health, .pregnancy, .genetic]),
        ("Rubella serology", [.health]),
        ("Sérologie rubéole", [.health]),
        ("Prothrombin time (INR)", [.health]),
        ("INR - vitamin K antagonist monitoring", [.health, .drugTreatment]),
        ("INR - surveillance traitement AVK", [.health, .drugTreatment]),
        ("Suivi PrEP (Truvada)", [.drugTreatment]),
        ("Dépistage IST", [.health]),
        ("Patient VIH+ sous trithérapie", [.health, .drugTreatment]),
        ("Témoin de Jéhovah, refus de transfusion", [.religiousBelief]),
        ("Alcoolémie sur réquisition", [.health, .criminalOffence]),
    ] as [(String, [DataCategory])])
    func labValuesGiveTheDocumentedCategories(text: String, expected: [DataCategory]) {
        #expect(categories(text) == expected)
    }

    // MARK: Matching rules

    @Test func wholeWordsOnly() {
        #expect(categories("grossesse").contains(.pregnancy))
        #expect(categories("grossessex").isEmpty)
        #expect(categories("sous-AVK") == [.drugTreatment])
        #expect(categories("AVKs").isEmpty)
        #expect(categories("lithiumxx").isEmpty)
    }

    @Test func accentsCaseAndPunctuationAreFolded() {
        for s in ["GROSSESSE", "Grossesse", "grossesse", "Dépistage trisomie-21", "DEPISTAGE TRISOMIE 21",
                  "De\u{0301}pistage trisomie 21", "enceinte!"] {
            #expect(categories(s).contains(.pregnancy), "\(s)")
        }
        #expect(categories("Insuffisance\nrénale") == [.health])  // a term across a line break
        #expect(categories("L\u{2019}allergie") == [.health])
    }

    @Test func caseSensitiveTermsNeedTheirCase() {
        #expect(categories("TTT en cours") == [.drugTreatment])
        #expect(categories("ttt en cours").isEmpty)
        #expect(categories("Patient HSH") == [.sexLife])
        #expect(categories("hsh").isEmpty)
        #expect(categories("Porteur T21") == [.health, .genetic])
        #expect(categories("t21").isEmpty)
        // On text folded to lower case, case-sensitive terms cannot match.
        var folded: [UInt8] = []
        var s = "TTT en cours"
        s.withUTF8 { TextFold.fold(UnsafeRawBufferPointer($0), into: &folded) }
        #expect(folded.withUnsafeBytes { lexicon.scan(folded: $0) }.isEmpty)
    }

    @Test func afterNumberTermsNeedANumberBefore() {
        #expect(categories("35 SA") == [.pregnancy])
        #expect(categories("grossesse 12 SA").contains(.pregnancy))
        #expect(categories("Biolab SA").isEmpty)
        #expect(categories("SA").isEmpty)
        #expect(categories("A35 SA").isEmpty)
    }

    @Test func pathogenContextCancelsGenericGenetics() {
        #expect(categories("ARN") == [.health, .genetic])
        #expect(categories("ARN SARS-CoV-2 détecté") == [.health])
        #expect(categories("Génotypage VHC") == [.health])
        #expect(categories("Génotypage CFTR") == [.health, .genetic])
        // A named gene stays genetic even next to a pathogen.
        #expect(categories("VIH négatif, BRCA1 muté") == [.health, .genetic])
    }

    @Test func longestMatchWins() {
        let hits = lexicon.scan("Anticorps anti-ADN natif")
        #expect(hits.categories == CategorySet([.health]))
        #expect(hits.termIDs.map { lexicon.term($0).text } == ["anticorps anti-ADN"])
        #expect(categories("ADN libre circulant") == [.health, .pregnancy, .genetic])
    }

    /// Outputs reached through failure links: a state's terms are its own and those of every
    /// shorter suffix, longest first. Terms nested as suffixes ("c d", "b c d", "a b c d") and one
    /// inside ("b c"): each text finds exactly the longest term it contains, and a term that
    /// only a failure link reaches ("c d" after "x b c d" fell off the "a b c d" branch).
    @Test func suffixTermsAreFoundThroughFailureLinks() throws {
        let l = try TermLexicon(files: [("health.tsv", "c d\thealth\nb c d\thealth\na b c d\thealth\nb c\thealth\nzz c\thealth\n")])
        func found(_ text: String) -> [String] { l.scan(text).termIDs.map { l.term($0).text } }
        #expect(found("a b c d") == ["a b c d"])
        #expect(found("x b c d") == ["b c d"])
        #expect(found("x y c d") == ["c d"])
        #expect(found("a b c x") == ["b c"])
        #expect(found("zz c d") == ["zz c", "c d"])
        #expect(found("a b c") == ["b c"])
    }

    @Test func termIDsExplainTheHits() {
        let hits = lexicon.scan("Patient sous AVK (Préviscan)")
        let texts = hits.termIDs.map { lexicon.term($0).text }
        #expect(texts == ["AVK", "Préviscan"])
        #expect(lexicon.term(hits.termIDs[0]).categories == CategorySet([.drugTreatment]))
    }

    @Test func manyTermsOverflowTheIDListButKeepCategories() {
        let text = "fièvre toux asthme diabète cancer lupus migraine anémie sepsis grossesse BRCA1"
        let hits = lexicon.scan(text)
        #expect(hits.termIDs.count == TermIDList.capacity)
        #expect(hits.termIDs.overflowed)
        #expect(hits.categories == CategorySet([.health, .pregnancy, .genetic]))
    }

    @Test(arguments: ["", "12,50", "0612345678", "2024-06-07", " ; ", "['A12', 'B7']"])
    func cellsWithoutTermsGiveNothing(text: String) {
        #expect(lexicon.scan(text).isEmpty)
    }

    @Test func scanOfFoldedBytesEqualsScanOfText() {
        let text = "Patiente enceinte, sous Lévothyrox, TTT"
        var folded: [UInt8] = []
        var s = text
        s.withUTF8 { TextFold.fold(UnsafeRawBufferPointer($0), into: &folded, preservingCase: true) }
        let direct = folded.withUnsafeBytes { lexicon.scan(folded: $0) }
        #expect(direct == lexicon.scan(text))
        #expect(direct.categories == CategorySet([.pregnancy, .drugTreatment]))
    }

    // MARK: Samples (../shared/samples): exam labels and comments against the ground truth

    struct Sample: Sendable, CustomStringConvertible {
        var file: String
        var cp1252 = false
        var delimiter: UInt8 = 0x2C
        var controller: String
        var subject: String
        var texts: [String]
        var description: String { file }
    }

    static let samples: [Sample] = [
        Sample(file: "labs_en.csv", controller: "lab_finess", subject: "patient_id", texts: ["test_name", "notes"]),
        Sample(file: "labs_fr_cp1252.csv", cp1252: true, delimiter: 0x3B, controller: "finess_laboratoire",
               subject: "ipp", texts: ["libelle_examen", "commentaire"]),
        Sample(file: "labs_utf8_multiline.csv", controller: "FINESS", subject: "IPP", texts: ["Analyse", "Commentaire"]),
    ]

    /// Per controller, the subjects (local patient id) with at least one record whose exam label
    /// or comment gives pregnancy / genetic / drug_treatment must be the truth's counts exactly.
    @Test(arguments: samples)
    func csvSampleCategoryCountsMatchTruth(sample: Sample) throws {
        let (header, rows) = try SharedFiles.csvRows("samples/\(sample.file)", delimiter: sample.delimiter, cp1252: sample.cp1252)
        for column in sample.texts + [sample.controller, sample.subject] { #expect(header.contains(column)) }
        var found: [String: [DataCategory: Set<String>]] = [:]
        for row in rows {
            var cats = CategorySet()
            for column in sample.texts { cats.formUnion(lexicon.scan(row[column] ?? "").categories) }
            for c in cats.categories { found[row[sample.controller]!, default: [:]][c, default: []].insert(row[sample.subject]!) }
        }
        try compare(found, truth: SampleTruth.load("samples/\(sample.file).truth.json"))
    }

    @Test func jsonLinesSampleCategoryCountsMatchTruth() throws {
        let text = try SharedFiles.text("samples/labs_nested.jsonl")
        var found: [String: [DataCategory: Set<String>]] = [:]
        for line in text.split(separator: "\n") {
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let lab = try #require((obj["laboratoire"] as? [String: Any])?["finess"] as? String)
            let ipp = try #require((obj["patient"] as? [String: Any])?["ipp"] as? String)
            var cats = CategorySet()
            for exam in obj["exams"] as? [[String: Any]] ?? [] {
                for key in ["libelle", "commentaire"] {
                    if let s = exam[key] as? String { cats.formUnion(lexicon.scan(s).categories) }
                }
            }
            for c in cats.categories { found[lab, default: [:]][c, default: []].insert(ipp) }
        }
        try compare(found, truth: SampleTruth.load("samples/labs_nested.jsonl.truth.json"))
    }

    func compare(_ found: [String: [DataCategory: Set<String>]], truth: SampleTruth) {
        #expect(truth.controllers.count > 3)
        for c in truth.controllers {
            for cat in [DataCategory.pregnancy, .genetic, .drugTreatment] {
                let expected = c.subjects_by_category[cat.rawValue] ?? 0
                #expect(found[c.id]?[cat]?.count ?? 0 == expected, "\(c.name) \(cat.rawValue)")
            }
        }
    }
}
