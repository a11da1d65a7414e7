import Foundation
import Testing
@testable import ImpactDetect

@Suite struct HeaderLexiconTests {
    let lexicon = HeaderLexicon.standard

    func role(_ header: String) -> FieldRole? { lexicon.match(header)?.role }

    @Test func everyExampleOfTheFileHolds() {
        #expect(lexicon.examples.count > 200)
        let failures = lexicon.exampleFailures()
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func everyRoleHasPositiveExamplesInTheFile() {
        for r in FieldRole.allCases {
            #expect(lexicon.examples.contains { $0.mustMatch && $0.role == r }, "\(r.rawValue)")
        }
        #expect(lexicon.examples.contains { !$0.mustMatch })
    }

    @Test func exampleCheckerReportsFailures() throws {
        let l = try HeaderLexicon(text: """
            syn\tnom\tlast_name
            +\tnom\tfirst_name
            -\tnom\tlast_name
            +\tnom\tlast_name
            """)
        #expect(l.exampleFailures().count == 2)
    }

    /// A headers file with CRLF line ends reads like one with LF (lines split on bytes).
    @Test func crlfLineEnds() throws {
        let l = try HeaderLexicon(text: "# roles\r\nsyn\tnom de famille\tlast_name\r\nsyn\tprénom\tfirst_name\r\n")
        #expect(l.match("Nom de famille")?.role == .lastName)
        #expect(l.match("PRENOM")?.role == .firstName)
    }

    @Test(arguments: [
        "bogus\tnom\tlast_name",
        "syn\tnom\tlast-name",
        "rw\tpatients\t@id\tpatient_id",
        "-\tnom\t-",
        "syn\t___\tlast_name",
    ])
    func malformedLinesAreRejected(line: String) {
        #expect(throws: LexiconError.self) { try HeaderLexicon(text: "ctx\tpatient\tpatient\tfull_name\n" + line) }
    }

    // The brief's table (independent of the data file's own examples).
    @Test(arguments: [
        ("patient.nom", .lastName), ("laboratoire.nom", .controllerName), ("prescripteur.nom", .prescriberName),
        ("prescripteur.rpps", .prescriberID), ("rpps_prescripteur", .prescriberID), ("physician_rpps", .prescriberID),
        ("medecin_prescripteur", .prescriberName), ("ordering_physician", .prescriberName), ("Prescripteur", .prescriberName),
        ("finess_laboratoire", .controllerID), ("lab_finess", .controllerID), ("laboratoire.finess", .controllerID),
        ("FINESS", .controllerID), ("Laboratoire", .controllerName), ("laboratory", .controllerName), ("Labo", .controllerName),
        ("date_naissance", .birthDate), ("Né(e) le", .birthDate), ("DDN", .birthDate), ("date_of_birth", .birthDate),
        ("DOB", .birthDate), ("date_prelevement", .examinationDate), ("collection_date", .examinationDate),
        ("Date prélèvement", .examinationDate), ("date_commande", .genericDate), ("date", .genericDate),
        ("N° SS", .nir), ("N° Sécurité Sociale", .nir), ("num_secu", .nir), ("nir", .nir),
        ("social_security_number", .nir), ("ssn", .nir), ("cle", .nirKey), ("cle_nir", .nirKey),
        ("ipp", .patientID), ("patient_id", .patientID), ("IPP", .patientID),
        ("code_examen", .examCode), ("test_code", .examCode), ("Code analyse", .examCode), ("exams[].code", .examCode),
        ("libelle_examen", .examLabel), ("test_name", .examLabel), ("Analyse", .examLabel), ("exams[].libelle", .examLabel),
        ("resultat", .examResult), ("result", .examResult), ("Résultat", .examResult),
        ("commentaire", .freeText), ("notes", .freeText), ("note", .freeText), ("observations", .freeText),
        ("motif", .freeText), ("antecedents", .healthAttribute),
        ("unite", .notPersonal), ("unit", .notPersonal), ("statut", .notPersonal), ("status", .notPersonal),
        ("id", .notPersonal), ("montant", .notPersonal), ("demande", .notPersonal),
        ("Nom complet", .fullName), ("full_name", .fullName), ("patient_name", .fullName),
        ("Adresse postale", .streetAddress), ("adresse", .streetAddress), ("street", .streetAddress), ("voie", .streetAddress),
        ("telephone", .phone), ("Téléphone fixe", .phone), ("tel", .phone), ("phone_number", .phone), ("portable", .phone),
        ("email", .email), ("Courriel", .email), ("mail", .email), ("contacts.emails[]", .email),
        ("sexe", .sex), ("gender", .sex), ("prenom", .firstName), ("first_name", .firstName), ("given_name", .firstName),
        ("nom", .lastName), ("last_name", .lastName), ("surname", .lastName), ("nom_naissance", .lastName),
        ("iban", .iban), ("rib", .iban),
    ] as [(String, FieldRole)])
    func briefHeaderTable(header: String, expected: FieldRole) {
        #expect(role(header) == expected)
    }

    @Test(arguments: ["col7", "c3", "column_4", "field12", "", "___", "42"])
    func obfuscatedNamesHaveNoRole(header: String) {
        #expect(lexicon.match(header) == nil)
    }

    @Test func accentsCaseAndPunctuationVariants() {
        for h in ["Prénom", "Pre\u{301}nom", "PRENOM", "prénom", " Prénom ", "PRE\u{301}NOM", "prenom.", "\"Prénom\""] {
            #expect(role(h) == .firstName, "\(h)")
        }
        for h in ["DATE_NAISSANCE", "Date de naissance", "date-naissance", "dateNaissance", "date.naissance", "Date naiss."] {
            #expect(role(h) == .birthDate, "\(h)")
        }
    }

    @Test func strengthReflectsHowMuchOfTheHeaderIsUnderstood() throws {
        #expect(try #require(lexicon.match("nom")).strength == 1)
        #expect(try #require(lexicon.match("patient.nom")).strength == 1)
        let partial = try #require(lexicon.match("dt_naiss"))
        #expect(partial.role == .birthDate)
        #expect(partial.strength == 0.9)  // a partial token matched
        let unknownWord = try #require(lexicon.match("telephone_bureau_xyz"))
        #expect(unknownWord.role == .phone)
        #expect(abs(unknownWord.strength - (0.5 + 0.5 / 3)) < 1e-9)
    }

    @Test func evidenceNamesSynonymAndContext() throws {
        let m = try #require(lexicon.match("laboratoire.nom"))
        #expect(m.synonym == "nom")
        #expect(m.context == "laboratoire")
        #expect(try #require(lexicon.match("Nom")).context == nil)
    }

    @Test func roleCategories() {
        #expect(FieldRole.lastName.categories == CategorySet(.personName))
        #expect(FieldRole.nirKey.categories == CategorySet(.nationalID))
        #expect(FieldRole.city.categories == CategorySet(.postalAddress))
        #expect(FieldRole.prescriberID.categories == CategorySet(.healthProfessional))
        #expect(FieldRole.controllerName.categories == CategorySet(.controller))
        #expect(FieldRole.examResult.categories == CategorySet(.health))
        #expect(FieldRole.freeText.categories.isEmpty)
        #expect(FieldRole.notPersonal.categories.isEmpty)
        #expect(FieldRole.genericDate.categories.isEmpty)
    }

    // MARK: Samples and cases

    static let sampleTruths = ["labs_en.csv", "labs_fr_cp1252.csv", "labs_utf8_multiline.csv", "labs_nested.jsonl"]

    /// Every field of every sample: the role's categories agree with the truth's.
    @Test(arguments: sampleTruths)
    func sampleHeadersAgreeWithTruth(file: String) throws {
        let truth = try SampleTruth.load("samples/\(file).truth.json")
        #expect(truth.fields.count >= 19)
        for f in truth.fields {
            let r = role(f.name)
            let expected = Set(f.categories)
            if expected == ["none"] {
                #expect(r == nil || r == .notPersonal, "\(f.name) → \(r?.rawValue ?? "nil")")
                continue
            }
            let got = try #require(r, "\(f.name) has no role")
            if got == .freeText {
                #expect(expected.contains("health"), "\(f.name)")
                continue
            }
            let cats = Set(got.categories.categories.map(\.rawValue))
            #expect(!cats.isEmpty && cats.isSubset(of: expected.union(f.acceptable_also)) && !cats.isDisjoint(with: expected),
                    "\(f.name) → \(got.rawValue) \(cats) vs \(expected)")
        }
    }

