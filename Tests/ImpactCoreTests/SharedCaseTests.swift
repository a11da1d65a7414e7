import Foundation
import Testing
@testable import ImpactCore

/// The classification and counting statements of `../shared/cases/` (parse-level statements are
/// tested in ImpactIngestTests / ImpactJSONTests). Each test is named after its case folder.
@Suite struct SharedCaseTests {
    static func run(_ folder: String, _ files: String...) -> ImpactReport {
        LeakAnalyzer().analyze(paths: files.map { TestPaths.caseFile(folder, $0) }).report
    }

    static func field(_ r: ImpactReport, _ name: String) -> ImpactReport.Field? {
        r.fields.first { $0.name == name }
    }

    static func categories(_ r: ImpactReport, _ name: String) -> [String] {
        field(r, name)?.categories ?? ["<missing field \(name)>"]
    }

    @Test func case001_semicolonDecimalComma() {
        let r = Self.run("001-semicolon-decimal-comma", "input.csv")
        #expect(r.inputs[0].delimiter == ";")
        #expect(r.records == 4)
        #expect(Self.categories(r, "nom") == ["person_name"])
        #expect(Self.categories(r, "prenom") == ["person_name"])
        #expect(Self.categories(r, "email") == ["email_address"])
        for f in ["id", "montant", "note"] { #expect(Self.categories(r, f) == [], "\(f)") }
        #expect(r.subjects == 4)
    }

    @Test func case002_tabDelimitedSpacesInValues() {
        let r = Self.run("002-tab-delimited-spaces-in-values", "input.csv")
        #expect(r.inputs[0].delimiter == "\\t")
        #expect(r.records == 3)
        #expect(Self.categories(r, "Nom complet") == ["person_name"])
        #expect(Self.categories(r, "Adresse postale") == ["postal_address"])
        #expect(Self.categories(r, "Né le") == ["birth_date"])
        #expect(Self.categories(r, "Téléphone fixe") == ["phone_number"])
        #expect(r.subjects == 3)
    }

    @Test func case003_quotedNewline() throws {
        let a = Self.run("003-quoted-newline", "a.csv")
        #expect(a.records == 3)
        #expect(a.subjects == 3)
        #expect(Self.categories(a, "commentaire").contains("health"))
        let b = Self.run("003-quoted-newline", "b.csv")
        #expect(b.records == 1)
        #expect(b.fields.count == 1)
        #expect(try #require(b.fields.first).categories.contains("health"))
    }

    @Test func case005_bomQuotedFirstHeader() {
        let r = Self.run("005-bom-quoted-first-header", "input.csv")
        #expect(r.fields.first?.name == "Nom")
        #expect(r.inputs[0].delimiter == ";")
        #expect(Self.categories(r, "Nom") == ["person_name"])
        #expect(Self.categories(r, "Prénom") == ["person_name"])
        #expect(Self.categories(r, "Email") == ["email_address"])
        #expect(!r.fields.contains { $0.name.unicodeScalars.contains("\u{FEFF}") })
        #expect(r.subjects == 2)
    }

    @Test func case006_raggedRows() {
        let r = Self.run("006-ragged-rows", "input.csv")
        #expect(r.records == 4)
        #expect(r.rejectedRecords == 0)
        let ragged = r.warnings.first { $0.kind == "ragged_row" }
        #expect(ragged?.count == 2)
        #expect(ragged?.firstLines.map { $0.split(separator: ":").last.map(String.init) } == ["3", "4"])
        // The overflow phone of line 3 is analysed, not dropped.
        #expect(r.fields.contains { $0.name.hasPrefix("extra_") && $0.values >= 1 })
        #expect(Self.field(r, "email")?.values == 3)
        #expect(r.subjects == 4)
    }

    @Test func case007_trailingBlankLinesAndNoFinalEOL() {
        let a = Self.run("007-trailing-blank-lines-and-no-final-eol", "a.csv")
        #expect(a.records == 3)
        #expect(a.warnings.isEmpty)
        #expect(a.subjects == 3)
        let b = Self.run("007-trailing-blank-lines-and-no-final-eol", "b.csv")
        #expect(b.records == 3)
        #expect(b.warnings.isEmpty)
        #expect(Self.field(b, "email")?.values == 1)
    }

    @Test func case009_veryLongField() {
        let r = Self.run("009-very-long-field", "input.csv")
        #expect(r.records == 3)
        #expect(r.rejectedRecords == 0)
        #expect(Self.categories(r, "notes").contains("health"))
        let json = String(decoding: (try? ReportJSON.encode(r)) ?? Data(), as: UTF8.self)
        #expect(json.count < 100_000)
    }

    @Test func case010_nulByteInField() throws {
        let r = Self.run("010-nul-byte-in-field", "input.csv")
        #expect(r.records == 3)
        #expect(Self.field(r, "email")?.values == 2)
        #expect(r.warnings.first { $0.kind == "nul_bytes" }?.firstLines.first?.hasSuffix(":2") == true)
        #expect(r.subjects == 3)
        let json = try ReportJSON.encode(r)
        #expect(!json.contains(0))
        #expect(!TextReport.render(r).utf8.contains(0))
    }

    @Test func case011_windows1252FrenchExport() {
        let r = Self.run("011-windows-1252-french-export", "input.csv")
        #expect(r.inputs[0].encoding == "windows-1252")
        #expect(r.records == 3)
        #expect(Self.categories(r, "Prénom") == ["person_name"])
        #expect(Self.categories(r, "Nom") == ["person_name"])
        #expect(Self.categories(r, "Ville") == ["postal_address"])
        #expect(r.subjects == 3)
        let text = TextReport.render(r)
        #expect(!text.unicodeScalars.contains { $0.value >= 0x80 && $0.value < 0xA0 || $0 == "\u{FFFD}" })
    }

    @Test(arguments: ["with-bom.txt", "no-bom.csv"])
    func case013_utf16leExcelUnicodeText(file: String) {
        let r = Self.run("013-utf16le-excel-unicode-text", file)
        #expect(r.inputs[0].encoding == "utf-16le")
        #expect(r.inputs[0].delimiter == "\\t")
        #expect(r.records == 3)
        #expect(Self.categories(r, "N° Sécurité sociale") == ["national_id"])
        #expect(Self.categories(r, "Email") == ["email_address"])
        #expect(Self.categories(r, "Prénom") == ["person_name"])
        #expect(r.subjectsByCategory["national_id"] == 3)
        #expect(r.subjects == 3)
    }

    @Test func case014_jsonArrayNestedObjects() {
        let r = Self.run("014-json-array-nested-objects", "input.json")
        #expect(r.records == 3)
        #expect(r.inputs[0].format == "json")
        #expect(Self.categories(r, "patient.nir") == ["national_id"])
        #expect(Self.categories(r, "patient.nom") == ["person_name"])
        #expect(Self.categories(r, "contacts.emails[]") == ["email_address"])
        #expect(Set(Self.categories(r, "consultations[].motif")).isSuperset(of: ["health", "pregnancy"]))
        #expect(Self.categories(r, "consultations[].medecin") == ["health_professional"])
        #expect(Set(Self.categories(r, "antecedents")).isSuperset(of: ["health", "genetic"]))
        #expect(r.healthProfessionals == 2)
        #expect(r.subjectsByCategory["pregnancy"] == 1)
        #expect(r.subjects == 3)
    }

    @Test func case015_jsonlBrokenLines() {
        let r = Self.run("015-jsonl-broken-lines", "input.jsonl")
        #expect(r.analysedRecords == 3)
        #expect(r.rejectedRecords == 2)
        #expect(r.rejections.map(\.line) == [3, 4])
        #expect(r.countsAreLowerBound)
        #expect(r.subjects == 3)
    }

    @Test func case017_nirCorsicaAndFormatVariants() {
        let r = Self.run("017-nir-corsica-and-format-variants", "input.csv")
        #expect(Self.categories(r, "nir") == ["national_id"])
        #expect(Self.field(r, "nir")?.invalidValues == 0)
        #expect(Self.field(r, "nir")?.evidence.contains { $0.contains("6 pass the NIR key") && $0.contains("1 without key") } == true)
        #expect(!Self.categories(r, "ref_dossier").contains("national_id"))
        #expect(r.subjects == 7)
    }

    @Test func case018_nirTemporaryNIA() {
        let r = Self.run("018-nir-temporary-nia", "input.csv")
        #expect(Self.categories(r, "num_secu") == ["national_id"])
        #expect(Self.field(r, "num_secu")?.evidence.contains { $0.contains("4 pass the NIR key (3 temporary NIA)") } == true)
        #expect(r.subjects == 4)
    }

    @Test func case020_datesVsPhonesAndNormalisation() {
        let r = Self.run("020-dates-vs-phones-and-normalisation", "input.csv")
        #expect(Self.categories(r, "Né(e) le") == ["birth_date"])
        #expect(Self.field(r, "Né(e) le")?.values == 5)
        #expect(!Self.categories(r, "date_commande").contains("phone_number"))
        #expect(!Self.categories(r, "date_commande").contains("birth_date"))
        #expect(!Self.categories(r, "code_postal").contains("phone_number"))
        #expect(Self.categories(r, "tel") == ["phone_number"])
        #expect(Self.categories(r, "email") == ["email_address"])
        #expect(r.subjects == 4)
    }

    @Test func case023_csvFormulaInjection() {
        let r = Self.run("023-csv-formula-injection", "input.csv")
        #expect(r.records == 3)
        #expect(Self.categories(r, "tel") == ["phone_number"])
        #expect(Self.field(r, "tel")?.values == 3)
        #expect(r.subjects == 3)
        for line in TextReport.render(r).split(separator: "\n") {
            let t = line.drop { $0 == " " }
            #expect(!(t.first.map { "=+@".contains($0) } ?? false), "unneutralised line")
        }
    }

    @Test(arguments: ["a-truncated.csv.gz", "b-bad-crc.csv.gz"])
    func case025_truncatedGzip(file: String) {
        let outcome = LeakAnalyzer().analyze(paths: [TestPaths.caseFile("025-truncated-gzip", file)])
        #expect(outcome.report.complete == false)
        #expect(outcome.report.countsAreLowerBound)
        #expect(outcome.failures.count == 1)
        #expect(outcome.failures.first.map { [.truncatedGzip, .corruptGzip].contains($0.kind) } == true)
    }
}

/// Regression tests for bugs found by the synthetic evaluation (scripts/eval.sh).
@Suite struct LinkingRegressionTests {
    static func analyse(_ csv: String) throws -> ImpactReport {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("leak.csv")
        try Data(csv.utf8).write(to: f)
        return LeakAnalyzer().analyze(paths: [f.path]).report
    }

