import Foundation
import Testing
import ImpactDetect
@testable import ImpactCore

/// `--keep-masked-examples` (issue 4 §3): up to 3 distinct masked values per field from the
/// classification sample, and nothing else of the report changes.
@Suite struct MaskedExamplesTests {
    static func offer(_ values: [String]) -> [String] {
        var examples = MaskedExamples()
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: ValueMask.capacity, alignment: 1)
        defer { scratch.deallocate() }
        for v in values {
            var v = v
            v.withUTF8 { examples.offer(UnsafeRawBufferPointer($0), scratch: scratch) }
        }
        return examples.strings
    }

    @Test func keepsTheFirstThreeDistinctMasksInTheOrderMet() {
        // Three NIRs are one shape: one example, not three copies.
        #expect(Self.offer(["2 85 07 75 123 456 78", "1 62 11 13 001 042 17", "2 90 01 2A 004 017 51"])
                == ["9 99 99 99 999 999 99", "9 99 99 9X 999 999 99"])
        #expect(Self.offer(["DUPONT", "Martin", "MARTIN", "Lefèvre", "Zoé", "Li"]) == ["XXXXXX", "Xxxxxx", "Xxxxxxx"])
        // Empty values and values of dropped characters only (BOM, zero-width space) are not examples.
        #expect(Self.offer(["", "\u{FEFF}", "\u{200B}\u{200B}", "a"]) == ["x"])
        #expect(Self.offer([]) == [])
    }

    static func analyse(_ paths: [String], keep: Bool, threads: Int = 1) -> ImpactReport {
        var options = AnalysisOptions()
        options.keepMaskedExamples = keep
        options.threads = threads
        options.hasher = SubjectKeyHasher(k0: 3, k1: 5)
        return LeakAnalyzer(options: options).analyze(paths: paths).report
    }

    /// The flag adds `masked_examples` and changes nothing else (counts, classification,
    /// evidence), on CSV and on nested JSON Lines (fields named by JSON path).
    @Test(arguments: ["labs_en.csv", "labs_nested.jsonl"])
    func theFlagAddsExamplesAndChangesNothingElse(sample: String) throws {
        let path = TestPaths.samples.appendingPathComponent(sample).path
        let plain = Self.analyse([path], keep: false)
        let kept = Self.analyse([path], keep: true)
        #expect(plain.fields.allSatisfy { $0.maskedExamples == nil })
        var stripped = kept
        for i in stripped.fields.indices { stripped.fields[i].maskedExamples = nil }
        #expect(stripped == plain)
        #expect(try ReportJSON.encode(stripped) == ReportJSON.encode(plain))
        for f in kept.fields {
            let examples = try #require(f.maskedExamples, "\(f.name)")
            #expect(!examples.isEmpty && examples.count <= 3 && Set(examples).count == examples.count, "\(f.name)")
            for e in examples {
                #expect(!e.unicodeScalars.contains { $0.properties.isAlphabetic && $0 != "X" && $0 != "x" }, "\(f.name)")
                #expect(!e.unicodeScalars.contains { $0.properties.numericType != nil && $0 != "9" }, "\(f.name)")
            }
        }
        let (status, out) = try ReportSchemaTests.validate(try ReportJSON.encode(kept), schema: "impact-report.schema.json")
        #expect(status == 0, "\(out)")
    }

    @Test func examplesOfTheLabsSample() throws {
        let report = Self.analyse([TestPaths.samples.appendingPathComponent("labs_en.csv").path], keep: true)
        func examples(_ name: String) -> [String]? { report.fields.first { $0.name == name }?.maskedExamples }
        #expect(examples("social_security_number") == ["999999999999999", "999999X99999999"])  // Corsica: 2A/2B
        #expect(examples("date_of_birth") == ["9999-99-99"])
        #expect(examples("phone_number") == ["9999999999", "99 99 99 99 99", "99.99.99.99.99"])
        #expect(examples("last_name") == ["XXXXX", "Xxxxxx", "Xxxxxxx"])
        let text = TextReport.render(report)
        #expect(text.contains("\n      masked examples: 999999999999999 | 999999X99999999\n"))
        #expect(!TextReport.render(Self.analyse([TestPaths.samples.appendingPathComponent("labs_en.csv").path], keep: false))
            .contains("masked examples"))
    }

    /// The reading thread and the analysing thread give the same examples (they come from the
    /// sample, which the analysing thread sees in record order).
    @Test func threadedAnalysisGivesTheSameExamples() throws {
        let paths = ["labs_utf8_multiline.csv", "labs_nested.jsonl"].map { TestPaths.samples.appendingPathComponent($0).path }
        let one = Self.analyse(paths, keep: true, threads: 1)
        let two = Self.analyse(paths, keep: true, threads: 2)
        #expect(one.fields.map(\.maskedExamples) == two.fields.map(\.maskedExamples))
        #expect(one.fields.compactMap(\.maskedExamples).joined().count > 20)
    }
}
