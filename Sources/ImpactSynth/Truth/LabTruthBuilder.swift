/// Builds the ground truth of a lab export from the population (who is who) and the
/// writer's tallies (what each record revealed), never from the written bytes.
extension LabExportWriter {
    /// The truth for the file just written. `columns`: CSV column order (nil for JSON).
    func truth(fileName: String, columns: [LabField]?) -> SynthTruth {
        SynthTruth(file: fileName, format: format(), records: records,
                   fields: truthFields(columns: columns), controllers: truthControllers(),
                   totals: truthTotals(), invalidIdentifiersSeeded: invalidIdentifiers(columns: columns),
                   seeded: seeded(), generator: SyntheticLeak.generatorInfo(config),
                   semantics: SynthTruth.labSemantics)
    }

    static let tracked = ["national_id", "health", "pregnancy", "genetic", "drug_treatment"]

    private func format() -> SynthTruth.Format {
        let terminator = config.lineEnding == .lf ? "\n" : "\r\n"
        let compression = config.gzip ? "gzip" : nil
        switch config.shape {
        case .jsonLinesNested:
            return SynthTruth.Format(type: "jsonl", encoding: "utf-8", bom: false,
                                     lineTerminator: terminator, compression: compression,
                                     record: "one sampling request per line; exams nested")
        case .jsonArray:
            return SynthTruth.Format(type: "json", encoding: "utf-8", bom: false,
                                     lineTerminator: terminator, compression: compression,
                                     record: "top-level array; one exam per element")
        default:
            return SynthTruth.Format(type: "csv", encoding: config.encoding.rawValue,
                                     bom: config.bom,
                                     delimiter: config.delimiterText,
                                     header: config.shape != .noHeader,
                                     lineTerminator: terminator, compression: compression,
                                     quoting: "minimal")
        }
    }

    private static func tagNames(_ r: Reveals) -> [String] {
        var names: [String] = []
        if r.contains(.pregnancy) { names.append("pregnancy") }
        if r.contains(.genetic) { names.append("genetic") }
        if r.contains(.drugTreatment) { names.append("drug_treatment") }
        return names
    }

    /// Required and acceptable categories of `field` given what was written.
    func categories(of field: LabField) -> (required: [String], acceptable: [String]) {
        var (required, acceptable) = field.categories
        switch field {
        case .examLabel:
            required = ["health"] + LabExportWriter.tagNames(labelReveals)
        case .comment:
            required = commentReveals.contains(.health)
                ? ["health"] + LabExportWriter.tagNames(commentReveals) : []
            if required.isEmpty { acceptable.insert("health", at: 0) }
        default:
            break
        }
        let meaningfulHeader = config.shape != .noHeader && config.shape != .obfuscatedHeaders
        if (!meaningfulHeader && !field.valuesEstablishCategories) || fieldValues[field.rawValue] == 0 {
            acceptable = required + acceptable
            required = []
        }
        var seen = Set(required)
        acceptable = acceptable.filter { seen.insert($0).inserted }
        return (required.isEmpty ? ["none"] : required, acceptable)
    }

    private func truthFields(columns: [LabField]?) -> [SynthTruth.Field] {
        if let columns {
            return columns.enumerated().map { i, f in
                let c = categories(of: f)
                return SynthTruth.Field(name: headerName(f, position: i), index: i,
                                        categories: c.required, acceptableAlso: c.acceptable)
            }
        }
        let nested = config.shape == .jsonLinesNested
        var fields: [SynthTruth.Field] = []
        if nested {
            fields.append(SynthTruth.Field(name: "demande", index: 0, categories: ["none"],
                                           acceptableAlso: ["patient_id"]))
        } else {
            fields.append(SynthTruth.Field(name: "id", index: 0, categories: ["none"],
                                           acceptableAlso: []))
        }
        let order: [LabField] = [.samplingDate, .labName, .finess, .prescriber, .rpps,
                                 .familyName, .firstName, .birthDate, .sex, .nir, .ipp,
                                 .street, .postalCode, .city, .phone, .email,
                                 .examCode, .examLabel, .result, .unit, .status, .comment]
        for f in order {
            let c = categories(of: f)
            fields.append(SynthTruth.Field(name: f.jsonPath(nested: nested), index: fields.count,
                                           categories: c.required, acceptableAlso: c.acceptable))
        }
        return fields
    }