    /// The name key folded the first name over the family name, so two people sharing a first
    /// name and a birth date were one subject.
    @Test func sameFirstNameAndBirthDateButOtherFamilyNameAreTwoPeople() throws {
        let r = try Self.analyse("""
            nom;prenom;date_naissance;laboratoire
            Durand;Maxime;25/08/1992;Labo A
            Martin;Maxime;25/08/1992;Labo A
            DURAND;Maxime;25/08/1992;Labo A
            """)
        #expect(r.subjects == 2)
    }

    @Test func homonymsWithOtherBirthDatesAreTwoPeople() throws {
        let r = try Self.analyse("""
            nom;prenom;date_naissance;laboratoire
            Durand;Maxime;25/08/1992;Labo A
            Durand;Maxime;26/08/1992;Labo A
            """)
        #expect(r.subjects == 2)
    }

    @Test func wordOrderAndAccentsDoNotSplitAPerson() throws {
        let r = try Self.analyse("""
            nom;prenom;date_naissance;laboratoire
            Lévêque;Théo;01/02/2003;Labo A
            LEVEQUE;theo;2003-02-01;Labo A
            """)
        #expect(r.subjects == 1)
    }

    /// The name key sorted the family and given names together, so "Michel BERNARD" and
    /// "Bernard MICHEL" born the same day were one subject (12 of 498,910 subjects lost in a
    /// 2,000,000-record `impact synth` leak, seed 2026: many family names are given names too).
    @Test func swappedFamilyAndGivenNamesAreTwoPeople() throws {
        let r = try Self.analyse("""
            nom;prenom;date_naissance;laboratoire
            BERNARD;Michel;12/07/1999;Labo A
            Michel;Bernard;12/07/1999;Labo A
            bernard;MICHEL;1999-07-12;Labo A
            """)
        #expect(r.subjects == 2)
    }

