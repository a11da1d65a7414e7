/// How a lab export writes its values.
struct LabStyle {
    var englishLabels: Bool
    /// yyyy-mm-dd instead of dd/mm/yyyy.
    var isoDates: Bool
    /// `female`/`male` instead of `F`/`M`.
    var sexWords: Bool
    /// Decimal mark of results.
    var decimal: UInt8
    /// Share (‰) of comments drawn in English.
    var englishCommentPerMille: Int
    /// Sampling date with a time (`2019-01-02T08:15:00`).
    var samplingTime: Bool

    init(shape: SynthShape) {
        switch shape {
        case .englishHeaders:
            self.init(englishLabels: true, isoDates: true, sexWords: true,
                      decimal: UInt8(ascii: "."), englishCommentPerMille: 600, samplingTime: false)
        case .jsonLinesNested, .jsonArray:
            self.init(englishLabels: false, isoDates: true, sexWords: false,
                      decimal: UInt8(ascii: "."), englishCommentPerMille: 60, samplingTime: true)
        default:
            self.init(englishLabels: false, isoDates: false, sexWords: false,
                      decimal: UInt8(ascii: ","), englishCommentPerMille: 60, samplingTime: false)
        }
    }

    init(englishLabels: Bool, isoDates: Bool, sexWords: Bool, decimal: UInt8,
         englishCommentPerMille: Int, samplingTime: Bool) {
        self.englishLabels = englishLabels; self.isoDates = isoDates; self.sexWords = sexWords
        self.decimal = decimal; self.englishCommentPerMille = englishCommentPerMille
        self.samplingTime = samplingTime
    }
}

/// One visit being written: who, where, when.
struct VisitContext {
    var person: Int
    /// The person's record (copied once per visit).
    var patient: Population.Person
    var slot: Int
    var lab: Int
    var doctor: Int
    var day: Int
    var minute: Int
    var visitID: Int
    var age: Int
}

/// One exam row of a visit, as drawn.
struct ExamRow {
    var exam: Int
    /// Scaled number, or text index.
    var result: Int
    /// Index in ``EncodedLexicon/comments`` or -1.
    var comment: Int
    var commentNumber: Int
    var status: Int
    /// Exam and comment tags.
    var reveals: Reveals
}

/// Writes the bytes of one field value of a lab export (no quoting or escaping: the CSV and
/// JSON writers add it).
struct LabValueWriter {
    let population: Population
    let lexicon: EncodedLexicon
    let style: LabStyle

