import Foundation
import Testing
@testable import ImpactIngest

/// csv-spectrum (../shared/conformance/csv-spectrum): every csvs/X.csv must parse to json/X.json,
/// the header row giving the keys.
let spectrumNames: [String] = {
    let dir = sharedDirectory.appendingPathComponent("conformance/csv-spectrum/csvs")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return files.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
}()

/// Where csv-spectrum's JSON disagrees with its own CSV, the value the CSV really holds.
/// location_coordinates.json says "1234567890" but location_coordinates.csv holds 2095257564.
let spectrumErrata: [String: [String: String]] = [
    "location_coordinates": ["Contact Phone Number": "2095257564"],
]

func spectrumExpected(_ name: String) throws -> [[String: String]] {
    let data = try Data(contentsOf: sharedDirectory.appendingPathComponent("conformance/csv-spectrum/json/\(name).json"))
    let json = try JSONSerialization.jsonObject(with: data)
    var rows = (json as? [[String: String]]) ?? [(json as? [String: String]) ?? [:]]
    for (key, value) in spectrumErrata[name] ?? [:] {
        for i in rows.indices { rows[i][key] = value }
    }
    return rows
}

@Test func spectrumSuiteIsPresent() {
    #expect(spectrumNames.count == 12)
}

@Test(arguments: spectrumNames)
func spectrumFileTokenizesToItsJSONUnderEveryChunking(_ name: String) throws {
    let data = try sharedBytes("conformance/csv-spectrum/csvs/\(name).csv")
    let expected = try spectrumExpected(name)
    for chunking in chunkings(data.count) {
        // Field at a time, and record at a time with room for two field ends per call.
        for records in [tokenize(data, chunks: chunking.sizes).records,
                        tokenizeByRecord(data, chunks: chunking.sizes, endsRoom: 2).records] {
            try #require(records.count == expected.count + 1, "\(chunking.name)")
            let header = records[0].fields
            let rows = records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.fields)) }
            #expect(Array(rows) == expected, "\(chunking.name)")
        }
    }
}

@Test(arguments: spectrumNames)
func spectrumFileReadsToItsJSONThroughTheReader(_ name: String) throws {
    let expected = try spectrumExpected(name)
    let (sink, description, _) = try parseFile(sharedPath("conformance/csv-spectrum/csvs/\(name).csv"))
    #expect(description.delimiter == ",")
    #expect(description.header)
    #expect(sink.warnings.isEmpty)
    let rows = sink.records.map { record in
        Dictionary(uniqueKeysWithValues: record.values.map { (sink.fields[$0.field]!, $0.value) })
    }
    #expect(rows == expected)
}