    /// Names of plain ASCII letters take a shortcut (lower-cased, joined without folding or
    /// splitting); the same person written with blanks, mixed case or an accent takes the
    /// general path, and both give one key. A swapped pair stays two people on the shortcut too.
    @Test func plainAndFoldedNameKeysAgree() throws {
        let r = try Self.analyse("""
            nom;prenom;date_naissance;laboratoire
            DUPONT;Jean;05/06/1970;Labo A
            " Dupont ";" jean";1970-06-05;Labo A
            DUPÔNT;JEAN;05/06/1970;Labo A
            Jean;Dupont;05/06/1970;Labo A
            """)
        #expect(r.subjects == 2)
    }

    /// Separators inside a part do not split a person: exports of different lab systems write
    /// "N'GUYEN" / "NGUYEN", "Le Gall" / "LEGALL", "Jean-Pierre" / "JEAN PIERRE" (tester's F8).
    @Test func separatorsInsideANameDoNotSplitAPerson() throws {
        let r = try Self.analyse("""
            nom;prenom;date_naissance;laboratoire
            N'GUYEN;Thi;03/04/1985;Labo A
            NGUYEN;Thi;1985-04-03;Labo A
            Le Gall;Jean-Pierre;03/04/1950;Labo A
            LEGALL;JEAN PIERRE;03/04/1950;Labo A
            """)
        #expect(r.subjects == 2)
    }

