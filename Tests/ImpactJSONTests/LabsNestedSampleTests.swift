import Foundation
import Testing
import ImpactIngest
@testable import ImpactJSON

/// ../shared/samples/labs_nested.jsonl: one sampling request per line, exams nested, with its
/// ground truth in labs_nested.jsonl.truth.json.
@Suite struct LabsNestedSampleTests {
    struct Truth: Decodable {
        struct Field: Decodable { var name: String }
        var records: Int?
        var fields: [Field]
    }

    static func load() throws -> ([UInt8], Truth) {
        let bytes = try SharedFiles.bytes("samples/labs_nested.jsonl")
        let truth = try JSONDecoder().decode(Truth.self, from: Data(SharedFiles.bytes("samples/labs_nested.jsonl.truth.json")))
        return (bytes, truth)
    }

    @Test func recordsPathsAndValuesMatchTheTruth() throws {
        let (bytes, truth) = try Self.load()
        let lineCount = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        let (description, sink) = try read(bytes, chunkSizes: [65_536, 1, 777])

        // 1. Every line is one record: the truth's `records` (else the line count).
        #expect(description.format == "jsonl")
        #expect(description.rejectedRecords == 0)
        #expect(description.lines == lineCount)
        #expect(description.records == (truth.records ?? lineCount))
        #expect(sink.records.count == (truth.records ?? lineCount))

        // 2. The paths are the truth's field names (`laboratoire.finess`, `exams[].libelle`, …),
        //    declared in first-seen order.
        #expect(sink.declaredNames == truth.fields.map(\.name))

        // 3. Every non-null scalar becomes one value: 49,926 values, 4,000 exam labels (counted
        //    independently with Python's json module); line numbers follow the file.
        #expect(sink.records.reduce(0) { $0 + $1.count } == 49_926)
        let libelle = try #require(sink.fieldNames.first { $0.value == "exams[].libelle" }?.key)
        #expect(sink.records.reduce(0) { total, record in
            total + (0..<record.count).filter { record.fieldID(at: $0) == libelle }.count
        } == 4_000)
        #expect(sink.records.map(\.line) == Array(1...lineCount))
        #expect(sink.values(of: 0, path: "laboratoire.finess") == ["420534141"])
        #expect(sink.values(of: 0, path: "patient.nir") == ["293101123925503"])
    }
}
