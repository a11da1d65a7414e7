/// Writes a synthetic lab export (CSV, JSON Lines or JSON array) and tallies, row by row, what
/// each record reveals about whom: the ground truth comes from these tallies and the
/// population, never from reading the file back.
struct LabExportWriter {
    let config: SynthConfig
    let population: Population
    let values: LabValueWriter
    let newline: [UInt8]
    var random: SynthRandom

    // Tallies.
    /// Per person and lab slot (index person * 2 + slot): bit 0 has a record, bits 1–3
    /// pregnancy / genetic / drug treatment revealed, bit 4 a wrong-key NIR written.
    var slotFlags: [UInt8]
    var labRecords: [Int]
    var fieldValues: [Int]
    var labelReveals: Reveals = []
    var commentReveals: Reveals = []
    var records = 0
    var wrongKeyRecords = 0
    var multilineRecords = 0

    init(config: SynthConfig, population: Population, random root: SynthRandom) throws {
        self.config = config
        self.population = population
        self.newline = config.lineEnding.bytes
        let style = LabStyle(shape: config.shape)
        let lexicon = try EncodedLexicon(population: population, encoding: config.encoding,
                                         english: style.englishLabels, sexWords: style.sexWords,
                                         newline: config.shape.isCSV ? newline : [0x0A])
        values = LabValueWriter(population: population, lexicon: lexicon, style: style)
        random = root.stream(2)
        slotFlags = [UInt8](repeating: 0, count: population.persons.count * 2)
        labRecords = [Int](repeating: 0, count: population.labs.count)
        fieldValues = [Int](repeating: 0, count: LabField.allCases.count)
    }

    // MARK: Drawing the exams of a visit

    private static let statusTable = WeightedTable([50, 17, 16, 14, 3])
    private static let routineTable = WeightedTable(LabCatalogue.exams.map { $0.routineWeight })

    /// Draws the exams, results, comments and statuses of `visit`.
    mutating func plan(_ v: VisitContext, count: Int, into rows: inout [ExamRow]) {
        rows.removeAll(keepingCapacity: true)
        let person = v.patient
        let lexicon = values.lexicon
        let exams = LabCatalogue.exams
        let condition = person.condition >= 0 ? LabCatalogue.conditions[person.condition] : nil
        let showsCondition = condition?.eligibility.admits(female: person.female, age: v.age) ?? false
        for _ in 0..<count {
            var exam = -1
            if showsCondition, random.chance(perMille: 400) {
                let candidates = lexicon.conditionExams[person.condition]
                let pick = random.pick(candidates)
                if exams[pick].eligibility.admits(female: person.female, age: v.age) { exam = pick }
            }
            var attempts = 0
            while exam < 0 {
                let pick = LabExportWriter.routineTable.draw(&random)
                attempts += 1
                if exams[pick].eligibility.admits(female: person.female, age: v.age) || attempts > 8 {
                    exam = exams[pick].eligibility.admits(female: person.female, age: v.age) ? pick : 0
                }
            }
            var result = 0
            switch exams[exam].result {
            case .number(let low, let high, _): result = random.int(in: low...high)
            case .text: result = random.below(lexicon.examTexts[exam].count)
            case .karyotype: result = 0
            }
            var comment = -1
            var commentNumber = 0
            if random.chance(perMille: 300) {
                let english = random.chance(perMille: values.style.englishCommentPerMille)
                let pool: EncodedLexicon.Pool
                if showsCondition && random.chance(perMille: 450) {
                    pool = lexicon.conditionComments[person.condition]
                } else if random.chance(perMille: 250) {
                    pool = lexicon.health
                } else {
                    pool = lexicon.neutral
                }
                if let c = pool.pick(english: english, &random),
                   lexicon.comments[c].eligibility.admits(female: person.female, age: v.age) {
                    comment = c
                    if let range = lexicon.comments[c].range { commentNumber = random.int(in: range) }
                }
            }
            var reveals = exams[exam].reveals
            if comment >= 0 { reveals.formUnion(lexicon.comments[comment].reveals) }
            rows.append(ExamRow(exam: exam, result: result, comment: comment,
                                commentNumber: commentNumber,
                                status: LabExportWriter.statusTable.draw(&random),
                                reveals: reveals))
        }
    }