    /// A given name + birth date alone identified people: three "Marie" born the same day with
    /// different e-mails were one subject (tester's F4). Without a family name the name key is
    /// not used, the e-mail is.
    @Test func aGivenNameAndBirthDateAloneIdentifyNobody() throws {
        let r = try Self.analyse("""
            nom;prenom;date_naissance;email;laboratoire
            ;Marie;01/01/1980;marie.a@example.org;Labo A
            ;Marie;01/01/1980;marie.b@example.org;Labo A
            ;Marie;01/01/1980;marie.c@example.org;Labo A
            ;Marie;01/01/1980;marie.c@example.org;Labo A
            """)
        #expect(r.subjects == 3)
        let only = try Self.analyse("""
            prenom,date_of_birth,email
            Marie,1980-01-01,marie.a@example.org
            Marie,1980-01-01,marie.b@example.org
            """)
        #expect(only.subjects == 2)
    }

    /// A single full-name field: capitals mark the family name, so a full-name file links to a
    /// file with separate columns. Within a full-name field the key is also order-free (one
    /// person is written in several styles there), so a swapped homonym merges: the documented
    /// trade-off of full-name fields (separate columns keep "Michel BERNARD" and "Bernard MICHEL"
    /// apart, see swappedFamilyAndGivenNamesAreTwoPeople).
    @Test func fullNameCapitalsTellTheFamilyName() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = dir.appendingPathComponent("full.csv"), split = dir.appendingPathComponent("split.csv")
        try Data("""
            patient_name,date_of_birth,laboratory
            Michel BERNARD,1999-07-12,Lab A
            Anne-Marie ROUX,1980-01-02,Lab A
            ROUX Anne Marie,1980-01-02,Lab A
            """.utf8).write(to: full)
        try Data("""
            nom;prenom;date_naissance;laboratoire
            BERNARD;Michel;12/07/1999;Lab A
            Roux;Anne-Marie;02/01/1980;Lab A
            MICHEL;Bernard;12/07/1999;Lab A
            """.utf8).write(to: split)
        let r = LeakAnalyzer().analyze(paths: [full.path, split.path]).report
        #expect(r.subjects == 3)
    }

