import Foundation
import Testing
@testable import ImpactSynth

/// Evaluation maths on small hand-made truth/report pairs, and on the samples' truth files.
@Suite struct EvaluationTests {
    static func field(_ name: String, _ index: Int, _ categories: [String],
                      _ acceptable: [String] = []) -> SynthTruth.Field {
        SynthTruth.Field(name: name, index: index, categories: categories, acceptableAlso: acceptable)
    }

    static func truth(fields: [SynthTruth.Field], controllers: [SynthTruth.Controller] = [],
                      subjects: Int = 0, type: String = "csv") -> SynthTruth {
        SynthTruth(file: "t", format: SynthTruth.Format(type: type), records: 10, fields: fields,
                   controllers: controllers,
                   totals: SynthTruth.Totals(subjects: subjects, subjectsAtTwoOrMoreControllers: 0,
                                             subjectsByCategory: [:]))
    }

    /// A report that says exactly what the truth says.
    static func perfectReport(_ t: SynthTruth) -> ReportSummary {
        ReportSummary(
            records: t.records, subjects: t.totals.subjects,
            subjectsAtTwoOrMoreControllers: t.totals.subjectsAtTwoOrMoreControllers,
            subjectsByCategory: t.totals.subjectsByCategory,
            fields: t.fields.map { ReportSummary.Field(name: $0.name, categories: $0.requiredCategories) },
            controllers: t.controllers.map {
                ReportSummary.Controller(id: $0.id, name: $0.name, records: $0.records,
                                         subjects: $0.subjects, subjectsByCategory: $0.subjectsByCategory)
            })
    }

    func score(_ e: Evaluation, _ category: String) -> CategoryScore? {
        e.categories.first { $0.category == category }
    }