    /// Records what `row` reveals about the visit's person at its lab.
    @inline(__always)
    mutating func tally(_ v: VisitContext, _ row: ExamRow) {
        var bits: UInt8 = 1
        if row.reveals.contains(.pregnancy) { bits |= 2 }
        if row.reveals.contains(.genetic) { bits |= 4 }
        if row.reveals.contains(.drugTreatment) { bits |= 8 }
        slotFlags[v.person * 2 + v.slot] |= bits
        labelReveals.formUnion(LabCatalogue.exams[row.exam].reveals)
        if row.comment >= 0 {
            let c = values.lexicon.comments[row.comment]
            commentReveals.formUnion(c.reveals)
        }
    }

    /// Records one record (row, line or element) of the visit.
    @inline(__always)
    mutating func countRecord(_ v: VisitContext, multiline: Bool) {
        records += 1
        labRecords[v.lab] += 1
        if population.nirState(of: v.patient, slot: v.slot) == .wrongKey {
            wrongKeyRecords += 1
            slotFlags[v.person * 2 + v.slot] |= 16
        }
        if multiline { multilineRecords += 1 }
    }

    func context(_ visit: Population.Visit) -> VisitContext {
        let person = population.persons[Int(visit.person)]
        let birth = CivilDate(days: person.birthDays)
        let day = CivilDate(days: Int(visit.day))
        var age = day.year - birth.year
        if (day.month, day.day) < (birth.month, birth.day) { age -= 1 }
        return VisitContext(person: Int(visit.person), patient: person, slot: Int(visit.slot),
                            lab: population.lab(of: person, slot: Int(visit.slot)),
                            doctor: Int(visit.doctor), day: Int(visit.day),
                            minute: Int(visit.minute), visitID: Int(visit.id), age: age)
    }

    // MARK: CSV

    /// The CSV columns in file order (seeded permutation for the obfuscated shape).
    static func columns(for config: SynthConfig, random root: SynthRandom) -> [LabField] {
        var columns = LabField.allCases
        if config.shape == .obfuscatedHeaders {
            var r = root.stream(3)
            r.shuffle(&columns)
        }
        return columns
    }

    func headerName(_ field: LabField, position: Int) -> String {
        switch config.shape {
        case .englishHeaders: return field.englishHeader
        case .obfuscatedHeaders: return "c\(position + 1)"
        // No header: the name `impact` gives a column (schemas/impact-report.schema.json).
        case .noHeader: return "column_\(position + 1)"
        default: return field.frenchHeader
        }
    }

    mutating func writeCSV(to file: LeakFile, columns: [LabField]) throws {
        var out = OutputBuffer()
        var scratch: [UInt8] = []
        scratch.reserveCapacity(256)
        let delimiter = config.delimiter
        if config.bom { out.append([0xEF, 0xBB, 0xBF]) }
        if config.shape != .noHeader {
            for (i, field) in columns.enumerated() {
                if i > 0 { out.append(delimiter) }
                CSVQuoting.appendField(Array(headerName(field, position: i).utf8),
                                       delimiter: delimiter, to: &out)
            }
            out.append(newline)
        }
        var rows: [ExamRow] = []
        for visit in population.visits {
            let v = context(visit)
            plan(v, count: Int(visit.exams), into: &rows)
            for row in rows {
                for (i, field) in columns.enumerated() {
                    if i > 0 { out.append(delimiter) }
                    scratch.removeAll(keepingCapacity: true)
                    values.write(field, v, row, into: &scratch)
                    if !scratch.isEmpty { fieldValues[field.rawValue] += 1 }
                    CSVQuoting.appendField(scratch, delimiter: delimiter, to: &out)
                }
                out.append(newline)
                tally(v, row)
                countRecord(v, multiline: row.comment >= 0 && values.lexicon.comments[row.comment].multiline)
            }
            try out.flushIfFull(file)
        }
        try out.flush(file)
    }

    // MARK: JSON

