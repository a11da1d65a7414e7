import Foundation
import Testing
@testable import ImpactSynth

/// The truth agrees with the file, recomputed on the test side (own CSV reader, own NIR
/// check, identity = folded family name + first name + birth date).
@Suite struct TruthInvariantTests {
    struct Row {
        var family, first, birth, sex, nir, ipp, finess, lab, label, comment, rpps: String
    }

    /// Reads a French-headed CSV leak into rows.
    static func frenchRows(_ leak: [UInt8], truth: SynthTruth) -> (header: [String], rows: [Row]) {
        let text = truth.format.encoding == "windows-1252" ? decodeWindows1252(leak)
                                                            : String(decoding: leak, as: UTF8.self)
        var records = parseCSV(text, delimiter: Character(truth.format.delimiter ?? ";"))
        let header = records.removeFirst()
        func col(_ name: String) -> Int { header.firstIndex(of: name)! }
        let c = (col("nom"), col("prenom"), col("date_naissance"), col("sexe"), col("nir"),
                 col("ipp"), col("finess_laboratoire"), col("laboratoire"), col("libelle_examen"),
                 col("commentaire"), col("rpps_prescripteur"))
        let rows = records.map { r in
            Row(family: r[c.0], first: r[c.1], birth: r[c.2], sex: r[c.3], nir: r[c.4], ipp: r[c.5],
                finess: r[c.6], lab: r[c.7], label: r[c.8], comment: r[c.9], rpps: r[c.10])
        }
        return (header, rows)
    }

    static let french = Result { try generate(SynthConfig(seed: 21, records: 4_000, controllers: 6)) }

    @Test func recordsAddUp() throws {
        let (leak, _, truth) = try TruthInvariantTests.french.get()
        let (header, rows) = TruthInvariantTests.frenchRows(leak, truth: truth)
        #expect(header == LabField.allCases.map(\.frenchHeader))
        #expect(rows.count == 4_000)
        #expect(truth.records == 4_000)
        #expect(truth.controllers.map(\.records).reduce(0, +) == truth.records)
        #expect(rows.allSatisfy { $0.family.count > 0 && $0.finess.count == 9 })
    }

    /// Subjects per controller, national_id (valid key at that lab), totals and subjects at
    /// two labs, recomputed from the rows.
    @Test func subjectCountsMatchTheRows() throws {
        let (leak, _, truth) = try TruthInvariantTests.french.get()
        let rows = TruthInvariantTests.frenchRows(leak, truth: truth).rows
        var subjects: [String: Set<String>] = [:], national: [String: Set<String>] = [:]
        var labsOf: [String: Set<String>] = [:]
        var records: [String: Int] = [:]
        for r in rows {
            let id = identity(r.family, r.first, r.birth)
            subjects[r.finess, default: []].insert(id)
            records[r.finess, default: 0] += 1
            labsOf[id, default: []].insert(r.finess)
            if nirKeyIsValid(r.nir) { national[r.finess, default: []].insert(id) }
        }
        #expect(Set(truth.controllers.map(\.id)) == Set(subjects.keys))
        for c in truth.controllers {
            #expect(c.subjects == subjects[c.id]?.count, "\(c.id)")
            #expect(c.subjectsByCategory["national_id"] == national[c.id, default: []].count, "\(c.id)")
            #expect(c.subjectsByCategory["health"] == c.subjects)
            #expect(c.records == records[c.id])
        }
        #expect(truth.totals.subjects == labsOf.count)
        #expect(truth.totals.subjectsAtTwoOrMoreControllers == labsOf.values.filter { $0.count >= 2 }.count)
        #expect(truth.totals.subjectsAtTwoOrMoreControllers > 0)
        let allNational = Set(national.values.flatMap { $0 })
        #expect(truth.totals.subjectsByCategory["national_id"] == allNational.count)
    }