    func write(_ field: LabField, _ v: VisitContext, _ row: ExamRow, into s: inout [UInt8]) {
        let person = v.patient
        switch field {
        case .familyName:
            s.append(contentsOf: population.labs[v.lab].upperCaseNames
                     ? lexicon.familyUpper[person.family] : lexicon.family[person.family])
        case .firstName:
            s.append(contentsOf: person.female ? lexicon.female[person.first] : lexicon.male[person.first])
        case .birthDate:
            writeDate(person.birthDays, into: &s)
        case .sex:
            s.append(contentsOf: person.female ? lexicon.sexWords.female : lexicon.sexWords.male)
        case .nir:
            writeNIR(v, into: &s)
        case .ipp:
            writeIPP(v, into: &s)
        case .street:
            if person.houseNumber > 0 {
                Digits.append(person.houseNumber, to: &s)
                if person.houseNumber % 17 == 0 { s.append(contentsOf: LabValueWriter.bis) }
                s.append(UInt8(ascii: ","))
                s.append(UInt8(ascii: " "))
            }
            s.append(contentsOf: lexicon.streetTypes[person.streetType])
            s.append(UInt8(ascii: " "))
            s.append(contentsOf: lexicon.streetNames[person.streetName])
        case .postalCode:
            s.append(contentsOf: lexicon.postalCodes[person.department][person.commune])
        case .city:
            s.append(contentsOf: lexicon.communes[person.department][person.commune])
        case .phone:
            writePhone(person.phone, style: person.phoneStyle, into: &s)
        case .email:
            writeEmail(person, into: &s)
        case .prescriber:
            s.append(contentsOf: lexicon.doctorNames[v.doctor])
        case .rpps:
            s.append(contentsOf: lexicon.doctorRPPS[v.doctor])
        case .labName:
            s.append(contentsOf: lexicon.labNames[v.lab])
        case .finess:
            s.append(contentsOf: lexicon.labFiness[v.lab])
        case .samplingDate:
            writeDate(v.day, into: &s)
            if style.samplingTime {
                s.append(UInt8(ascii: "T"))
                Digits.append(v.minute / 60, width: 2, to: &s)
                s.append(UInt8(ascii: ":"))
                Digits.append(v.minute % 60, width: 2, to: &s)
                s.append(contentsOf: LabValueWriter.zeroSeconds)
            }
        case .examCode:
            s.append(contentsOf: lexicon.examCodes[row.exam])
        case .examLabel:
            s.append(contentsOf: lexicon.examLabels[row.exam])
        case .result:
            switch LabCatalogue.exams[row.exam].result {
            case .number(_, _, let decimals):
                Digits.appendDecimal(row.result, decimals: decimals, separator: style.decimal, to: &s)
            case .text:
                s.append(contentsOf: lexicon.examTexts[row.exam][row.result])
            case .karyotype:
                s.append(contentsOf: person.female ? lexicon.karyotype.female : lexicon.karyotype.male)
            }
        case .unit:
            s.append(contentsOf: lexicon.examUnits[row.exam])
        case .status:
            s.append(contentsOf: lexicon.statuses[row.status])
        case .comment:
            guard row.comment >= 0 else { return }
            let c = lexicon.comments[row.comment]
            s.append(contentsOf: c.prefix)
            if c.range != nil {
                Digits.append(row.commentNumber, to: &s)
                s.append(contentsOf: c.suffix)
            }
        }
    }

    static let bis: [UInt8] = Array(" bis".utf8)
    static let zeroSeconds: [UInt8] = Array(":00".utf8)

    func writeDate(_ days: Int, into s: inout [UInt8]) {
        let d = CivilDate(days: days)
        if style.isoDates {
            Digits.append(d.year, width: 4, to: &s)
            s.append(UInt8(ascii: "-"))
            Digits.append(d.month, width: 2, to: &s)
            s.append(UInt8(ascii: "-"))
            Digits.append(d.day, width: 2, to: &s)
        } else {
            Digits.append(d.day, width: 2, to: &s)
            s.append(UInt8(ascii: "/"))
            Digits.append(d.month, width: 2, to: &s)
            s.append(UInt8(ascii: "/"))
            Digits.append(d.year, width: 4, to: &s)
        }
    }

    /// The NIR as the visit's lab holds it: valid, absent, or with a wrong key (the valid key
    /// shifted by 1–9 within 01–97, so it never matches).
    func writeNIR(_ v: VisitContext, into s: inout [UInt8]) {
        let person = v.patient
        let nir = population.nir(v.person)
        switch population.nirState(of: person, slot: v.slot) {
        case .missing:
            return
        case .valid:
            s.append(contentsOf: nir)
        case .wrongKey:
            s.append(contentsOf: nir.prefix(13))
            let key = Int(nir[nir.startIndex + 13] - 48) * 10 + Int(nir[nir.startIndex + 14] - 48)
            Digits.append(LabValueWriter.wrongKey(key, shift: 1 + (v.person &* 7 &+ v.slot) % 9),
                          width: 2, to: &s)
        }
    }

    /// A key in 01–97 different from `key`.
    static func wrongKey(_ key: Int, shift: Int) -> Int {
        (key - 1 + shift) % 97 + 1
    }