    /// JSON Lines: one sampling request (visit) per line, exams nested.
    mutating func writeJSONLines(to file: LeakFile) throws {
        var out = OutputBuffer()
        var scratch: [UInt8] = []
        scratch.reserveCapacity(256)
        var rows: [ExamRow] = []
        for visit in population.visits {
            let v = context(visit)
            plan(v, count: Int(visit.exams), into: &rows)
            out.append(JSONKeys.openDemande)
            scratch.removeAll(keepingCapacity: true)
            scratch.append(UInt8(ascii: "D"))
            Digits.append(61_000_000 + v.visitID * 3 + (v.visitID % 7), width: 8, to: &scratch)
            JSONText.appendString(scratch, to: &out)
            writeVisitHeader(v, rows[0], out: &out, scratch: &scratch)
            out.append(JSONKeys.exams)
            var multiline = false
            for (i, row) in rows.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "{"))
                writeExam(v, row, nested: true, out: &out, scratch: &scratch)
                out.append(UInt8(ascii: "}"))
                tally(v, row)
                if row.comment >= 0 && values.lexicon.comments[row.comment].multiline { multiline = true }
            }
            out.append(JSONKeys.closeArrayObject)
            out.append(newline)
            countRecord(v, multiline: multiline)
            try out.flushIfFull(file)
        }
        try out.flush(file)
    }

    /// A JSON array of exam objects, one element per line.
    mutating func writeJSONArray(to file: LeakFile) throws {
        var out = OutputBuffer()
        var scratch: [UInt8] = []
        scratch.reserveCapacity(256)
        var rows: [ExamRow] = []
        out.append(UInt8(ascii: "["))
        out.append(newline)
        var first = true
        for visit in population.visits {
            let v = context(visit)
            plan(v, count: Int(visit.exams), into: &rows)
            for row in rows {
                if !first {
                    out.append(UInt8(ascii: ","))
                    out.append(newline)
                }
                first = false
                out.append(JSONKeys.openID)
                Digits.append(records + 1, to: &out.bytes)
                writeVisitHeader(v, row, out: &out, scratch: &scratch)
                out.append(JSONKeys.examen)
                writeExam(v, row, nested: false, out: &out, scratch: &scratch)
                out.append(UInt8(ascii: "}"))
                out.append(JSONKeys.status)
                value(.status, v, row, &scratch)
                JSONText.appendString(scratch, to: &out)
                if row.comment >= 0 {
                    out.append(JSONKeys.comment)
                    value(.comment, v, row, &scratch)
                    JSONText.appendString(scratch, to: &out)
                }
                out.append(UInt8(ascii: "}"))
                tally(v, row)
                countRecord(v, multiline: row.comment >= 0 && values.lexicon.comments[row.comment].multiline)
            }
            try out.flushIfFull(file)
        }
        out.append(newline)
        out.append(UInt8(ascii: "]"))
        out.append(newline)
        try out.flush(file)
    }

    /// Writes `field`'s value into `scratch` (cleared) and counts it when non-empty.
    @inline(__always)
    mutating func value(_ field: LabField, _ v: VisitContext, _ row: ExamRow, _ scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        values.write(field, v, row, into: &scratch)
        if !scratch.isEmpty { fieldValues[field.rawValue] += 1 }
    }

    /// `,"date_prelevement":…,"laboratoire":{…},"prescripteur":{…},"patient":{…}`
    mutating func writeVisitHeader(_ v: VisitContext, _ row: ExamRow, out: inout OutputBuffer,
                                   scratch: inout [UInt8]) {
        func string(_ key: [UInt8], _ field: LabField, _ me: inout LabExportWriter,
                    _ out: inout OutputBuffer, _ scratch: inout [UInt8]) {
            out.append(key)
            me.value(field, v, row, &scratch)
            JSONText.appendString(scratch, to: &out)
        }
        string(JSONKeys.samplingDate, .samplingDate, &self, &out, &scratch)
        string(JSONKeys.lab, .labName, &self, &out, &scratch)
        string(JSONKeys.finess, .finess, &self, &out, &scratch)
        string(JSONKeys.prescriber, .prescriber, &self, &out, &scratch)
        string(JSONKeys.rpps, .rpps, &self, &out, &scratch)
        string(JSONKeys.patient, .familyName, &self, &out, &scratch)
        string(JSONKeys.firstName, .firstName, &self, &out, &scratch)
        string(JSONKeys.birthDate, .birthDate, &self, &out, &scratch)
        string(JSONKeys.sex, .sex, &self, &out, &scratch)
        out.append(JSONKeys.nir)
        value(.nir, v, row, &scratch)
        if scratch.isEmpty { out.append(JSONKeys.null) } else { JSONText.appendString(scratch, to: &out) }
        string(JSONKeys.ipp, .ipp, &self, &out, &scratch)
        string(JSONKeys.street, .street, &self, &out, &scratch)
        string(JSONKeys.postalCode, .postalCode, &self, &out, &scratch)
        string(JSONKeys.city, .city, &self, &out, &scratch)
        string(JSONKeys.phone, .phone, &self, &out, &scratch)
        value(.email, v, row, &scratch)
        if !scratch.isEmpty {
            out.append(JSONKeys.email)
            JSONText.appendString(scratch, to: &out)
        }
        out.append(JSONKeys.closePatient)
    }

    /// `"code":…,"libelle":…,"resultat":…[,"unite":…]` and, nested, `"statut"` and the
    /// comment (the JSON array writes those two outside `examen`).
    mutating func writeExam(_ v: VisitContext, _ row: ExamRow, nested: Bool,
                            out: inout OutputBuffer, scratch: inout [UInt8]) {
        out.append(JSONKeys.code)
        value(.examCode, v, row, &scratch)
        JSONText.appendString(scratch, to: &out)
        out.append(JSONKeys.label)
        value(.examLabel, v, row, &scratch)
        JSONText.appendString(scratch, to: &out)
        out.append(JSONKeys.result)
        value(.result, v, row, &scratch)
        JSONText.appendString(scratch, to: &out)
        value(.unit, v, row, &scratch)
        if !scratch.isEmpty {
            out.append(JSONKeys.unit)
            JSONText.appendString(scratch, to: &out)
        }
        if nested {
            out.append(JSONKeys.status)
            value(.status, v, row, &scratch)
            JSONText.appendString(scratch, to: &out)
            if row.comment >= 0 {
                out.append(JSONKeys.comment)
                value(.comment, v, row, &scratch)
                JSONText.appendString(scratch, to: &out)
            }
        }
    }
}

