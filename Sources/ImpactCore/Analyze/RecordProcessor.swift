#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// Masked examples from the classification sample (filled only when the analysis keeps them).
    var examples: [MaskedExamples] = []

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
        examples.append(MaskedExamples())
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
/// health professionals. One instance per analysis, used by one thread at a time.
///
/// A record's analysis is two steps: ``RecordExtractor/extract(_:routes:counters:terms:)``
/// (everything that depends on the record alone, which may run on another thread) and
/// ``link(_:_:)`` (controller index, patient-id key, subject linking: the shared state, in
/// record order). ``process(_:routes:)`` does both.
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
    /// Where a sample value is masked when masked examples are kept (`--keep-masked-examples`);
    /// nil otherwise, and then no value is masked.
    private let maskScratch: UnsafeMutableRawBufferPointer?

    /// Per global field: the code the hot loop reads, and the counts it gathers.
    private(set) var codes = GrowableStorage<FieldCode>(capacity: 64)
    private var counters = GrowableStorage<FieldCounters>(capacity: 64)
    /// The extractor of the analysing thread.
    let extractor: RecordExtractor
    private var terms: [TermHit] = []
    /// Folded controller names and upper-cased patient ids.
    private var linkBuffer = GrowableStorage<UInt8>(capacity: 4096)
    /// Bumped whenever a plan changes: extractions made under another version are redone.
    private(set) var planVersion = 0
    /// Lexicon hits of the analysed records, per field (added to the file evidence on demand).
    private var termTally: TermTally

    init(lexicon: TermLexicon, headers: HeaderLexicon, hasher: SubjectKeyHasher, controllerColumn: String?,
         keepsMaskedExamples: Bool = false) {
        self.maskScratch = keepsMaskedExamples ? .allocate(byteCount: ValueMask.capacity, alignment: 1) : nil
        self.inspector = CellInspector(lexicon: lexicon)
        self.headers = headers
        self.hasher = hasher
        self.controllerColumn = controllerColumn
        extractor = RecordExtractor(lexicon: lexicon, hasher: hasher)
        termTally = TermTally(terms: lexicon.termCount)
    }

    deinit {
        codes.free(); counters.free(); linkBuffer.free()
        termTally.free()
        maskScratch?.deallocate()
    }

    /// The route of each input field id of `map` under the current plans
    /// (``FieldRoute/routes(codes:map:)``).
    func routes(for map: UnsafeBufferPointer<Int>) -> [FieldRoute] {
        FieldRoute.routes(codes: UnsafeBufferPointer(start: codes.base, count: codes.count), map: map)
    }

    /// The global id of the field named `name` (a new field gets its header match and an
    /// undecided plan).
    func fieldID(for name: String) -> Int {
        let g = fields.id(for: name, headers: headers)
        while codes.count < fields.names.count {
            codes.append(FieldCode())
            counters.append(FieldCounters())
        }
        return g
    }

    /// The evidence of field `g` over the analysed records.
    func fileEvidence(_ g: Int) -> FieldEvidence {
        var e = fields.fileEvidence[g]
        let c = counters[g]
        e.values += c.values
        e.nirValid += c.nirValid; e.nirTemporary += c.nirTemporary
        e.nirKeyAbsent += c.nirKeyAbsent; e.nirInvalidKey += c.nirInvalidKey
        e.date += c.date
        e.rppsInvalidKey += c.rppsInvalidKey
        termTally.add(field: g, to: &e)
        return e
    }

    // MARK: classification

    /// Content evidence from a sample record (every cheap check).
    func observeSample(_ r: RecordView, map: UnsafeBufferPointer<Int>) {
        for i in 0..<r.count {
            let g = map[r.fieldID(i)]
            guard fields.plans[g] == nil else { continue }
            let t = trimmed(r.value(i))
            if t.count > 0 {
                inspector.inspectAll(t, into: &fields.sampleEvidence[g])
                if let maskScratch { fields.examples[g].offer(t, scratch: maskScratch) }
            }
        }
    }

    /// The masked examples of field `g`; nil when the analysis does not keep them.
    func maskedExamples(_ g: Int) -> [String]? {
        maskScratch == nil ? nil : fields.examples[g].strings
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
            setPlan(plan, of: g)
            newlyDecided.append(g)
        }
        // Family names: a name-shaped column beside a column of given names.
        for g in newlyDecided where fields.plans[g]?.role == nil && fields.header[g] == nil {
            let beside = [g - 1, g + 1].contains { $0 >= 0 && $0 < fields.names.count && fields.plans[$0]?.role == .firstName }
            if let plan = classifier.familyNamePlan(fields.sampleEvidence[g], besideGivenNames: beside) {
                setPlan(plan, of: g)
            }
        }
    }

    private func setPlan(_ plan: FieldPlan, of g: Int) {
        let k = kind(of: plan, name: fields.names[g])
        fields.plans[g] = plan
        fields.kinds[g] = k
        codes.base[g] = FieldCode(kind: k, categories: plan.categories.rawValue)
        planVersion += 1
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

    /// Notes, before the classification sample is analysed, which controller id each controller
    /// name of a sample record is written beside, so that sample records naming a controller
    /// without its id go to that id's controller even when they come first
    /// (``ControllerRegistry/register(id:besideName:)``).
    func registerControllerNames(_ r: RecordView, map: UnsafeBufferPointer<Int>) {
        var idAt = -1, nameAt = -1
        for i in 0..<r.count {
            let g = map[r.fieldID(i)]
            guard g >= 0 else { continue }
            switch fields.kinds[g] {
            case .controllerID: if idAt < 0 && trimmed(r.value(i)).count > 0 { idAt = i }
            case .controllerName: if nameAt < 0 && trimmed(r.value(i)).count > 0 { nameAt = i }
            default: break
            }
        }
        if idAt >= 0 && nameAt >= 0 { controllers.register(id: trimmed(r.value(idAt)), besideName: trimmed(r.value(nameAt))) }
    }

    /// Analyses one record under the decided plans.
    func process(_ r: RecordView, routes: UnsafePointer<FieldRoute>) {
        let e = extractor.extract(r, routes: routes, counters: counters.base, terms: &terms)
        if !terms.isEmpty { noteTerms(terms); terms.removeAll(keepingCapacity: true) }
        link(e, r)
    }

    /// Adds what an extraction elsewhere counted (``RecordBatch``) to the fields' evidence.
    func absorb(counters other: UnsafePointer<FieldCounters>, fields n: Int) {
        for g in 0..<n { counters.base[g].add(other[g]) }
    }

    /// Notes lexicon hits in the fields' evidence, in order.
    func noteTerms(_ hits: [TermHit]) {
        for h in hits { termTally.note(h.hits, field: Int(h.field)) }
    }

    /// The shared-state step of a record: its controller, its health professional, its subject.
    func link(_ e: ExtractedRecord, _ r: RecordView) {
        link(e, r, prepareLink(e, r))
    }

    /// The previous patient-id key computed and its inputs (``RepeatedInputs``).
    private var lastPatientID = RepeatedInputs()
    private var lastPatientController = -1
    private var lastPatientKey: UInt64 = 0

    /// The first part of ``link(_:_:)``: the record's controller index (registering the
    /// controller and counting the record there) and its patient-id key (0: none), which needs
    /// that index. Run for the records of a batch in order, ahead of their linking, so that the
    /// linker can prefetch every key's table slot (``RecordBatch/deliver(to:)``).
    func prepareLink(_ e: ExtractedRecord, _ r: RecordView) -> PreparedLink {
        // Controller: by id when there is one, else by folded name.
        let ctrl: Int
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        let name = e.nameAt >= 0 ? trimmed(r.value(Int(e.nameAt))) : none
        if e.idAt >= 0 {
            ctrl = controllers.index(id: trimmed(r.value(Int(e.idAt))), name: name, foldedName: none)
        } else {
            let n = fold(name, into: &linkBuffer, at: 0)
            ctrl = controllers.index(id: none, name: name, foldedName: UnsafeRawBufferPointer(start: linkBuffer.base, count: n))
        }
        var patientKey: UInt64 = 0
        if e.pidAt >= 0 && e.mask & identifyingCategories.rawValue != 0 {
            let t = trimmed(r.value(Int(e.pidAt)))
            // The previous record's patient at the same controller (one row per result).
            if ctrl == lastPatientController && lastPatientID.matches(t) {
                return PreparedLink(controller: ctrl, patientKey: lastPatientKey)
            }
            linkBuffer.reserve(t.count)
            for k in 0..<t.count {
                let b = t[k]
                linkBuffer.base[k] = b &- 0x61 < 26 ? b - 0x20 : b
            }
            let h = hasher.absorb(hasher.absorb(hasher.begin(.patientID), UInt64(ctrl)),
                                  UnsafeRawBufferPointer(start: linkBuffer.base, count: t.count))
            patientKey = hasher.finish(h).rawValue
            lastPatientID.store(t)
            lastPatientController = ctrl
            lastPatientKey = patientKey
        }
        return PreparedLink(controller: ctrl, patientKey: patientKey)
    }

    /// The rest of ``link(_:_:)``, after ``prepareLink(_:_:)``.
    func link(_ e: ExtractedRecord, _ r: RecordView, _ p: PreparedLink) {
        analysedRecords += 1
        let ctrl = p.controller
        if e.professional != 0 { linker.addHealthProfessional(SubjectKey(rawValue: e.professional), controller: ctrl) }

        // Subject keys.
        guard e.mask & identifyingCategories.rawValue != 0 else {
            recordsWithoutIdentifier += 1
            return
        }
        linker.beginRecord()
        if e.nirKey != 0 { linker.addKey(SubjectKey(rawValue: e.nirKey), kind: .nationalID) }
        if e.nameKey != 0 { linker.addKey(SubjectKey(rawValue: e.nameKey), kind: .nameAndBirthDate) }
        if e.fullNameKey != 0 { linker.addKey(SubjectKey(rawValue: e.fullNameKey), kind: .nameAndBirthDate) }
        if p.patientKey != 0 { linker.addKey(SubjectKey(rawValue: p.patientKey), kind: .patientID) }
        if e.fallbackKey != 0 { linker.addKey(SubjectKey(rawValue: e.fallbackKey), kind: SubjectKeyKind(rawValue: e.fallbackKind)!) }
        linker.commitRecord(controller: ctrl, categories: CategorySet(rawValue: e.mask).closed.rawValue)
    }
}