    /// One person written in several styles in a full-name field was several people (second
    /// tester, N5: capitals gave an ordered key, lower case an order-free one), and an elided
    /// article split a family name (N4: `N'GUYEN`, `D'ALMEIDA`). Both keys are kept now, and a
    /// one-letter word joins the next. The file also links to separate-column files.
    @Test func fullNameStylesAndElisionsAreOnePerson() throws {
        let r = try Self.analyse("""
            patient_name,date_of_birth,laboratory
            Jean DUPONT,1970-01-02,Lab A
            Jean Dupont,1970-01-02,Lab A
            jean dupont,1970-01-02,Lab A
            JEAN DUPONT,1970-01-02,Lab A
            DUPONT Jean,1970-01-02,Lab A
            Thi N'GUYEN,1985-04-03,Lab A
            Thi NGUYEN,1985-04-03,Lab A
            Ana D'ALMEIDA,1990-05-06,Lab A
            D'ALMEIDA Ana,1990-05-06,Lab A
            """)
        #expect(r.subjects == 3)
    }

    /// A middle initial is not an elided article: "Jean P. DUPONT" in a full-name field was
    /// `pdupont` + `jean`, another person than DUPONT / Jean P. in separate fields (review).
    @Test func aMiddleInitialStaysWithTheGivenNames() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = dir.appendingPathComponent("full.csv"), split = dir.appendingPathComponent("split.csv")
        try Data("patient_name,date_of_birth\nJean P. DUPONT,1970-01-02\n".utf8).write(to: full)
        try Data("nom;prenom;date_naissance\nDUPONT;Jean P.;02/01/1970\n".utf8).write(to: split)
        #expect(LeakAnalyzer().analyze(paths: [full.path, split.path]).report.subjects == 1)
    }

    /// Without capitals the order of a full name is unknown: the key stays order-free.
    @Test func fullNameWithoutCapitalsIsOrderFree() throws {
        let r = try Self.analyse("""
            patient_name,date_of_birth,laboratory
            Anne Roux,1980-01-02,Lab A
            Roux Anne,1980-01-02,Lab A
            """)
        #expect(r.subjects == 1)
    }
}

/// Rows that name a lab without its FINESS (tester's F5): they made a second controller and put
/// its patients "at two or more controllers".
@Suite struct ControllerWithoutIDTests {
    static let csv = """
        nom;prenom;date_naissance;nir;finess;laboratoire
        DUPONT;Jean;14/03/1985;185037505612356;;Biolab Rhône-Saône
        DUPONT;Jean;14/03/1985;185037505612356;690620075;Biolab Rhône-Saône
        MARTIN;Sophie;02/12/1990;290126912304575;690620075;
        ROUX;Anne;05/06/1970;270067512345678;;Laboratoire Sans Finess
        """

    static func report(sampleRecords: Int) throws -> ImpactReport {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("leak.csv")
        try Data(csv.utf8).write(to: f)
        var options = AnalysisOptions()
        options.sampleRecords = sampleRecords
        return LeakAnalyzer(options: options).analyze(paths: [f.path]).report
    }