/// Pre-encoded JSON keys (ASCII).
enum JSONKeys {
    static let openDemande = Array(#"{"demande":"#.utf8)
    static let openID = Array(#"{"id":"#.utf8)
    static let samplingDate = Array(#","date_prelevement":"#.utf8)
    static let lab = Array(#","laboratoire":{"nom":"#.utf8)
    static let finess = Array(#","finess":"#.utf8)
    static let prescriber = Array(#"},"prescripteur":{"nom":"#.utf8)
    static let rpps = Array(#","rpps":"#.utf8)
    static let patient = Array(#"},"patient":{"nom":"#.utf8)
    static let firstName = Array(#","prenom":"#.utf8)
    static let birthDate = Array(#","date_naissance":"#.utf8)
    static let sex = Array(#","sexe":"#.utf8)
    static let nir = Array(#","nir":"#.utf8)
    static let null = Array("null".utf8)
    static let ipp = Array(#","ipp":"#.utf8)
    static let street = Array(#","adresse":{"voie":"#.utf8)
    static let postalCode = Array(#","code_postal":"#.utf8)
    static let city = Array(#","ville":"#.utf8)
    static let phone = Array(#"},"contact":{"telephone":"#.utf8)
    static let email = Array(#","email":"#.utf8)
    static let closePatient = Array("}}".utf8)
    static let exams = Array(#","exams":["#.utf8)
    static let examen = Array(#","examen":{"#.utf8)
    static let code = Array(#""code":"#.utf8)
    static let label = Array(#","libelle":"#.utf8)
    static let result = Array(#","resultat":"#.utf8)
    static let unit = Array(#","unite":"#.utf8)
    static let status = Array(#","statut":"#.utf8)
    static let comment = Array(#","commentaire":"#.utf8)
    static let closeArrayObject = Array("]}".utf8)
}

/// RFC 4180 quoting: a field holding the delimiter, a quote, CR or LF is quoted, inner quotes
/// doubled; any other field is written as is.
enum CSVQuoting {
    @inline(__always)
    static func appendField(_ value: [UInt8], delimiter: UInt8, to out: inout OutputBuffer) {
        var needsQuotes = false
        for b in value where b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D {
            needsQuotes = true
            break
        }
        if !needsQuotes {
            out.append(value)
            return
        }
        out.append(0x22)
        for b in value {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }
}

/// JSON string writing (RFC 8259 §7): quote, backslash and control characters escaped; bytes
/// ≥ 0x80 (UTF-8) copied.
enum JSONText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always)
    static func appendString(_ value: [UInt8], to out: inout OutputBuffer) {
        out.append(0x22)
        for b in value {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0x00..<0x20:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}

extension OutputBuffer {
    @inline(__always) mutating func append(contentsOf bs: [UInt8]) { bytes.append(contentsOf: bs) }
}
