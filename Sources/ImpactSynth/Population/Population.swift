/// Who is who in a synthetic lab leak: laboratories (the controllers), prescribers, patients
/// and their visits. The ground truth is computed from this knowledge, never by classifying
/// the written file.
///
/// Guarantees (tested):
/// - a patient is one person: one birth date, one sex, one NIR body, one address and phone;
/// - two different patients never share (folded family name, first name, birth date):
///   homonyms (same first and family name) exist but are born on different days, so name and
///   birth date always tell people apart (the semantics of ../shared/samples/*.truth.json);
///   swapped-name twins exist too ("Michel BERNARD" and "Bernard MICHEL" born the same day:
///   two people, see ``swappedTwinPerMille``);
/// - two different patients never share a NIR body, nor an e-mail address (a mailbox is one
///   person's: e-mail is a legitimate linking key);
/// - a patient's IPP is local to a laboratory: the same patient has a different IPP at each;
/// - at most two laboratories per patient; a patient at two has at least one visit at each.
struct Population {
    struct Lab {
        var name: String
        var finess: String
        var department: Int
        /// This lab writes family names in upper case.
        var upperCaseNames: Bool
        var ippStyle: Int
        var doctors: Range<Int>
    }

    struct Doctor {
        var first: Int
        var family: Int
        var female: Bool
        var rpps: String
    }

    /// A NIR slot's state at one lab.
    enum NIRState: UInt8 {
        case valid = 0
        case missing = 1
        /// The lab typed the NIR with a wrong key (an invalid identifier seeded on purpose).
        case wrongKey = 2
    }

    /// Where a NIR says the patient was born.
    enum BirthPlace: UInt8 {
        case metropolitan, corsica, overseas, abroad, temporary
    }

    struct Person {
        var family: Int
        var first: Int
        var female: Bool
        var birthDays: Int
        var birthPlace: BirthPlace
        /// Residence.
        var department: Int
        var commune: Int
        var streetType: Int
        var streetName: Int
        /// 0: no house number.
        var houseNumber: Int
        /// 9 digits after the leading 0 of the national format.
        var phone: Int
        var phoneStyle: Int
        /// 0: no e-mail.
        var emailStyle: Int
        var emailDomain: Int
        var emailNumber: Int
        /// Index in ``LabCatalogue/conditions`` or -1.
        var condition: Int
        var labs: (Int, Int)
        var ipp: (Int, Int)
        var nirState: (NIRState, NIRState)
        var doctor: (Int, Int)
    }

    struct Visit {
        var person: Int32
        var slot: UInt8
        var exams: UInt8
        var day: Int32
        var minute: Int16
        var doctor: Int32
        var id: Int32
    }

    var labs: [Lab] = []
    var doctors: [Doctor] = []
    var persons: [Person] = []
    /// 15 ASCII bytes per person: the NIR with its valid key.
    var nirs: [UInt8] = []
    /// Sorted by day, minute, then id.
    var visits: [Visit] = []
    /// Exam rows over all visits.
    var examCount = 0

    /// First and last sampling day (2019-01-01 … 2021-12-31).
    static let firstDay = CivilDate(year: 2019, month: 1, day: 1).days
    static let lastDay = CivilDate(year: 2021, month: 12, day: 31).days

    /// Builds the population for `config`: persons are added until the file's record count is
    /// reached (exam rows, or visits for the nested JSON Lines shape).
    init(config: SynthConfig, random root: SynthRandom) {
        var random = root.stream(1)
        makeLabs(count: config.controllers, records: config.records, random: &random)
        makePersons(config: config, random: &random)
        visits.sort { a, b in
            if a.day != b.day { return a.day < b.day }
            if a.minute != b.minute { return a.minute < b.minute }
            return a.id < b.id
        }
    }

    // MARK: Labs and prescribers