    /// Every NIR is either valid under the test's own mod-97 check or one of the wrong keys the
    /// truth declares; 2A/2B and temporary 7/8 numbers are among the valid ones.
    @Test func nirsAreValidExceptTheSeededWrongKeys() throws {
        let (leak, _, truth) = try TruthInvariantTests.french.get()
        let rows = TruthInvariantTests.frenchRows(leak, truth: truth).rows
        let present = rows.filter { !$0.nir.isEmpty }
        let invalid = present.filter { !nirKeyIsValid($0.nir) }
        let seeded = try #require(truth.invalidIdentifiersSeeded?.first)
        #expect(seeded.field == "nir" && seeded.kind == "nir_wrong_key")
        #expect(invalid.count == seeded.records)
        #expect(Set(invalid.map(\.nir)).count == seeded.values)
        #expect(seeded.records > 0)
        #expect(rows.contains { $0.nir.isEmpty })
        let valid = present.filter { nirKeyIsValid($0.nir) }
        #expect(valid.contains { $0.nir.contains("2A") || $0.nir.contains("2B") })
        #expect(valid.contains { $0.nir.hasPrefix("7") || $0.nir.hasPrefix("8") })
        // The sex digit agrees with the sex column (1/7 male, 2/8 female).
        for r in valid {
            let digit = r.nir.first!
            #expect((r.sex == "M") == (digit == "1" || digit == "7"), "sex digit")
        }
        // One person, one NIR body (the key may be mistyped at one lab).
        var bodies: [String: Set<Substring>] = [:]
        for r in present { bodies[identity(r.family, r.first, r.birth), default: []].insert(r.nir.prefix(13)) }
        #expect(bodies.values.allSatisfy { $0.count == 1 })
    }

    @Test func identifiersOfProfessionalsAndLabsPassLuhn() throws {
        let (leak, _, truth) = try TruthInvariantTests.french.get()
        let rows = TruthInvariantTests.frenchRows(leak, truth: truth).rows
        for r in rows {
            #expect(r.rpps.hasPrefix("10") && r.rpps.count == 11 && CheckDigits.isLuhnValid(Array(r.rpps.utf8)))
            #expect(CheckDigits.isLuhnValid(Array(r.finess.utf8)))
        }
        // A lab name repeats in another region with its own FINESS.
        var finessByName: [String: Set<String>] = [:]
        for r in rows { finessByName[r.lab, default: []].insert(r.finess) }
        #expect(finessByName.values.contains { $0.count >= 2 })
    }

    /// An e-mail address is one person's (it is a legitimate linking key).
    @Test func emailsAreNotShared() throws {
        let (leak, _, truth) = try TruthInvariantTests.french.get()
        let text = decodeWindows1252(leak)
        var records = parseCSV(text, delimiter: ";")
        let header = records.removeFirst()
        let email = header.firstIndex(of: "email")!
        let (nom, prenom, birth) = (header.firstIndex(of: "nom")!, header.firstIndex(of: "prenom")!,
                                    header.firstIndex(of: "date_naissance")!)
        var owners: [String: Set<String>] = [:]
        for r in records where !r[email].isEmpty {
            owners[r[email], default: []].insert(identity(r[nom], r[prenom], r[birth]))
        }
        #expect(owners.count > truth.totals.subjects / 2)
        #expect(owners.values.allSatisfy { $0.count == 1 })
    }