/// A record's controller index and patient-id key (0: none): ``RecordProcessor/prepareLink(_:_:)``.
struct PreparedLink {
    var controller: Int
    var patientKey: UInt64
}

/// The lexicon hits of the analysed records per field, counted densely by term id: what
/// ``FieldEvidence/noteTerms(_:)`` would gather, without a dictionary update per cell.
///
/// ``add(field:to:)`` gives the evidence exactly what the same cells noted one by one would:
/// the cells with a hit (in all and per category) and, for the first 64 distinct terms met (in
/// the order they were first met), the cells holding each.
struct TermTally {
    let terms: Int
    /// Per field: where its term counts start in `counts` (-1: no hit yet).
    private var base = GrowableStorage<Int>(capacity: 64)
    private var counts = GrowableStorage<Int32>(capacity: 1024)
    /// Per field: cells with a hit, and per category (`DataCategoryCount` entries).
    private var any = GrowableStorage<Int>(capacity: 64)
    private var cells = GrowableStorage<Int>(capacity: 64 * 32)
    /// Per field: terms in the order they were first met.
    private var firstMet: [[Int32]] = []

    init(terms: Int) { self.terms = terms }

    func free() { base.free(); counts.free(); any.free(); cells.free() }

    private mutating func ensure(field g: Int) {
        while base.count <= g {
            base.append(-1)
            any.append(0)
            for _ in 0..<DataCategoryCount { cells.append(0) }
            firstMet.append([])
        }
    }