    private func truthControllers() -> [SynthTruth.Controller] {
        let labCount = population.labs.count
        var subjects = [Int](repeating: 0, count: labCount)
        var byCategory = [[Int]](repeating: [0, 0, 0, 0, 0], count: labCount)
        for (p, person) in population.persons.enumerated() {
            for slot in 0..<2 {
                let flags = slotFlags[p * 2 + slot]
                guard flags & 1 != 0 else { continue }
                let lab = population.lab(of: person, slot: slot)
                subjects[lab] += 1
                if population.nirState(of: person, slot: slot) == .valid { byCategory[lab][0] += 1 }
                byCategory[lab][1] += 1
                if flags & 2 != 0 { byCategory[lab][2] += 1 }
                if flags & 4 != 0 { byCategory[lab][3] += 1 }
                if flags & 8 != 0 { byCategory[lab][4] += 1 }
            }
        }
        var controllers: [SynthTruth.Controller] = []
        for lab in 0..<labCount where labRecords[lab] > 0 {
            var counts: [String: Int] = [:]
            for (i, name) in LabExportWriter.tracked.enumerated() { counts[name] = byCategory[lab][i] }
            controllers.append(SynthTruth.Controller(
                id: population.labs[lab].finess, name: population.labs[lab].name,
                records: labRecords[lab], subjects: subjects[lab], subjectsByCategory: counts))
        }
        controllers.sort { a, b in
            a.subjects != b.subjects ? a.subjects > b.subjects : a.id < b.id
        }
        return controllers
    }

    private func truthTotals() -> SynthTruth.Totals {
        var subjects = 0
        var twoOrMore = 0
        var counts = [0, 0, 0, 0, 0]
        for (p, person) in population.persons.enumerated() {
            let f0 = slotFlags[p * 2]
            let f1 = slotFlags[p * 2 + 1]
            guard (f0 | f1) & 1 != 0 else { continue }
            subjects += 1
            if f0 & 1 != 0 && f1 & 1 != 0 { twoOrMore += 1 }
            let valid0 = f0 & 1 != 0 && person.nirState.0 == .valid
            let valid1 = f1 & 1 != 0 && person.nirState.1 == .valid
            if valid0 || valid1 { counts[0] += 1 }
            counts[1] += 1
            let all = f0 | f1
            if all & 2 != 0 { counts[2] += 1 }
            if all & 4 != 0 { counts[3] += 1 }
            if all & 8 != 0 { counts[4] += 1 }
        }
        var byCategory: [String: Int] = [:]
        for (i, name) in LabExportWriter.tracked.enumerated() { byCategory[name] = counts[i] }
        return SynthTruth.Totals(subjects: subjects, subjectsAtTwoOrMoreControllers: twoOrMore,
                                 subjectsByCategory: byCategory)
    }

    private func invalidIdentifiers(columns: [LabField]?) -> [SynthTruth.InvalidIdentifiers] {
        let values = slotFlags.reduce(0) { $0 + ($1 & 16 != 0 ? 1 : 0) }
        let name: String
        if let columns, let i = columns.firstIndex(of: .nir) {
            name = headerName(.nir, position: i)
        } else {
            name = LabField.nir.jsonPath(nested: config.shape == .jsonLinesNested)
        }
        return [SynthTruth.InvalidIdentifiers(field: name, kind: "nir_wrong_key", values: values,
                                              records: wrongKeyRecords)]
    }

    private func seeded() -> [String: Int] {
        var homonyms: [Int: Int] = [:]
        var places = [0, 0, 0, 0]
        // Persons present, by (family name, given name, sex, birth day) spelled out, to find
        // swapped-name twins ("Michel BERNARD" / "Bernard MICHEL" born the same day).
        var present = Set<String>()
        func spelled(_ family: String, _ first: String, _ female: Bool, _ day: Int) -> String {
            "\(family)|\(first)|\(female)|\(day)"
        }
        for (p, person) in population.persons.enumerated()
        where (slotFlags[p * 2] | slotFlags[p * 2 + 1]) & 1 != 0 {
            homonyms[person.family << 9 | person.first << 1 | (person.female ? 1 : 0), default: 0] += 1
            present.insert(spelled(PersonNames.family[person.family],
                                   (person.female ? PersonNames.female : PersonNames.male)[person.first],
                                   person.female, person.birthDays))
            switch person.birthPlace {
            case .temporary: places[0] += 1
            case .corsica:
                let nir = population.nir(p)
                let letter = nir[nir.startIndex + 6]
                if letter == UInt8(ascii: "A") || letter == UInt8(ascii: "B") { places[1] += 1 }
            case .overseas: places[2] += 1
            case .abroad: places[3] += 1
            case .metropolitan: break
            }
        }
        var swappedTwins = 0
        for key in present {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false)
            let swapped = "\(parts[1])|\(parts[0])|\(parts[2])|\(parts[3])"
            if parts[0] < parts[1] && present.contains(swapped) { swappedTwins += 1 }
        }
        return [
            "homonym_groups": homonyms.values.reduce(0) { $0 + ($1 >= 2 ? 1 : 0) },
            "swapped_name_twin_pairs": swappedTwins,
            "subjects_with_temporary_nir": places[0],
            "subjects_with_corsican_2a_2b_nir": places[1],
            "subjects_with_overseas_nir": places[2],
            "subjects_born_abroad": places[3],
            "multiline_records": multilineRecords,
            "exam_rows": population.examCount,
        ]
    }
}