    /// The name shown is the spelling most records carry; spellings are counted per record
    /// even when consecutive records of a controller repeat one (the registry's shortcut).
    @Test func theMostFrequentSpellingNamesTheController() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("leak.csv")
        try Data("""
            nom;prenom;date_naissance;finess;laboratoire
            DUPONT;Jean;14/03/1985;690620075;Labo Alpha
            MARTIN;Paul;14/03/1986;750000000;Labo Beta
            DUPONT;Jean;14/03/1985;690620075;Labo Alpha
            ROUX;Anne;05/06/1970;690620075;LABO ALPHA SAS
            ROUX;Anne;05/06/1970;690620075;LABO ALPHA SAS
            PETIT;Luc;05/06/1971;690620075;LABO ALPHA SAS
            MARTIN;Paul;14/03/1986;750000000;Labo Beta
            """.utf8).write(to: f)
        let r = LeakAnalyzer(options: AnalysisOptions()).analyze(paths: [f.path]).report
        #expect(r.controllers.first { $0.id == "690620075" }?.name == "LABO ALPHA SAS")
        #expect(r.controllers.first { $0.id == "690620075" }?.records == 5)
        #expect(r.controllers.first { $0.id == "750000000" }?.name == "Labo Beta")
    }

    @Test func aNameWrittenBesideOneIDIsThatController() throws {
        let r = try Self.report(sampleRecords: 5_000)
        #expect(r.controllers.map(\.id).sorted() == ["690620075", "Laboratoire Sans Finess"])
        #expect(r.controllers.first { $0.id == "690620075" }?.records == 3)
        #expect(r.subjectsAtTwoOrMoreControllers == 0)
        #expect(r.warnings.isEmpty)
    }

    /// Past the classification sample the name-only row came first and could not be attributed:
    /// counted apart, with a warning rather than silently.
    @Test func aNameMetBeforeItsIDOutsideTheSampleIsWarnedAbout() throws {
        let r = try Self.report(sampleRecords: 1)
        #expect(r.controllers.count == 3)
        let w = r.warnings.first { $0.kind == "controller_name_also_beside_id" }
        #expect(w?.count == 1)
        #expect(w?.detail.contains("690620075") == true)
    }
}

/// Headers that name an Art. 9 category make every non-empty value of the column count for it,
/// whatever the words in the cells.
@Suite struct HeaderNamedCategoryTests {
    @Test func diagnosisMedicationAndReligionColumnsCountTheirSubjects() throws {
        let r = try LinkingRegressionTests.analyse("""
            last_name,first_name,dob,diagnosis,medication,religion
            Moreau,Anne,1970-03-02,K21.9,XR-12,x
            Petit,Luc,1981-11-30,,,
            Roy,Eva,1990-01-05,E11,,
            """)
        #expect(r.subjects == 3)
        #expect(r.subjectsByCategory["health"] == 2)
        #expect(r.subjectsByCategory["drug_treatment"] == 1)
        #expect(r.subjectsByCategory["religious_belief"] == 1)
        #expect(SharedCaseTests.categories(r, "medication") == ["health", "drug_treatment"])
    }

    /// ICD-10 codes in a diagnosis column say which Art. 9 sub-kind: chapter XV (O) and Z33–Z37
    /// pregnancy, Q90–Q99 / E84 / Z14–Z15 genetic, Z79 long-term drug therapy (regulatory.md
    /// §6.11); other codes stay plain health.
    @Test func icd10CodesInADiagnosisColumnGiveTheirSubKind() throws {
        let r = try LinkingRegressionTests.analyse("""
            last_name,first_name,dob,diagnosis
            Moreau,Anne,1990-03-02,O24.4
            Petit,Lou,1981-11-30,Q90.9
            Roy,Eva,1950-01-05,Z79.4
            Blanc,Luc,1970-06-07,E11.9
            Noir,Ana,1988-08-09,O244
            Gris,Paul,2001-02-03,E841
            """)
        #expect(r.subjects == 6)
        #expect(r.subjectsByCategory["health"] == 6)
        #expect(r.subjectsByCategory["pregnancy"] == 2)
        #expect(r.subjectsByCategory["genetic"] == 2)
        #expect(r.subjectsByCategory["drug_treatment"] == 1)
    }
}
