import Foundation
import Testing
@testable import ImpactJSON

/// JSONTestSuite (github.com/nst/JSONTestSuite, read in place from ../shared/conformance/):
/// `y_` files must be accepted, `n_` files refused, `i_` files may go either way but must
/// neither crash nor hang. Each file is also tokenized one byte at a time, which must give the
/// same outcome.
@Suite struct JSONTestSuiteTests {
    static let directory = SharedFiles.url("conformance/json-test-suite/test_parsing")

    static func files(prefix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }.sorted()
    }

    static func accepts(_ name: String, chunkSizes: [Int] = []) throws -> Bool {
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
        let (_, outcome) = tokenize(bytes, chunkSizes: chunkSizes)
        switch outcome {
        case .end: return true
        case .error: return false
        case .token, .needMoreInput: Issue.record("\(name): tokenizer stopped on \(outcome)"); return false
        }
    }

    @Test func suiteIsPresent() {
        // 95 y_, 188 n_, 35 i_ files in the stored copy.
        #expect(Self.files(prefix: "y_").count == 95)
        #expect(Self.files(prefix: "n_").count == 188)
        #expect(Self.files(prefix: "i_").count == 35)
    }

    @Test(arguments: files(prefix: "y_"))
    func acceptsEveryYFile(_ name: String) throws {
        #expect(try Self.accepts(name), "\(name) must be accepted")
        #expect(try Self.accepts(name, chunkSizes: [1]), "\(name) must be accepted byte by byte")
    }

    @Test(arguments: files(prefix: "n_"))
    func refusesEveryNFile(_ name: String) throws {
        #expect(try !Self.accepts(name), "\(name) must be refused")
        #expect(try !Self.accepts(name, chunkSizes: [1]), "\(name) must be refused byte by byte")
    }

    /// The implementation-defined files, and which way each goes (a change here is a behaviour
    /// change to review, not necessarily a bug). Numbers of any size or exponent are accepted
    /// (kept as text); lone or inverted surrogates are accepted and become U+FFFD; raw invalid
    /// UTF-8 is passed through (decoding is the byte source's job); UTF-16 text and a byte-order
    /// mark are refused (the decoding byte source removes them before JSON is read).
    static let implementationDefined: [String: Bool] = [
        "i_number_double_huge_neg_exp.json": true,
        "i_number_huge_exp.json": true,
        "i_number_neg_int_huge_exp.json": true,
        "i_number_pos_double_huge_exp.json": true,
        "i_number_real_neg_overflow.json": true,
        "i_number_real_pos_overflow.json": true,
        "i_number_real_underflow.json": true,
        "i_number_too_big_neg_int.json": true,
        "i_number_too_big_pos_int.json": true,
        "i_number_very_big_negative_int.json": true,
        "i_object_key_lone_2nd_surrogate.json": true,
        "i_string_1st_surrogate_but_2nd_missing.json": true,
        "i_string_1st_valid_surrogate_2nd_invalid.json": true,
        "i_string_UTF-16LE_with_BOM.json": false,
        "i_string_UTF-8_invalid_sequence.json": true,
        "i_string_UTF8_surrogate_U+D800.json": true,
        "i_string_incomplete_surrogate_and_escape_valid.json": true,
        "i_string_incomplete_surrogate_pair.json": true,
        "i_string_incomplete_surrogates_escape_valid.json": true,
        "i_string_invalid_lonely_surrogate.json": true,
        "i_string_invalid_surrogate.json": true,
        "i_string_invalid_utf-8.json": true,
        "i_string_inverted_surrogates_U+1D11E.json": true,
        "i_string_iso_latin_1.json": true,
        "i_string_lone_second_surrogate.json": true,
        "i_string_lone_utf8_continuation_byte.json": true,
        "i_string_not_in_unicode_range.json": true,
        "i_string_overlong_sequence_2_bytes.json": true,
        "i_string_overlong_sequence_6_bytes.json": true,
        "i_string_overlong_sequence_6_bytes_null.json": true,
        "i_string_truncated-utf-8.json": true,
        "i_string_utf16BE_no_BOM.json": false,
        "i_string_utf16LE_no_BOM.json": false,
        "i_structure_500_nested_arrays.json": true,
        "i_structure_UTF-8_BOM_empty_object.json": false,
    ]

    @Test(arguments: files(prefix: "i_"))
    func implementationDefinedFilesGoTheRecordedWay(_ name: String) throws {
        let whole = try Self.accepts(name)
        #expect(try Self.accepts(name, chunkSizes: [1]) == whole)
        #expect(Self.implementationDefined[name] == whole, "\(name): accepted = \(whole)")
    }
}