    /// Homonyms exist and are born on different days; IPPs are local to a lab.
    @Test func homonymsAndLocalPatientIDs() throws {
        let (leak, _, truth) = try TruthInvariantTests.french.get()
        let rows = TruthInvariantTests.frenchRows(leak, truth: truth).rows
        var births: [String: Set<String>] = [:]
        var ipps: [String: Set<String>] = [:]
        var ippsAtLab: [String: Set<String>] = [:]
        for r in rows {
            births[ASCIIFold.nameKey(r.family) + "|" + ASCIIFold.nameKey(r.first), default: []].insert(r.birth)
            let id = identity(r.family, r.first, r.birth)
            ipps[id, default: []].insert(r.ipp)
            ippsAtLab[id + "@" + r.finess, default: []].insert(r.ipp)
        }
        #expect(births.values.contains { $0.count >= 2 })
        #expect((truth.seeded?["homonym_groups"] ?? 0) > 0)
        // Swapped-name twins: "Michel BERNARD" and "Bernard MICHEL" born the same day, two people
        // (the bug this guards against merged them: an order-free name key).
        var spellings = Set<String>()
        for r in rows { spellings.insert(ASCIIFold.nameKey(r.family) + "|" + ASCIIFold.nameKey(r.first) + "|" + r.birth) }
        var twins = 0
        for key in spellings {
            let p = key.split(separator: "|", omittingEmptySubsequences: false)
            if p[0] < p[1] && spellings.contains("\(p[1])|\(p[0])|\(p[2])") { twins += 1 }
        }
        #expect(twins > 0)
        #expect(twins == truth.seeded?["swapped_name_twin_pairs"])
        #expect(ippsAtLab.values.allSatisfy { $0.count == 1 })
        var labs: [String: Set<String>] = [:]
        for r in rows { labs[identity(r.family, r.first, r.birth), default: []].insert(r.finess) }
        for (id, l) in labs where l.count == 2 { #expect(ipps[id]?.count == 2) }
        // Some labs write family names in upper case, others not.
        #expect(rows.contains { $0.family == $0.family.uppercased() })
        #expect(rows.contains { $0.family != $0.family.uppercased() })
    }

    /// Pregnancy shows only for women; the tagged categories add up per lab.
    @Test func sensitiveCategoriesAreConsistent() throws {
        let (leak, _, truth) = try TruthInvariantTests.french.get()
        let rows = TruthInvariantTests.frenchRows(leak, truth: truth).rows
        for r in rows where r.label.contains("grossesse") || r.comment.lowercased().contains("grossesse")
            || r.comment.contains("enceinte") || r.comment.hasPrefix("Pregnant") {
            #expect(r.sex == "F")
        }
        for c in truth.controllers {
            for key in ["pregnancy", "genetic", "drug_treatment"] {
                let n = try #require(c.subjectsByCategory[key])
                #expect(n <= c.subjects)
            }
        }
        for key in ["pregnancy", "genetic", "drug_treatment"] {
            #expect((truth.totals.subjectsByCategory[key] ?? 0) > 0, "\(key)")
        }
        #expect(rows.contains { $0.comment.contains("\n") })
        #expect((truth.seeded?["multiline_records"] ?? 0) > 0)
        let label = try #require(truth.fields.first { $0.name == "libelle_examen" })
        #expect(label.categories == ["health", "pregnancy", "genetic", "drug_treatment"])
    }

    @Test func jsonLinesRecordsAreRequests() throws {
        let (leak, _, truth) = try generate(SynthConfig(seed: 4, records: 600, shape: .jsonLinesNested))
        let lines = String(decoding: leak, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 600)
        #expect(truth.records == 600)
        #expect(truth.controllers.map(\.records).reduce(0, +) == 600)
        var subjects: [String: Set<String>] = [:]
        var exams = 0
        for line in lines {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let p = try #require(o["patient"] as? [String: Any])
            let lab = try #require(o["laboratoire"] as? [String: Any])
            let list = try #require(o["exams"] as? [[String: Any]])
            #expect(!list.isEmpty)
            exams += list.count
            subjects[lab["finess"] as! String, default: []].insert(
                identity(p["nom"] as! String, p["prenom"] as! String, p["date_naissance"] as! String))
            if let nir = p["nir"] as? String { _ = nir } else { #expect(p["nir"] is NSNull) }
        }
        for c in truth.controllers { #expect(c.subjects == subjects[c.id]?.count) }
        #expect(truth.seeded?["exam_rows"] == exams)
        #expect(truth.fields.contains { $0.name == "exams[].commentaire" })
    }

    @Test func jsonArrayRecordsAreExams() throws {
        let (leak, _, truth) = try generate(SynthConfig(seed: 4, records: 500, shape: .jsonArray))
        let array = try #require(try JSONSerialization.jsonObject(with: Data(leak)) as? [[String: Any]])
        #expect(array.count == 500)
        #expect(truth.format.type == "json")
        #expect(truth.controllers.map(\.records).reduce(0, +) == 500)
        var ids = Set<String>()
        for o in array {
            let p = o["patient"] as! [String: Any]
            ids.insert(identity(p["nom"] as! String, p["prenom"] as! String, p["date_naissance"] as! String))
        }
        #expect(truth.totals.subjects == ids.count)
    }

    /// Obfuscated and header-less files require only what the values establish.
    @Test func headerlessShapesRequireWhatValuesShow() throws {
        let (_, _, truth) = try generate(SynthConfig(seed: 8, records: 800, shape: .obfuscatedHeaders))
        #expect(truth.fields.map(\.name) == (1...22).map { "c\($0)" })
        let byCategory = Dictionary(grouping: truth.fields, by: { $0.categories.first! })
        #expect(byCategory["national_id"]?.count == 1)
        #expect(byCategory["person_name"]?.count == 2)
        #expect(byCategory["controller"]?.count == 2)
        #expect(truth.fields.contains { $0.categories == ["none"] && $0.acceptableAlso.contains("examination_date") })
        #expect(truth.fields.contains { $0.categories == ["none"] && $0.acceptableAlso.first == "health" })
        let (_, _, noHeader) = try generate(SynthConfig(seed: 8, records: 800, shape: .noHeader))
        #expect(noHeader.format.header == false)
        let fields = noHeader.fields
        #expect(fields.map(\.name) == (1...22).map { "column_\($0)" })
        #expect(fields.count == LabField.allCases.count)
        #expect(fields[LabField.nir.rawValue].categories == ["national_id"])
        #expect(fields[LabField.familyName.rawValue].categories == ["person_name"])
        #expect(fields[LabField.birthDate.rawValue].categories == ["none"])
        #expect(fields[LabField.birthDate.rawValue].acceptableAlso == ["birth_date"])
        #expect(fields[LabField.examCode.rawValue].categories == ["none"])
        #expect(fields[LabField.examCode.rawValue].acceptableAlso.first == "health")
        #expect(fields[LabField.examLabel.rawValue].categories.first == "health")
    }

    @Test func decoyHasNoSubjectsAndOnlyWrongKeys() throws {
        let (leak, _, truth) = try generate(SynthConfig(seed: 3, records: 1_500, shape: .decoy))
        #expect(truth.totals.subjects == 0)
        #expect(truth.controllers.isEmpty)
        #expect(truth.totals.subjectsByCategory.values.allSatisfy { $0 == 0 })
        #expect(truth.fields.allSatisfy { $0.categories == ["none"] && $0.acceptableAlso.isEmpty })
        var records = parseCSV(decodeWindows1252(leak), delimiter: ";")
        let header = records.removeFirst()
        #expect(header.contains("nom") && header.contains("code_produit") && header.contains("date_livraison"))
        #expect(records.count == 1_500)
        let codes = records.map { $0[0] }
        #expect(codes.allSatisfy { $0.count == 15 && $0.allSatisfy(\.isNumber) && !nirKeyIsValid($0) })
        let seeded = try #require(truth.invalidIdentifiersSeeded?.first)
        #expect(seeded.kind == "nir_shaped_wrong_key" && seeded.records == 1_500)
        #expect(seeded.values == Set(codes).count)
    }

    /// The truth file decodes back to the value returned.
    @Test func truthFileRoundTrips() throws {
        let (_, bytes, truth) = try TruthInvariantTests.french.get()
        let decoded = try JSONDecoder().decode(SynthTruth.self, from: Data(bytes))
        #expect(decoded == truth)
        #expect(decoded.generator?.seed == 21)
        #expect(decoded.semantics == SynthTruth.labSemantics)
    }
}
