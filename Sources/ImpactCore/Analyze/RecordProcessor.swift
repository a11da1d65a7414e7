import ImpactIngest
import ImpactDetect

/// The per-field state of an analysis, indexed by global field id (fields of several inputs
/// with the same name are one field).
struct FieldTable {
    var names: [String] = []
    var idOfName: [String: Int] = [:]
    var header: [HeaderMatch?] = []
    var sampleEvidence: [FieldEvidence] = []
    var fileEvidence: [FieldEvidence] = []
    var plans: [FieldPlan?] = []
    var kinds: [FieldKind] = []

    mutating func id(for name: String, headers: HeaderLexicon) -> Int {
        if let i = idOfName[name] { return i }
        let i = names.count
        names.append(name)
        idOfName[name] = i
        header.append(headers.match(name))
        sampleEvidence.append(FieldEvidence())
        fileEvidence.append(FieldEvidence())
        plans.append(nil)
        kinds.append(.undecided)
        return i
    }
}

/// What the hot loop does with a value: a compact code derived from the field's plan.
enum FieldKind: UInt8 {
    case undecided, ignore, categoriesOnly, scan
    case nir, birthDate, lastName, firstName, fullName, patientID, email, phone
    case controllerID, controllerName, prescriberID, prescriberName
}

/// Categories that make a record's subject identifiable (directly or indirectly): a record
/// with none of them is analysed but not counted as a data subject.
let identifyingCategories = CategorySet([.personName, .nationalID, .birthDate, .postalAddress, .phoneNumber,
                                         .emailAddress, .patientID, .financial, .onlineIdentifier])

/// Applies the field plans to records: per-record category bits, subject keys, controller,
/// health professionals. One instance per analysis (and later per thread).
final class RecordProcessor {
    var fields = FieldTable()
    let headers: HeaderLexicon
    let classifier = ColumnClassifier()
    var inspector: CellInspector
    let hasher: SubjectKeyHasher
    let linker = SubjectLinker()
    let controllers = ControllerRegistry()
    var controllerColumn: String?
    var analysedRecords = 0
    var recordsWithoutIdentifier = 0

    // Scratch buffers, reused for every record.
    private var nir: [UInt8] = []
    private var nirKeyAbsent = false
    private var dob: [UInt8] = []
    private var nameTokens: [UInt8] = []
    private var folded: [UInt8] = []
    private var scratch: [UInt8] = []
    private var tokenRanges: [Range<Int>] = []

    init(lexicon: TermLexicon, headers: HeaderLexicon, hasher: SubjectKeyHasher, controllerColumn: String?) {
        self.inspector = CellInspector(lexicon: lexicon)
        self.headers = headers
        self.hasher = hasher
        self.controllerColumn = controllerColumn
    }

    // MARK: classification

    /// Content evidence from a sample record (every cheap check).
    func observeSample(_ r: RecordBuffer, map: [Int]) {
        for i in 0..<r.count {
            let g = map[r.fieldID(at: i)]
            guard fields.plans[g] == nil else { continue }
            r.withValue(at: i) { v in
                let t = trimmed(v)
                if t.count > 0 { inspector.inspectAll(t, into: &fields.sampleEvidence[g]) }
            }
        }
    }

    /// Decides every field that has no plan yet.
    func decideUndecided() {
        var newlyDecided: [Int] = []
        for g in 0..<fields.names.count where fields.plans[g] == nil {
            var header = fields.header[g]
            if let cc = controllerColumn, fields.names[g] == cc {
                header = HeaderMatch(role: .controllerID, synonym: "--controller-column", strength: 1, context: nil)
            }
            let plan = classifier.plan(name: fields.names[g], header: header, evidence: fields.sampleEvidence[g])
            fields.plans[g] = plan
            fields.kinds[g] = kind(of: plan, name: fields.names[g])
            newlyDecided.append(g)
        }
        // Family names: a name-shaped column beside a column of given names.
        for g in newlyDecided where fields.plans[g]?.role == nil && fields.header[g] == nil {
            let beside = [g - 1, g + 1].contains { $0 >= 0 && $0 < fields.names.count && fields.plans[$0]?.role == .firstName }
            if let plan = classifier.familyNamePlan(fields.sampleEvidence[g], besideGivenNames: beside) {
                fields.plans[g] = plan
                fields.kinds[g] = kind(of: plan, name: fields.names[g])
            }
        }
    }

