/// The lexicons and the population's fixed strings, encoded once in the leak's encoding so
/// that the row loop only copies bytes.
struct EncodedLexicon {
    struct Comment {
        var prefix: [UInt8]
        var suffix: [UInt8]
        var range: ClosedRange<Int>?
        var reveals: Reveals
        var eligibility: Eligibility
        var multiline: Bool
    }

    /// Comment indices by language: French, English.
    struct Pool {
        var french: [Int] = []
        var english: [Int] = []

        func pick(english wantEnglish: Bool, _ random: inout SynthRandom) -> Int? {
            let preferred = wantEnglish ? english : french
            let list = preferred.isEmpty ? (wantEnglish ? french : english) : preferred
            return list.isEmpty ? nil : random.pick(list)
        }
    }

    var family: [[UInt8]] = []
    var familyUpper: [[UInt8]] = []
    var familyEmail: [[UInt8]] = []
    var female: [[UInt8]] = []
    var male: [[UInt8]] = []
    var femaleEmail: [[UInt8]] = []
    var maleEmail: [[UInt8]] = []
    var streetTypes: [[UInt8]] = []
    var streetNames: [[UInt8]] = []
    var communes: [[[UInt8]]] = []
    var postalCodes: [[[UInt8]]] = []
    var labNames: [[UInt8]] = []
    var labFiness: [[UInt8]] = []
    var doctorNames: [[UInt8]] = []
    var doctorRPPS: [[UInt8]] = []
    var examCodes: [[UInt8]] = []
    var examLabels: [[UInt8]] = []
    var examUnits: [[UInt8]] = []
    /// Result texts per exam (empty for numeric results).
    var examTexts: [[[UInt8]]] = []
    var comments: [Comment] = []
    var neutral = Pool()
    var health = Pool()
    var conditionComments: [Pool] = []
    /// Exam indices per condition.
    var conditionExams: [[Int]] = []
    var statuses: [[UInt8]] = []
    var emailDomains: [[UInt8]] = []
    var sexWords: (female: [UInt8], male: [UInt8]) = ([], [])
    var karyotype: (female: [UInt8], male: [UInt8]) = ([], [])

    /// Encodes everything for `population` in `encoding`; `english` selects the English
    /// labels, units stay as written; `newline` replaces `\n` in multi-line comments.
    init(population: Population, encoding: SynthEncoding, english: Bool, sexWords: Bool,
         newline: [UInt8]) throws {
        let e = TextEncoder(encoding)
        family = try PersonNames.family.map { try e.encode($0) }
        familyUpper = try PersonNames.family.map { try e.encode($0.uppercased()) }
        familyEmail = PersonNames.family.map { Array(ASCIIFold.emailPart($0).utf8) }
        female = try PersonNames.female.map { try e.encode($0) }
        male = try PersonNames.male.map { try e.encode($0) }
        femaleEmail = PersonNames.female.map { Array(ASCIIFold.emailPart($0).utf8) }
        maleEmail = PersonNames.male.map { Array(ASCIIFold.emailPart($0).utf8) }
        streetTypes = try Places.streetTypes.map { try e.encode($0) }
        streetNames = try Places.streetNames.map { try e.encode($0) }
        communes = try Places.departments.map { try $0.communes.map { try e.encode($0.name) } }
        postalCodes = try Places.departments.map { try $0.communes.map { try e.encode($0.postalCode) } }
        labNames = try population.labs.map { try e.encode($0.name) }
        labFiness = population.labs.map { Array($0.finess.utf8) }
        doctorNames = try population.doctors.map { d in
            let first = d.female ? PersonNames.female[d.first] : PersonNames.male[d.first]
            return try e.encode("Dr \(first) \(PersonNames.family[d.family].uppercased())")
        }
        doctorRPPS = population.doctors.map { Array($0.rpps.utf8) }
        let exams = LabCatalogue.exams
        examCodes = exams.map { Array($0.code.utf8) }
        examLabels = try exams.map { try e.encode(english ? $0.english : $0.french) }
        examUnits = try exams.map { try e.encode(english ? $0.unit.replacingOccurrences(of: "UI", with: "IU") : $0.unit) }
        examTexts = try exams.map { exam in
            if case .text(let fr, let en) = exam.result {
                return try (english ? en : fr).map { try e.encode($0) }
            }
            return []
        }
        karyotype = (try e.encode("46,XX"), try e.encode("46,XY"))
        self.sexWords = sexWords ? (Array("female".utf8), Array("male".utf8))
                                 : (Array("F".utf8), Array("M".utf8))

        func add(_ template: CommentTemplate, to pool: inout Pool) throws {
            var text = template.text
            if newline != [0x0A] {
                text = text.replacingOccurrences(of: "\n", with: String(decoding: newline, as: UTF8.self))
            }
            let parts = text.components(separatedBy: "{n}")
            comments.append(Comment(prefix: try e.encode(parts[0]),
                                    suffix: parts.count > 1 ? try e.encode(parts[1]) : [],
                                    range: template.range, reveals: template.reveals,
                                    eligibility: template.eligibility,
                                    multiline: template.isMultiline))
            if template.language == .english {
                pool.english.append(comments.count - 1)
            } else {
                pool.french.append(comments.count - 1)
            }
        }
        for t in LabCatalogue.neutralComments { try add(t, to: &neutral) }
        for t in LabCatalogue.healthComments { try add(t, to: &health) }
        for condition in LabCatalogue.conditions {
            var pool = Pool()
            for t in condition.comments {
                var t = t
                t.eligibility = condition.eligibility
                try add(t, to: &pool)
            }
            conditionComments.append(pool)
            conditionExams.append(condition.examCodes.map { code in
                exams.firstIndex { $0.code == code }!
            })
        }
        statuses = try LabCatalogue.statuses.map { try e.encode(english ? $0.english : $0.french) }
        emailDomains = Places.emailDomains.map { Array($0.utf8) }
    }
}