    private mutating func makeLabs(count: Int, records: Int, random: inout SynthRandom) {
        let departments = Places.departments
        // Metropolitan departments weigh 10, Corsica and overseas 2.
        let departmentTable = WeightedTable(departments.map { $0.code.count == 2 && !$0.code.hasPrefix("2A") && !$0.code.hasPrefix("2B") ? 10 : 2 })
        var finessUsed = Set<String>()
        var rppsUsed = Set<String>()
        var ippStyles = Array(0..<LabFormats.ippStyleCount)
        random.shuffle(&ippStyles)
        let weights = Population.labWeights(count)
        let weightSum = weights.reduce(0, +)
        for i in 0..<count {
            var department = departmentTable.draw(&random)
            var name: String
            if i == 2, let first = labs.first {
                // A lab name that repeats in another region, with its own FINESS.
                name = first.name
                while department == first.department { department = departmentTable.draw(&random) }
            } else {
                var attempts = 0
                repeat {
                    name = Population.labName(department: department, random: &random)
                    attempts += 1
                    if attempts > 40 { name += " \u{2013} site \(i + 1)" }
                } while labs.contains(where: { $0.name == name && $0.department == department })
            }
            var finess: String
            repeat {
                finess = Population.finess(department: departments[department].code,
                                           random: &random)
            } while !finessUsed.insert(finess).inserted
            let expected = max(1, records * weights[i] / weightSum)
            let doctorCount = min(800, max(4, expected / 40))
            let start = doctors.count
            for _ in 0..<doctorCount {
                let female = random.chance(perMille: 500)
                let first = female ? PersonNames.female.count : PersonNames.male.count
                var rpps: String
                repeat {
                    rpps = Population.rpps(random: &random)
                } while !rppsUsed.insert(rpps).inserted
                doctors.append(Doctor(first: random.below(first),
                                      family: random.below(PersonNames.family.count),
                                      female: female, rpps: rpps))
            }
            labs.append(Lab(name: name, finess: finess, department: department,
                            upperCaseNames: random.chance(perMille: 500),
                            ippStyle: ippStyles[i % ippStyles.count],
                            doctors: start..<doctors.count))
        }
    }

    /// Relative sizes of the labs: the first is the largest (about 1/(i+2)).
    static func labWeights(_ count: Int) -> [Int] {
        (0..<count).map { 120_000 / ($0 + 2) }
    }

    static func labName(department: Int, random: inout SynthRandom) -> String {
        if random.chance(perMille: 150) { return random.pick(Places.genericLabNames) }
        let theme = random.pick(Places.departments[department].themes)
        let pattern = random.pick(Places.labPatterns)
        return pattern.replacingOccurrences(of: "%", with: theme)
    }

    /// A FINESS: the department (Corsica written 20 so that the Luhn key applies; overseas on
    /// three digits), digits, and the Luhn check digit over the first 8 (regulatory.md §6.6).
    static func finess(department code: String, random: inout SynthRandom) -> String {
        var prefix = code
        if code == "2A" || code == "2B" { prefix = "20" }
        var digits = Array(prefix.utf8)
        while digits.count < 8 { digits.append(UInt8(48 + random.below(10))) }
        digits.append(48 + CheckDigits.luhnDigit(for: digits))
        return String(decoding: digits, as: UTF8.self)
    }

    /// An RPPS: 10, eight digits, Luhn check digit (regulatory.md §6.4).
    static func rpps(random: inout SynthRandom) -> String {
        var digits: [UInt8] = [49, 48]
        for _ in 0..<8 { digits.append(UInt8(48 + random.below(10))) }
        digits.append(48 + CheckDigits.luhnDigit(for: digits))
        return String(decoding: digits, as: UTF8.self)
    }

    // MARK: Patients and visits

    private static let examsPerPatient = WeightedTable([15, 16, 15, 14, 12, 11, 9, 8])
    private static let visitsPerPatient = WeightedTable([40, 30, 18, 12])