    private func kind(of plan: FieldPlan, name: String) -> FieldKind {
        // With --controller-column, only that column identifies the controller.
        if let cc = controllerColumn, name != cc, plan.role == .controllerID { return .ignore }
        guard let role = plan.role else { return plan.scansLexicon ? .scan : .ignore }
        switch role {
        case .nir: return .nir
        case .birthDate: return .birthDate
        case .lastName: return .lastName
        case .firstName: return .firstName
        case .fullName: return .fullName
        case .patientID: return .patientID
        case .email: return .email
        case .phone: return .phone
        case .controllerID: return .controllerID
        case .controllerName: return .controllerName
        case .prescriberID: return .prescriberID
        case .prescriberName: return .prescriberName
        default:
            if plan.scansLexicon { return .scan }
            return plan.categories.rawValue == 0 ? .ignore : .categoriesOnly
        }
    }

    // MARK: per record

    /// Analyses one record under the decided plans.
    func process(_ r: RecordBuffer, map: [Int]) {
        analysedRecords += 1
        var mask: UInt32 = 0
        var idRange = -1, nameRange = -1, lastRange = -1, firstRange = -1, fullRange = -1
        var pidRange = -1, emailRange = -1, phoneRange = -1, rppsRange = -1, prescriberNameRange = -1
        var haveNIR = false, haveDOB = false
        nir.removeAll(keepingCapacity: true)
        dob.removeAll(keepingCapacity: true)

        for i in 0..<r.count {
            let g = map[r.fieldID(at: i)]
            let k = fields.kinds[g]
            if k == .ignore { r.withValue(at: i) { v in if trimmed(v).count > 0 { fields.fileEvidence[g].values += 1 } }; continue }
            r.withValue(at: i) { raw in
                let v = trimmed(raw)
                guard v.count > 0 else { return }
                fields.fileEvidence[g].values += 1
                switch k {
                case .undecided, .ignore:
                    break
                case .categoriesOnly:
                    mask |= fields.plans[g]!.categories.rawValue
                case .scan:
                    mask |= fields.plans[g]!.categories.rawValue
                    let hits = inspector.scan(v)
                    if hits.categories.rawValue != 0 {
                        fields.fileEvidence[g].noteTerms(hits)
                        mask |= hits.categories.closed.rawValue
                    }
                case .nir:
                    if haveNIR { return }
                    switch NIRValidator.check(v, normalized: &scratch) {
                    case .valid(let kind):
                        fields.fileEvidence[g].nirValid += 1
                        if kind == .temporary { fields.fileEvidence[g].nirTemporary += 1 }
                        mask |= DataCategory.nationalID.bit
                        nir.append(contentsOf: scratch.prefix(13))
                        haveNIR = true
                    case .keyAbsent:
                        fields.fileEvidence[g].nirKeyAbsent += 1
                        nir.append(contentsOf: scratch.prefix(13))
                        haveNIR = true
                    case .invalidKey:
                        fields.fileEvidence[g].nirInvalidKey += 1
                    case .malformed:
                        break
                    }
                case .birthDate:
                    mask |= DataCategory.birthDate.bit
                    if !haveDOB, let d = DateParser.parse(v) {
                        fields.fileEvidence[g].date += 1
                        appendDate(d, to: &dob)
                        haveDOB = true
                    }
                case .lastName: mask |= DataCategory.personName.bit; if lastRange < 0 { lastRange = i }
                case .firstName: mask |= DataCategory.personName.bit; if firstRange < 0 { firstRange = i }
                case .fullName: mask |= DataCategory.personName.bit; if fullRange < 0 { fullRange = i }
                case .patientID: mask |= DataCategory.patientID.bit; if pidRange < 0 { pidRange = i }
                case .email: mask |= DataCategory.emailAddress.bit; if emailRange < 0 { emailRange = i }
                case .phone: mask |= DataCategory.phoneNumber.bit; if phoneRange < 0 { phoneRange = i }
                case .controllerID: if idRange < 0 { idRange = i }
                case .controllerName: if nameRange < 0 { nameRange = i }
                case .prescriberID:
                    mask |= DataCategory.healthProfessional.bit
                    if rppsRange < 0 { rppsRange = i }
                case .prescriberName:
                    mask |= DataCategory.healthProfessional.bit
                    if prescriberNameRange < 0 { prescriberNameRange = i }
                }
            }
        }

        // Controller.
        let ctrl = controllerIndex(r, idRange: idRange, nameRange: nameRange)

        // Health professionals: by RPPS when it validates, else by folded name.
        if rppsRange >= 0 || prescriberNameRange >= 0 {
            var key: SubjectKey?
            if rppsRange >= 0 {
                r.withValue(at: rppsRange) { v in
                    let t = trimmed(v)
                    if RPPSValidator.check(t, normalized: &scratch).isAccepted {
                        key = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.nationalID), 0x52), scratch))
                    } else if ADELIValidator.check(t, normalized: &scratch).isAccepted {
                        key = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.nationalID), 0x41), scratch))
                    } else {
                        fields.fileEvidence[map[r.fieldID(at: rppsRange)]].rppsInvalidKey += 1
                    }
                }
            }
            if key == nil && prescriberNameRange >= 0 {
                r.withValue(at: prescriberNameRange) { v in
                    if sortedNameTokens(v, nil) {
                        key = hasher.finish(hasher.absorb(hasher.absorb(hasher.begin(.nameAndBirthDate), 0x50), nameTokens))
                    }
                }
            }
            if let key { linker.addHealthProfessional(key, controller: ctrl) }
        }

        // Subject keys.
        guard mask & identifyingCategories.rawValue != 0 else {
            recordsWithoutIdentifier += 1
            return
        }
        linker.beginRecord()
        if haveNIR {
            var h = hasher.absorb(hasher.begin(.nationalID), nir)
            h = hasher.absorb(h, dob)
            linker.addKey(hasher.finish(h), kind: .nationalID)
        }
        if haveDOB {
            var ok = false
            if lastRange >= 0 || firstRange >= 0 {
                ok = r.withValue(at: max(lastRange, 0)) { last in
                    let l: UnsafeRawBufferPointer? = lastRange >= 0 ? last : nil
                    if firstRange >= 0 {
                        return r.withValue(at: firstRange) { first in sortedNameTokens(l ?? UnsafeRawBufferPointer(start: nil, count: 0), first) }
                    }
                    return sortedNameTokens(l ?? UnsafeRawBufferPointer(start: nil, count: 0), nil)
                }
            } else if fullRange >= 0 {
                ok = r.withValue(at: fullRange) { sortedNameTokens($0, nil) }
            }
            if ok {
                let h = hasher.absorb(hasher.absorb(hasher.begin(.nameAndBirthDate), nameTokens), dob)
                linker.addKey(hasher.finish(h), kind: .nameAndBirthDate)
            }
        }
        if pidRange >= 0 {
            r.withValue(at: pidRange) { v in
                let t = trimmed(v)
                scratch.removeAll(keepingCapacity: true)
                for b in t { scratch.append(b >= 0x61 && b <= 0x7A ? b - 0x20 : b) }
                let h = hasher.absorb(hasher.absorb(hasher.begin(.patientID), UInt64(ctrl)), scratch)
                linker.addKey(hasher.finish(h), kind: .patientID)
            }
        }
        if !linker.recordHasKeys && emailRange >= 0 {
            r.withValue(at: emailRange) { v in
                if EmailValidator.check(trimmed(v), normalized: &scratch).isAccepted {
                    linker.addKey(hasher.finish(hasher.absorb(hasher.begin(.email), scratch)), kind: .email)
                }
            }
        }
        if !linker.recordHasKeys && phoneRange >= 0 {
            r.withValue(at: phoneRange) { v in
                if PhoneValidator.check(trimmed(v), normalized: &scratch).isAccepted {
                    linker.addKey(hasher.finish(hasher.absorb(hasher.begin(.phone), scratch)), kind: .phone)
                }
            }
        }
        linker.commitRecord(controller: ctrl, categories: CategorySet(rawValue: mask).closed.rawValue)
    }

    private func controllerIndex(_ r: RecordBuffer, idRange: Int, nameRange: Int) -> Int {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        func withName<T>(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> T) -> T {
            guard nameRange >= 0 else { return body(empty, empty) }
            return r.withValue(at: nameRange) { v in
                let t = trimmed(v)
                folded.removeAll(keepingCapacity: true)
                TextFold.fold(t, into: &folded)
                return folded.withUnsafeBytes { body(t, $0) }
            }
        }
        if idRange >= 0 {
            return r.withValue(at: idRange) { idv in
                let id = trimmed(idv)
                return withName { name, foldedName in controllers.index(id: id, name: name, foldedName: foldedName) }
            }
        }
        return withName { name, foldedName in controllers.index(id: empty, name: name, foldedName: foldedName) }
    }

    /// Folds the name parts into space-free tokens, sorts them (so "Roux Anne" and
    /// "Anne Roux" are one name) and leaves them in `nameTokens` separated by 0x20.
    /// - Returns: false when there is no token.
    private func sortedNameTokens(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer?) -> Bool {
        // TextFold.fold overwrites its output: fold the second part apart, then append it.
        TextFold.fold(a, into: &folded)
        if let b {
            TextFold.fold(b, into: &scratch)
            folded.append(0x20)
            folded.append(contentsOf: scratch)
        }
        tokenRanges.removeAll(keepingCapacity: true)
        var start = -1
        for (i, c) in folded.enumerated() {
            if c == 0x20 {
                if start >= 0 { tokenRanges.append(start..<i); start = -1 }
            } else if start < 0 { start = i }
        }
        if start >= 0 { tokenRanges.append(start..<folded.count) }
        guard !tokenRanges.isEmpty else { return false }
        let f = folded
        tokenRanges.sort { f[$0].lexicographicallyPrecedes(f[$1]) }
        nameTokens.removeAll(keepingCapacity: true)
        for t in tokenRanges {
            if !nameTokens.isEmpty { nameTokens.append(0x20) }
            nameTokens.append(contentsOf: f[t])
        }
        return true
    }
}

/// `yyyymmdd` as ASCII digits.
@inline(__always) func appendDate(_ d: (year: Int, month: Int, day: Int), to out: inout [UInt8]) {
    var y = d.year
    var digits = [UInt8](repeating: 0x30, count: 4)
    for i in stride(from: 3, through: 0, by: -1) { digits[i] = UInt8(0x30 + y % 10); y /= 10 }
    out.append(contentsOf: digits)
    out.append(UInt8(0x30 + d.month / 10)); out.append(UInt8(0x30 + d.month % 10))
    out.append(UInt8(0x30 + d.day / 10)); out.append(UInt8(0x30 + d.day % 10))
}

/// The value without leading and trailing ASCII spaces, tabs, CR and LF.
@inline(__always) func trimmed(_ v: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var s = 0, e = v.count
    while s < e, v[s] == 0x20 || v[s] == 0x09 || v[s] == 0x0D || v[s] == 0x0A { s += 1 }
    while e > s, v[e - 1] == 0x20 || v[e - 1] == 0x09 || v[e - 1] == 0x0D || v[e - 1] == 0x0A { e -= 1 }
    return UnsafeRawBufferPointer(rebasing: v[s..<e])
}