    /// TP 2, FP 1, FN 1 → precision 2/3, recall 2/3, F1 4/6.
    @Test func f1CountsTruePositivesFalsePositivesAndFalseNegatives() throws {
        let t = EvaluationTests.truth(fields: [
            EvaluationTests.field("nom", 0, ["person_name"]),
            EvaluationTests.field("prenom", 1, ["person_name"]),
            EvaluationTests.field("conjoint", 2, ["person_name"]),
            EvaluationTests.field("ville", 3, ["postal_address"]),
        ])
        let r = ReportSummary(fields: [
            .init(name: "nom", categories: ["person_name"]),
            .init(name: "prenom", categories: ["person_name"]),
            .init(name: "conjoint", categories: []),
            .init(name: "ville", categories: ["postal_address", "person_name"]),
        ])
        let e = Evaluation.evaluate(truth: t, report: r)
        let s = try #require(score(e, "person_name"))
        #expect((s.truePositives, s.falsePositives, s.falseNegatives) == (2, 1, 1))
        #expect(s.precision == 2.0 / 3.0)
        #expect(s.recall == 2.0 / 3.0)
        #expect(s.f1 == 4.0 / 6.0)
        #expect(!s.passed)
        #expect(score(e, "postal_address")?.f1 == 1.0)
        #expect(e.categories.map(\.category) == ["person_name", "postal_address"])
        #expect(!e.passed)
        #expect(e.failures == ["F1 of person_name is 0.667 < 0.980 (TP 2, FP 1, FN 1)"])
        #expect(e.fieldMismatches == [
            FieldMismatch(field: "conjoint", missing: ["person_name"], unexpected: [], matched: true),
            FieldMismatch(field: "ville", missing: [], unexpected: ["person_name"], matched: true),
        ])
    }

    /// `acceptable_also` is neither rewarded nor punished; `none` is no category; a category
    /// claimed only where the truth has none scores F1 0 with no recall.
    @Test func acceptableCategoriesAreIgnoredAndSpuriousOnesScoreZero() throws {
        let t = EvaluationTests.truth(fields: [
            EvaluationTests.field("resultat", 0, ["health"], ["genetic", "pregnancy"]),
            EvaluationTests.field("statut", 1, ["none"]),
        ])
        let r = ReportSummary(fields: [
            .init(name: "resultat", categories: ["health", "genetic"]),
            .init(name: "statut", categories: ["none", "sex_life"]),
        ])
        let e = Evaluation.evaluate(truth: t, report: r)
        #expect(e.categories.map(\.category) == ["health", "sex_life"])
        #expect(score(e, "health")?.f1 == 1.0)
        let s = try #require(score(e, "sex_life"))
        #expect((s.truePositives, s.falsePositives, s.falseNegatives) == (0, 1, 0))
        #expect(s.precision == 0)
        #expect(s.recall == nil)
        #expect(s.f1 == 0)
        #expect(score(e, "genetic") == nil)
    }

    /// Names match exactly, then normalised (case, BOM, array indices), then by CSV position;
    /// a `controller…` role counts as the controller category.
    @Test func fieldsMatchByNameNormalisedNameAndPosition() {
        let t = EvaluationTests.truth(fields: [
            EvaluationTests.field("\u{FEFF}Laboratoire", 0, ["controller"]),
            EvaluationTests.field("exams[].code", 1, ["health"]),
            EvaluationTests.field("c3", 2, ["national_id"]),
        ])
        let r = ReportSummary(fields: [
            .init(name: "laboratoire", role: "controller_name", categories: []),
            .init(name: "exams[0].code", categories: ["health"]),
            .init(name: "column 3", categories: ["national_id"]),
        ])
        let e = Evaluation.evaluate(truth: t, report: r)
        #expect(e.categories.allSatisfy { $0.f1 == 1.0 })
        #expect(e.unmatchedReportFields == 0)
        #expect(e.passed)
        // Not CSV: no positional fallback, the truth field is missing and the report's unmatched.
        var json = t
        json.format.type = "json"
        let j = Evaluation.evaluate(truth: json, report: r)
        #expect(j.unmatchedReportFields == 1)
        #expect(score(j, "national_id").map { ($0.truePositives, $0.falsePositives, $0.falseNegatives) } ?? (0, 0, 0) == (0, 1, 1))
        #expect(j.fieldMismatches.contains { $0.field == "c3" && !$0.matched })
    }

    static let twoLabs = EvaluationTests.truth(
        fields: [],
        controllers: [
            SynthTruth.Controller(id: "440000001", name: "Lab A", records: 50, subjects: 1_000,
                                  subjectsByCategory: ["national_id": 900, "health": 1_000]),
            SynthTruth.Controller(id: "750000002", name: "Lab B", records: 10, subjects: 100,
                                  subjectsByCategory: ["national_id": 90, "health": 100]),
        ],
        subjects: 1_090)

    /// Absolute and relative errors; a count passes within either tolerance.
    @Test func countErrorsAreAbsoluteAndRelative() throws {
        let r = ReportSummary(records: 10, subjects: 1_086, controllers: [
            .init(id: "440000001", subjects: 996, subjectsByCategory: ["national_id": 900, "health": 996]),
            .init(id: "750000002", subjects: 99, subjectsByCategory: ["health": 99]),
        ])
        let e = Evaluation.evaluate(truth: EvaluationTests.twoLabs, report: r)
        func check(_ scope: String, _ metric: String) -> CountCheck? {
            e.counts.first { $0.scope == scope && $0.metric == metric }
        }
        let a = try #require(check("440000001", "subjects"))
        #expect((a.truth, a.reported, a.absoluteError) == (1_000, 996, 4))
        #expect(a.relativeError == 0.004)
        #expect(a.passed)                          // 0.4 % <= 0.5 %
        let b = try #require(check("750000002", "subjects"))
        #expect(b.relativeError == 0.01)
        #expect(!b.passed)                         // 1 % > 0.5 %
        let missing = try #require(check("750000002", "national_id"))
        #expect((missing.reported, missing.absoluteError, missing.passed) == (0, 90, false))
        let total = try #require(check("totals", "subjects"))
        #expect((total.absoluteError, total.passed) == (4, true))
        #expect(check("file", "records")?.passed == true)
        #expect(e.failures.count == 3)

        let exact = Evaluation.evaluate(truth: EvaluationTests.twoLabs, report: r,
                                        thresholds: EvaluationThresholds(maxRelativeError: 0))
        #expect(exact.counts.filter { !$0.passed }.count == 6)
        let lenient = Evaluation.evaluate(truth: EvaluationTests.twoLabs, report: r,
                                          thresholds: EvaluationThresholds(maxCountError: 100))
        #expect(lenient.passed)
    }

    /// A controller the truth does not know passes with 0 subjects only; a controller the
    /// report lacks counts as 0.
    @Test func controllersMatchById() throws {
        var r = EvaluationTests.perfectReport(EvaluationTests.twoLabs)
        r.controllers.append(.init(id: "unknown", subjects: 0))
        #expect(Evaluation.evaluate(truth: EvaluationTests.twoLabs, report: r).passed)
        r.controllers[2].subjects = 5
        let e = Evaluation.evaluate(truth: EvaluationTests.twoLabs, report: r)
        #expect(!e.passed)
        #expect(e.counts.contains { $0.scope == "(not in truth)" && $0.reported == 5 && !$0.passed })
        r.controllers.removeLast()
        r.controllers.removeFirst()
        let lacking = Evaluation.evaluate(truth: EvaluationTests.twoLabs, report: r)
        #expect(lacking.counts.contains { $0.scope == "440000001" && $0.metric == "subjects" && $0.reported == 0 && !$0.passed })
    }

    /// The decoy's truth: any subject reported fails; nothing claimed passes.
    @Test func decoyTruthRejectsAnySubject() throws {
        let (_, _, truth) = try generate(SynthConfig(seed: 1, records: 200, shape: .decoy))
        let clean = ReportSummary(records: 200, subjects: 0, subjectsByCategory: [:],
                                  fields: truth.fields.map { .init(name: $0.name, categories: []) },
                                  controllers: [.init(id: "unknown", subjects: 0)])
        let ok = Evaluation.evaluate(truth: truth, report: clean)
        #expect(ok.passed)
        #expect(ok.categories.isEmpty)
        var fooled = clean
        fooled.subjects = 37
        fooled.fields[1].categories = ["person_name"]
        fooled.fields[0].categories = ["national_id"]
        let e = Evaluation.evaluate(truth: truth, report: fooled)
        #expect(!e.passed)
        #expect(score(e, "person_name")?.f1 == 0)
        #expect(score(e, "national_id")?.falsePositives == 1)
        #expect(e.counts.contains { $0.scope == "totals" && $0.metric == "subjects" && $0.absoluteError == 37 && $0.relativeError == nil })
    }

    /// Every sample truth in ../shared/samples decodes, and a report that repeats it passes.
    @Test(arguments: ["labs_fr_cp1252.csv", "labs_fr_cp1252.csv.gz", "labs_en.csv",
                      "labs_utf8_multiline.csv", "labs_nested.jsonl"])
    func sampleTruthsDecodeAndPerfectReportsPass(sample: String) throws {
        let data = try Data(contentsOf: samplesDirectory.appendingPathComponent(sample + ".truth.json"))
        let truth = try JSONDecoder().decode(SynthTruth.self, from: data)
        #expect(truth.file == sample)
        #expect(!truth.controllers.isEmpty)
        #expect(truth.totals.subjects > 0)
        let e = Evaluation.evaluate(truth: truth, report: EvaluationTests.perfectReport(truth))
        #expect(e.passed)
        #expect(e.categories.allSatisfy { $0.f1 == 1.0 })
        #expect(e.counts.allSatisfy { $0.absoluteError == 0 })
    }

    /// A report in the shape of schemas/impact-report.schema.json: controller fields named in
    /// `controller_fields` count as `controller`; `column_N` names match a header-less truth.
    @Test func reportInTheSchemaShape() throws {
        let json = """
        {"schema_version":"1.0","tool":"impact 0.1","complete":true,"incomplete_reasons":[],
         "counts_are_lower_bound":false,"records":2,"analysed_records":2,"rejected_records":0,
         "records_without_identifier":0,"inputs":[],
         "fields":[{"name":"column_1","role":"finess","categories":[],"confidence":0.9,"evidence":["content"],"invalid_values":0,"values":2},
                   {"name":"column_2","role":null,"categories":["national_id"],"confidence":0.95,"evidence":[],"invalid_values":1,"values":2}],
         "subjects":1,"subjects_at_two_or_more_controllers":0,"subjects_by_category":{"national_id":1,"health":1},
         "health_professionals":0,"identity_basis":{"nir":2},"controller_fields":["column_1"],
         "controllers":[{"id":"440000001","name":"Lab A","records":2,"subjects":1,"health_professionals":0,
                         "subjects_by_category":{"national_id":1,"health":1}}],
         "warnings":[],"rejections":[]}
        """
        let report = try ReportSummary.decode(Data(json.utf8))
        #expect(report.controllerFields == ["column_1"])
        var t = EvaluationTests.truth(
            fields: [EvaluationTests.field("column_1", 0, ["controller"]),
                     EvaluationTests.field("column_2", 1, ["national_id"])],
            controllers: [SynthTruth.Controller(id: "440000001", name: "Lab A", records: 2, subjects: 1,
                                                subjectsByCategory: ["national_id": 1, "health": 1])],
            subjects: 1)
        t.records = 2
        t.totals.subjectsByCategory = ["national_id": 1, "health": 1]
        let e = Evaluation.evaluate(truth: t, report: report)
        #expect(e.passed)
        #expect(e.categories.map(\.category) == ["national_id", "controller"])
        #expect(e.counts.count == 1 + 3 + 1 + 1 + 2)
    }

    /// The report is decoded leniently: unknown keys, numeric ids, missing optional parts.
    @Test func reportDecodingIsLenient() throws {
        let json = """
        {"schema_version":"1.0","records":3,"subjects":2,"unknown":{"x":[1,2]},
         "fields":[{"name":"nir","categories":["national_id"],"confidence":0.9,"evidence":[],"invalid_values":1}],
         "controllers":[{"id":440000001,"subjects":2,"health_professionals":1,"subjects_by_category":{"health":2}}]}
        """
        let r = try ReportSummary.decode(Data(json.utf8))
        #expect(r.records == 3)
        #expect(r.subjects == 2)
        #expect(r.fields == [.init(name: "nir", categories: ["national_id"], invalidValues: 1)])
        #expect(r.controllers == [.init(id: "440000001", subjects: 2, subjectsByCategory: ["health": 2])])
        #expect(r.subjectsByCategory == nil)
    }

    /// The renderings show the verdict and never a report field name (it may be data).
    @Test func renderingsShowVerdictButNoReportFieldName() {
        let t = EvaluationTests.truth(fields: [EvaluationTests.field("nom", 0, ["person_name"])], type: "json")
        let r = ReportSummary(subjects: 0, fields: [
            .init(name: "nom", categories: ["person_name"]),
            .init(name: "DUPONT Jeanne", categories: ["person_name"]),
        ])
        let e = Evaluation.evaluate(truth: t, report: r)
        let table = e.renderTable()
        #expect(!table.contains("DUPONT"))
        #expect(table.contains("1 report field(s) match no truth field"))
        #expect(table.contains("Result: FAIL (1 threshold(s) missed)"))
        #expect(e.renderLine() == "FAIL min_f1=0.667(person_name) counts_missed=0/1 max_abs_error=0 max_rel_error=0.00% subjects=0/0")
        let pass = Evaluation.evaluate(truth: t, report: EvaluationTests.perfectReport(t))
        #expect(pass.renderTable().hasSuffix("Result: PASS\n"))
        #expect(pass.renderLine().hasPrefix("PASS min_f1=1.000(person_name)"))
    }

    @Test func numberFormatting() {
        #expect(Evaluation.format(0.98765, digits: 3) == "0.988")
        #expect(Evaluation.format(1, digits: 3) == "1.000")
        #expect(Evaluation.format(0.05, digits: 3) == "0.050")
        #expect(Evaluation.percent(0.004) == "0.40%")
        #expect(Evaluation.percent(0.0123) == "1.23%")
    }

    /// A report built from a generated truth passes; the same report off by one subject at
    /// one lab fails exactly there.
    @Test func generatedTruthRoundTrip() throws {
        let (_, _, truth) = try generate(SynthConfig(seed: 30, records: 1_000, shape: .englishHeaders))
        var report = EvaluationTests.perfectReport(truth)
        #expect(Evaluation.evaluate(truth: truth, report: report).passed)
        report.controllers[0].subjects += 1
        let e = Evaluation.evaluate(truth: truth, report: report,
                                    thresholds: EvaluationThresholds(maxRelativeError: 0))
        #expect(e.failures.count == 1)
        #expect(e.failures[0].hasPrefix("controller \(truth.controllers[0].id) subjects: reported"))
    }
}