    private mutating func makePersons(config: SynthConfig, random: inout SynthRandom) {
        let nested = config.shape == .jsonLinesNested
        let target = config.records
        let labTable = WeightedTable(Population.labWeights(labs.count))
        let familyTable = WeightedTable.zipf(count: PersonNames.family.count, offset: 4)
        let femaleTable = WeightedTable.zipf(count: PersonNames.female.count, offset: 6)
        let maleTable = WeightedTable.zipf(count: PersonNames.male.count, offset: 6)
        let emailTable = WeightedTable.zipf(count: Places.emailDomains.count, offset: 2)
        let conditions = LabCatalogue.conditions
        let drugConditions = conditions.indices.filter { conditions[$0].name != "pregnancy" && conditions[$0].name != "genetic" }
        let pregnancy = conditions.firstIndex { $0.name == "pregnancy" }!
        let genetic = conditions.firstIndex { $0.name == "genetic" }!

        let familyEmail = PersonNames.family.map { Array(ASCIIFold.emailPart($0).utf8) }
        let femaleEmail = PersonNames.female.map { Array(ASCIIFold.emailPart($0).utf8) }
        let maleEmail = PersonNames.male.map { Array(ASCIIFold.emailPart($0).utf8) }
        let domains = Places.emailDomains.map { Array($0.utf8) }
        var emails = Set<[UInt8]>()
        var identityKeys = Set<UInt64>()
        var nirBodies = Set<UInt64>()
        var ippNext = labs.map { _ in 0 }
        var units = 0
        var visitID: Int32 = 0
        var examSplit: [Int] = []

        // Family names that are also given names (Bernard, Michel, Laurent…): index in the family
        // list → index in the female / male list, for swapped-name twins.
        let familyAsFemale = Population.crossIndex(PersonNames.family, PersonNames.female)
        let familyAsMale = Population.crossIndex(PersonNames.family, PersonNames.male)
        let femaleAsFamily = Population.crossIndex(PersonNames.female, PersonNames.family)
        let maleAsFamily = Population.crossIndex(PersonNames.male, PersonNames.family)
        var swappedTwin: (family: Int, first: Int, female: Bool, birthDays: Int)?

        while units < target {
            let index = persons.count
            var female = random.chance(perMille: 520)
            var first = female ? femaleTable.draw(&random) : maleTable.draw(&random)
            var family = familyTable.draw(&random)
            // Birth date, unique with the name (homonyms are born on different days).
            var birthDays = 0
            if let twin = swappedTwin, identityKeys.insert(UInt64(twin.family) << 40 | UInt64(twin.first) << 24
                                                        | (twin.female ? 1 << 23 : 0) | UInt64(twin.birthDays + 40_000)).inserted {
                // Another person, born the same day, whose family and given names are the
                // previous one's swapped ("Michel BERNARD" / "Bernard MICHEL"): name + birth date
                // must keep the two apart, so the name key may not ignore which part is which.
                (family, first, female, birthDays) = twin
            } else {
                repeat {
                    birthDays = Population.birthDay(random: &random)
                } while !identityKeys.insert(UInt64(family) << 40 | UInt64(first) << 24
                                             | (female ? 1 << 23 : 0) | UInt64(birthDays + 40_000)).inserted
            }
            swappedTwin = nil
            if let asFirst = (female ? familyAsFemale : familyAsMale)[family],
               let asFamily = (female ? femaleAsFamily : maleAsFamily)[first],
               random.chance(perMille: Population.swappedTwinPerMille) {
                swappedTwin = (asFamily, asFirst, female, birthDays)
            }

            var exams = Population.examsPerPatient.draw(&random) + 1
            var visitCount = min(exams, Population.visitsPerPatient.draw(&random) + 1)
            if nested {
                if units + visitCount > target { visitCount = target - units }
                exams = max(exams, visitCount)
                units += visitCount
            } else {
                if units + exams > target { exams = target - units }
                visitCount = min(visitCount, exams)
                units += exams
            }

            let lab0 = labTable.draw(&random)
            var lab1 = -1
            if visitCount >= 2 && labs.count >= 2 && random.chance(perMille: 40) {
                repeat { lab1 = labTable.draw(&random) } while lab1 == lab0
            }

            let residence = random.chance(perMille: 800)
                ? labs[lab0].department : random.below(Places.departments.count)
            let birthYear = CivilDate(days: birthDays).year
            let birthPlace = Population.birthPlace(random: &random)
            let nir = Population.nir(female: female, birth: CivilDate(days: birthDays),
                                     place: birthPlace, birthYear: birthYear,
                                     residence: Places.departments[residence].code,
                                     random: &random, used: &nirBodies)
            nirs.append(contentsOf: nir)

            // NIR as each lab holds it.
            let missingEverywhere = random.chance(perMille: 60)
            func slotState(_ slot: Int, random: inout SynthRandom) -> NIRState {
                if missingEverywhere { return .missing }
                if slot == 1 && random.chance(perMille: 100) { return .missing }
                if random.chance(perMille: 15) { return .wrongKey }
                return .valid
            }
            let state0 = slotState(0, random: &random)
            let state1 = lab1 >= 0 ? slotState(1, random: &random) : .missing

            func ipp(_ lab: Int, random: inout SynthRandom) -> Int {
                ippNext[lab] += 1 + random.below(5)
                return ippNext[lab]
            }
            let ipp0 = ipp(lab0, random: &random)
            let ipp1 = lab1 >= 0 ? ipp(lab1, random: &random) : 0
            func usualDoctor(_ lab: Int, random: inout SynthRandom) -> Int {
                let range = labs[lab].doctors
                return range.lowerBound + random.below(range.count)
            }
            let doctor0 = usualDoctor(lab0, random: &random)
            let doctor1 = lab1 >= 0 ? usualDoctor(lab1, random: &random) : -1

            // Condition shown in some records.
            var condition = -1
            let ageIn2020 = 2020 - birthYear
            if female && (17...44).contains(ageIn2020) && random.chance(perMille: 300) {
                condition = pregnancy
            } else if random.chance(perMille: 30) {
                condition = genetic
            } else if ageIn2020 >= 18 && random.chance(perMille: 150) {
                condition = random.pick(drugConditions)
            }

            let department = Places.departments[residence]
            // An e-mail for 60 %, unique: redraw its style, domain and number on a clash.
            var email = (style: 0, domain: 0, number: 0)
            if random.chance(perMille: 600) {
                for _ in 0..<20 {
                    let candidate = (style: 1 + random.below(LabFormats.emailStyleCount),
                                     domain: emailTable.draw(&random), number: random.int(in: 1...99))
                    var bytes: [UInt8] = []
                    EmailAddress.write(style: candidate.style, family: familyEmail[family],
                                       first: female ? femaleEmail[first] : maleEmail[first],
                                       number: candidate.number, birthYear: birthYear,
                                       domain: domains[candidate.domain], into: &bytes)
                    if emails.insert(bytes).inserted { email = candidate; break }
                }
            }
            persons.append(Person(
                family: family, first: first, female: female, birthDays: birthDays,
                birthPlace: birthPlace, department: residence,
                commune: random.below(department.communes.count),
                streetType: random.below(Places.streetTypes.count),
                streetName: random.below(Places.streetNames.count),
                houseNumber: random.chance(perMille: 850) ? random.int(in: 1...180) : 0,
                phone: Population.phoneDigits(random: &random),
                phoneStyle: random.below(LabFormats.phoneStyleCount),
                emailStyle: email.style,
                emailDomain: email.domain,
                emailNumber: email.number,
                condition: condition,
                labs: (lab0, lab1), ipp: (ipp0, ipp1), nirState: (state0, state1),
                doctor: (doctor0, doctor1)))

            // Visits: split the exams, place them in time, at the labs.
            examSplit.removeAll(keepingCapacity: true)
            for _ in 0..<visitCount { examSplit.append(1) }
            for _ in 0..<(exams - visitCount) { examSplit[random.below(visitCount)] += 1 }
            for v in 0..<visitCount {
                var slot: UInt8 = 0
                if lab1 >= 0 { slot = v == 1 ? 1 : (v == 0 ? 0 : (random.chance(perMille: 300) ? 1 : 0)) }
                let lab = slot == 0 ? lab0 : lab1
                let usual = slot == 0 ? doctor0 : doctor1
                let doctor = random.chance(perMille: 850) ? usual
                    : labs[lab].doctors.lowerBound + random.below(labs[lab].doctors.count)
                var day = Population.firstDay + random.below(Population.lastDay - Population.firstDay + 1)
                if day < birthDays { day = birthDays + random.below(30) }
                visits.append(Visit(person: Int32(index), slot: slot,
                                    exams: UInt8(examSplit[v]),
                                    day: Int32(min(day, Population.lastDay)),
                                    minute: Int16(7 * 60 + random.below(12 * 60)),
                                    doctor: Int32(doctor), id: visitID))
                visitID += 1
            }
            examCount += exams
        }
    }