    @Test func sampleCommentColumnsAreFreeText() {
        for h in ["notes", "commentaire", "Commentaire", "exams[].commentaire"] { #expect(role(h) == .freeText) }
    }

    /// ../shared/cases/001, 002, 005, 011, 013, 017, 018, 020: the header statements of `expect`.
    @Test(arguments: [
        ("nom", .lastName), ("prenom", .firstName), ("email", .email), ("id", .notPersonal), ("montant", .notPersonal),
        ("note", .freeText),                                                     // 001
        ("Nom complet", .fullName), ("Adresse postale", .streetAddress), ("Né le", .birthDate),
        ("Téléphone fixe", .phone),                                              // 002
        ("Nom", .lastName), ("Prénom", .firstName), ("Email", .email),            // 005
        ("Ville", .city), ("Commentaire", .freeText),                             // 011
        ("N° Sécurité sociale", .nir),                                            // 013
        ("nir", .nir), ("ref_dossier", .patientID),                               // 017
        ("num_secu", .nir), ("pays", .country),                                   // 018
        ("client", .fullName), ("Né(e) le", .birthDate), ("date_commande", .genericDate),
        ("code_postal", .postalCode), ("tel", .phone),                            // 020
        ("patient.nir", .nir), ("patient.nom", .lastName), ("patient.prenom", .firstName),
        ("contacts.emails[]", .email), ("consultations[].motif", .freeText),
        ("consultations[].medecin", .prescriberName), ("antecedents", .healthAttribute), // 014
    ] as [(String, FieldRole)])
    func caseHeaders(header: String, expected: FieldRole) {
        #expect(role(header) == expected)
    }

    /// ../shared/cases/023-csv-formula-injection: a formula as a header is no synonym.
    @Test func case023FormulaHeaderHasNoRole() {
        #expect(lexicon.match("=HYPERLINK(\"http://exemple.invalid/h\",\"Ouvrir\")") == nil)
    }
}