    func writeIPP(_ v: VisitContext, into s: inout [UInt8]) {
        let person = v.patient
        let n = population.ipp(of: person, slot: v.slot)
        let base = 100_000 + (v.lab &* 37_123) % 400_000
        switch population.labs[v.lab].ippStyle {
        case 0:
            s.append(UInt8(ascii: "P")); s.append(UInt8(ascii: "0"))
            Digits.append(base + n, width: 6, to: &s)
        case 1:
            s.append(UInt8(ascii: "X")); s.append(UInt8(ascii: "K"))
            Digits.append(base + n, width: 6, to: &s)
        case 2:
            s.append(contentsOf: [50, 48, 48, 48])  // "2000"
            Digits.append(base + n, width: 6, to: &s)
        case 3:
            Digits.append(base * 2 + n, width: 8, to: &s)
        default:
            s.append(UInt8(ascii: "N"))
            Digits.append(base + n, width: 7, to: &s)
        }
    }

    /// Phones in the formats of ``LabFormats/phoneStyleCount``.
    func writePhone(_ digits: Int, style: Int, into s: inout [UInt8]) {
        // digits: 9 digits after the 0 (first is the 1–9 zone).
        let zone = digits / 100_000_000
        let rest = digits % 100_000_000
        let pairs = [rest / 1_000_000, rest / 10_000 % 100, rest / 100 % 100, rest % 100]
        switch style {
        case 0, 1, 2:
            let sep: UInt8? = style == 0 ? nil : (style == 1 ? UInt8(ascii: " ") : UInt8(ascii: "."))
            s.append(UInt8(ascii: "0"))
            Digits.append(zone, to: &s)
            for p in pairs {
                if let sep { s.append(sep) }
                Digits.append(p, width: 2, to: &s)
            }
        case 3:
            s.append(contentsOf: LabValueWriter.plus33Space)
            Digits.append(zone, to: &s)
            for p in pairs {
                s.append(UInt8(ascii: " "))
                Digits.append(p, width: 2, to: &s)
            }
        default:
            s.append(contentsOf: LabValueWriter.plus33)
            Digits.append(zone, to: &s)
            for p in pairs { Digits.append(p, width: 2, to: &s) }
        }
    }

    static let plus33Space: [UInt8] = Array("+33 ".utf8)
    static let plus33: [UInt8] = Array("+33".utf8)

    /// The person's e-mail (styles of ``LabFormats/emailStyleCount``), or nothing.
    func writeEmail(_ person: Population.Person, into s: inout [UInt8]) {
        guard person.emailStyle > 0 else { return }
        EmailAddress.write(style: person.emailStyle,
                           family: lexicon.familyEmail[person.family],
                           first: person.female ? lexicon.femaleEmail[person.first] : lexicon.maleEmail[person.first],
                           number: person.emailNumber,
                           birthYear: CivilDate(days: person.birthDays).year,
                           domain: lexicon.emailDomains[person.emailDomain], into: &s)
    }
}

/// E-mail addresses built from ASCII-folded names (``ASCIIFold/emailPart(_:)``).
enum EmailAddress {
    /// 1 prenom.nom, 2 initial + nom, 3 nom.prenom + number, 4 prenomnom + 2-digit birth year.
    static func write(style: Int, family: [UInt8], first: [UInt8], number: Int, birthYear: Int,
                      domain: [UInt8], into s: inout [UInt8]) {
        switch style {
        case 1:
            s.append(contentsOf: first); s.append(UInt8(ascii: ".")); s.append(contentsOf: family)
        case 2:
            s.append(first[0]); s.append(contentsOf: family)
        case 3:
            s.append(contentsOf: family); s.append(UInt8(ascii: ".")); s.append(contentsOf: first)
            Digits.append(number, to: &s)
        default:
            s.append(contentsOf: first); s.append(contentsOf: family)
            Digits.append(birthYear % 100, width: 2, to: &s)
        }
        s.append(UInt8(ascii: "@"))
        s.append(contentsOf: domain)
    }
}