    /// Chance (per mille) that a person whose family name is also a given name, and given name
    /// also a family name, gets a swapped-name twin born the same day.
    static let swappedTwinPerMille = 150

    /// For each name of `from`, its index in `to` (same spelling), if any.
    static func crossIndex(_ from: [String], _ to: [String]) -> [Int: Int] {
        var position: [String: Int] = [:]
        for (i, name) in to.enumerated() where position[name] == nil { position[name] = i }
        var map: [Int: Int] = [:]
        for (i, name) in from.enumerated() { if let j = position[name] { map[i] = j } }
        return map
    }

    /// Birth dates: 8 % minors, 60 % aged 18–64, 32 % 65–95 (in 2019), none after 2018.
    static func birthDay(random: inout SynthRandom) -> Int {
        let r = random.below(100)
        let age = r < 8 ? random.int(in: 1...17) : (r < 68 ? random.int(in: 18...64) : random.int(in: 65...95))
        let year = 2019 - age
        let start = CivilDate(year: year, month: 1, day: 1).days
        let end = CivilDate(year: year, month: 12, day: 31).days
        return start + random.below(end - start + 1)
    }

    static func birthPlace(random: inout SynthRandom) -> BirthPlace {
        let r = random.below(1000)
        switch r {
        case ..<15: return .corsica
        case ..<40: return .overseas
        case ..<90: return .abroad
        case ..<110: return .temporary
        default: return .metropolitan
        }
    }

