import Testing
import ImpactDetect
@testable import ImpactCore

/// The extraction's routes (``FieldRoute``): what each field kind adds in the first pass, and
/// the record-level results that depend on it (first non-empty value of a role, blank values
/// neither counted nor taken, counts per global field through the map).
@Suite struct FieldRouteTests {
    static let codes: [FieldCode] = [
        FieldCode(kind: .lastName), FieldCode(kind: .firstName), FieldCode(kind: .birthDate),
        FieldCode(kind: .categoriesOnly, categories: DataCategory.health.bit), FieldCode(kind: .ignore),
        FieldCode(kind: .controllerID), FieldCode(kind: .nir), FieldCode(kind: .scan, categories: DataCategory.sex.bit),
        FieldCode(kind: .prescriberID), FieldCode(kind: .undecided),
    ]

    static func routes(_ map: [Int]) -> [FieldRoute] {
        codes.withUnsafeBufferPointer { c in map.withUnsafeBufferPointer { FieldRoute.routes(codes: c, map: $0) } }
    }

    @Test func everyKindGetsItsPassAndCategories() {
        // Input field 0 and 1 are two columns of the same global field; 10 was never declared.
        let r = Self.routes([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1])
        let expected: [(Int32, UInt32, FieldRoute.Pass)] = [
            (0, DataCategory.personName.bit, .role), (0, DataCategory.personName.bit, .role),
            (1, DataCategory.personName.bit, .role), (2, DataCategory.birthDate.bit, .check),
            (3, DataCategory.health.bit, .none), (4, 0, .none), (5, 0, .role), (6, 0, .check),
            (7, DataCategory.sex.bit, .check), (8, DataCategory.healthProfessional.bit, .role), (9, 0, .none),
            (0, 0, .none),
        ]
        #expect(r.count == expected.count)
        for (i, (global, categories, pass)) in expected.enumerated() {
            #expect(r[i].global == global, "field \(i)")
            #expect(r[i].categories == categories, "field \(i)")
            #expect(r[i].pass == pass, "field \(i)")
        }
        #expect(r[11].kind == .ignore)
    }

    /// Extracts one record of `values` (value i is input field i) under `map`.
    static func extract(_ values: [String], map: [Int], counters: inout [FieldCounters]) -> ExtractedRecord {
        let extractor = RecordExtractor(lexicon: TermLexicon.standard, hasher: SubjectKeyHasher(k0: 7, k1: 9))
        return extractRecord(values, routes: routes(map), with: extractor, counters: &counters)
    }

    @Test func aRoleTakesItsFirstNonBlankValue() {
        // Two family-name columns: the first is blank, so the second names the person; the
        // record's key is the one of the same person with a single family-name column.
        var counters = [FieldCounters](repeating: FieldCounters(), count: Self.codes.count)
        let two = Self.extract([" \t", "DUPONT", "Jean", "01/02/1980", "anémie", "x", "750000001", ""],
                               map: [0, 0, 1, 2, 3, 4, 5, 6], counters: &counters)
        var single = [FieldCounters](repeating: FieldCounters(), count: Self.codes.count)
        let one = Self.extract(["DUPONT", "Jean", "01/02/1980"], map: [0, 1, 2], counters: &single)
        #expect(two.nameKey != 0)
        #expect(two.nameKey == one.nameKey)
        #expect(two.idAt == 6)
        #expect(two.nameAt == -1 && two.pidAt == -1)
        #expect(two.mask == DataCategory.personName.bit | DataCategory.birthDate.bit | DataCategory.health.bit)
        // Blank and empty values are not counted; the others per global field.
        #expect(counters.map(\.values) == [1, 1, 1, 1, 1, 1, 0, 0, 0, 0])
        #expect(counters[2].date == 1)
        #expect(single.map(\.values) == [1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    }
}

/// Extracts one record of `values` (value `i` is input field `i`, values separated by `;` as the
/// CSV reader stores them) under `routes`, adding to `counters` (one per global field).
func extractRecord(_ values: [String], routes: [FieldRoute], with extractor: RecordExtractor,
                   counters: inout [FieldCounters]) -> ExtractedRecord {
    var bytes: [UInt8] = [], starts: [Int32] = [], ends: [Int32] = []
    for v in values {
        starts.append(Int32(bytes.count))
        bytes += Array(v.utf8)
        ends.append(Int32(bytes.count))
        bytes.append(0x3B)
    }
    let ids = (0..<Int32(values.count)).map { $0 }
    var terms: [TermHit] = []
    return bytes.withUnsafeBytes { b in
        ids.withUnsafeBufferPointer { f in starts.withUnsafeBufferPointer { s in ends.withUnsafeBufferPointer { e in
            routes.withUnsafeBufferPointer { r in counters.withUnsafeMutableBufferPointer { c in
                extractor.extract(RecordView(bytes: b.baseAddress, fieldIDs: f.baseAddress!, starts: s.baseAddress!,
                                             ends: e.baseAddress!, count: values.count, line: 2),
                                  routes: r.baseAddress!, counters: c.baseAddress!, terms: &terms)
            } }
        } } }
    }
}