    mutating func note(_ hits: LexiconHits, field g: Int) {
        if hits.categories.rawValue == 0 { return }
        ensure(field: g)
        any.base[g] += 1
        var m = hits.categories.rawValue
        while m != 0 {
            cells.base[g * DataCategoryCount + m.trailingZeroBitCount] += 1
            m &= m - 1
        }
        if base.base[g] < 0 {
            base.base[g] = counts.count
            counts.reserve(counts.count + terms)
            counts.base.advanced(by: counts.count).initialize(repeating: 0, count: terms)
            counts.count += terms
        }
        let c = counts.base + base.base[g]
        for t in hits.termIDs {
            if c[Int(t)] == 0 { firstMet[g].append(t) }
            c[Int(t)] += 1
        }
    }

    /// Adds field `g`'s hits to `e`.
    func add(field g: Int, to e: inout FieldEvidence) {
        guard g < base.count else { return }
        e.lexiconAny += any[g]
        for k in 0..<DataCategoryCount { e.lexiconCells[k] += cells[g * DataCategoryCount + k] }
        guard base[g] >= 0 else { return }
        for t in firstMet[g] {
            let n = Int(counts[base[g] + Int(t)])
            if let i = e.termCells.index(forKey: t) { e.termCells.values[i] += n } else if e.termCells.count < 64 { e.termCells[t] = n }
        }
    }
}