    /// A NIR with a valid key (regulatory.md §6.1, §6.2): sex digit (1/2, or 7/8 for a
    /// temporary number), year and month of birth, department (2A/2B for Corsicans born from
    /// 1976, 20 before; 97x with a 2-digit commune overseas; 99 and a country code abroad),
    /// commune, order number, key. Unique body per person.
    static func nir(female: Bool, birth: CivilDate, place: BirthPlace, birthYear: Int,
                    residence: String, random: inout SynthRandom,
                    used: inout Set<UInt64>) -> [UInt8] {
        while true {
            var body: [UInt8] = []
            body.reserveCapacity(15)
            let sex = place == .temporary ? (female ? 8 : 7) : (female ? 2 : 1)
            Digits.append(sex, to: &body)
            Digits.append(birth.year % 100, width: 2, to: &body)
            Digits.append(birth.month, width: 2, to: &body)
            switch place {
            case .metropolitan:
                var department: Int
                if random.chance(perMille: 500), let d = Int(residence), d >= 1, d <= 95, d != 20 {
                    department = d
                } else {
                    repeat { department = random.int(in: 1...95) } while department == 20
                }
                Digits.append(department, width: 2, to: &body)
                Digits.append(random.int(in: 1...899), width: 3, to: &body)
            case .corsica:
                if birthYear >= 1976 {
                    body.append(contentsOf: random.chance(perMille: 500) ? Array("2A".utf8) : Array("2B".utf8))
                } else {
                    body.append(contentsOf: Array("20".utf8))
                }
                Digits.append(random.int(in: 1...366), width: 3, to: &body)
            case .overseas:
                Digits.append(random.pick([971, 972, 973, 974, 976]), width: 3, to: &body)
                Digits.append(random.int(in: 1...34), width: 2, to: &body)
            case .abroad, .temporary:
                body.append(contentsOf: Array("99".utf8))
                body.append(contentsOf: Array(random.pick(Places.countryCodes).utf8))
            }
            Digits.append(random.int(in: 1...999), width: 3, to: &body)
            precondition(body.count == 13)
            // Identity of the body: digits, with the Corsican letters kept apart.
            var identity: UInt64 = 0
            for b in body {
                identity = identity * 16 + (b >= 65 ? UInt64(b - 65 + 10) : UInt64(b - 48))
            }
            guard used.insert(identity).inserted else { continue }
            let key = CheckDigits.nirKey(body: body)!
            Digits.append(key, width: 2, to: &body)
            return body
        }
    }

    /// Nine digits after the leading 0: mobiles 6/7 (7 as 73–79), landlines 1–5, VoIP 9.
    static func phoneDigits(random: inout SynthRandom) -> Int {
        let r = random.below(100)
        let lead = r < 45 ? 6 : (r < 55 ? 7 : (r < 92 ? 1 + random.below(5) : 9))
        var rest = random.below(100_000_000)
        if lead == 7 { rest = (3 + random.below(7)) * 10_000_000 + rest % 10_000_000 }
        return lead * 100_000_000 + rest
    }

    // MARK: Queries

    /// The NIR (15 ASCII bytes, valid key) of person `index`.
    func nir(_ index: Int) -> ArraySlice<UInt8> {
        nirs[(index * 15)..<(index * 15 + 15)]
    }

    /// The lab of a person's slot.
    @inline(__always) func lab(of person: Person, slot: Int) -> Int {
        slot == 0 ? person.labs.0 : person.labs.1
    }

    @inline(__always) func nirState(of person: Person, slot: Int) -> NIRState {
        slot == 0 ? person.nirState.0 : person.nirState.1
    }

    @inline(__always) func ipp(of person: Person, slot: Int) -> Int {
        slot == 0 ? person.ipp.0 : person.ipp.1
    }
}

/// Counts of the display variants the writers know (phones, e-mails, IPPs).
enum LabFormats {
    /// 0 "0612345678", 1 "06 12 34 56 78", 2 "06.12.34.56.78", 3 "+33 6 12 34 56 78",
    /// 4 "+33612345678".
    static let phoneStyleCount = 5
    /// 1 prenom.nom, 2 p+nom, 3 nom.prenom+NN, 4 prenomnom+YY (birth year).
    static let emailStyleCount = 4
    /// 0 "P0" + 6 digits, 1 "XK" + 6 digits, 2 "2000" + 6 digits, 3 8 digits, 4 "N" + 7 digits.
    static let ippStyleCount = 5
}
